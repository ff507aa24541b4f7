"""Name pools for the synthetic demo district (make_demo.py).

All names are plausible for Shenzhen Futian but the places they label are invented:
the geometry they are attached to is random.
"""

# Futian's ten streets, in the official order; ids FT01..FT10 follow this order.
STREETS = [
    ("园岭街道", ["园岭"]),
    ("南园街道", []),
    ("福田街道", []),
    ("沙头街道", ["沙头"]),
    ("香蜜湖街道", ["香蜜湖"]),
    ("梅林街道", []),
    ("莲花街道", ["莲花"]),
    ("华富街道", []),
    ("福保街道", ["福保", "福田保税区"]),
    ("华强北街道", ["华强北"]),
]

# Rough position of each street relative to the district centre, in km (east, north).
STREET_ANCHORS_KM = [
    (3.3, 1.4),    # 园岭
    (3.9, -1.2),   # 南园
    (1.0, -2.2),   # 福田
    (-2.6, -1.8),  # 沙头
    (-4.2, 0.5),   # 香蜜湖
    (-0.4, 2.9),   # 梅林
    (0.2, 0.9),    # 莲花
    (1.9, 0.4),    # 华富
    (-0.6, -3.2),  # 福保
    (2.7, -0.5),   # 华强北
]

# Stems that must not be reused for communities/estates (they belong to streets).
STREET_STEMS = ["园岭", "南园", "福田", "沙头", "香蜜", "梅林", "莲花", "华富", "福保", "华强"]

# Two-character community stems (+ 社区).
COMMUNITY_STEMS = """
景华 彩田 福中 梅岗 紫荆 狮岭 康欣 景田 香梅 岗厦 皇岗 水围 福山 福南 福安 福民 口岸 滨江
巴登 南华 南天 赤尾 埔尾 玉田 红荔 百花 华林 园东 园西 鹏盛 长城 八卦 上林 沙嘴 沙尾 上沙
下沙 金地 新华 天安 翠湾 新洲 农园 侨香 竹林 竹园 东海 梅都 梅丰 梅亭 梅京 孖岭 翰岭 龙尾
新田 田面 黄木 新港 益田 明月 石厦 华航 荔村 福强 通新 华红 爱华 上步 燕南 泰然 车公 安托
竹子 绿景 碧海 荔林 南光 湖滨 新沙 金田 福新 福景 锦田 锦绣 星河 嘉华 丰盛 荣华 泰安 兴华
振华 福源 德兴 恒安 华茂 和平 永安 岭南 景秀 彩虹
""".split()

# Prefixes for estates, buildings and POIs.
PLACE_PREFIXES = """
城市 中银 招商 诺德 卓越 国际 嘉里 现代 皇庭 世纪 赛格 都会 荔园 翠海 碧华 名仕 东方 金海
银湖 海天 天健 万科 中海 华润 保利 金茂 嘉汇 君悦 新天 阳光 怡景 雅园 丽晶 帝豪 龙城 紫金
金色 蓝天 绿洲 鹏基 安联 大中 华侨 友谊 新世 天利 凤凰 彩福 福莲 莲馨 兰亭 御景 港丽 海滨
金港 信和 深业 深房 建业 瑞和 恒运 汇港 青年 南方 东园 西园 北苑 康乐 长安 平安 兴业 大成
和君 天然 嘉宝 富凯 锦峰 金众 海悦 宏威 鸿景 万德 新都 祥云 曙光 星海 彩世 泰华 益华 金茂
""".split()

# Roads. Names sharing a stem with a street are placed through that street.
ROADS_STEM = {  # road name -> street index (0-based) it should run through, orientation
    "梅林路": (5, "ew"),
    "莲花路": (6, "ew"),
    "华强北路": (9, "ns"),
    "香蜜湖路": (4, "ns"),
    "华富路": (7, "ns"),
}
ROADS_EW = ["福华三路", "北环大道", "红荔路", "红荔西路", "福中路", "福中一路", "深南大道", "福华路",
            "福华一路", "滨河大道", "福民路", "福强路", "侨香路", "商报路", "笋岗西路"]
ROADS_NS = ["彩田路", "泰然九路", "益田路", "金田路", "皇岗路", "新洲路", "农园路", "沙嘴路",
            "燕南路", "上步路", "新闻路", "景田路", "泰然四路", "民田路", "香梅路", "安托山路",
            "中康路", "上梅林路"]
ROADS_SHORT = ["八卦一路", "八卦三路", "梅华路", "莲花支路", "景田北路", "石厦北街", "沙尾路",
               "新洲十一街", "福中三路", "金地一路", "竹子林五路", "下沙八坊"]

ESTATE_SUFFIXES = ["新村", "花园", "苑", "名苑", "家园", "雅居", "小区", "公寓", "大院"]
BUILDING_SUFFIXES = ["大厦", "广场", "中心", "大楼", "商务中心", "国际大厦"]

POI_KINDS = [  # (suffix, how many)
    ("小学", 25), ("中学", 10), ("幼儿园", 15), ("公园", 15), ("农贸市场", 8), ("市场", 7),
    ("医院", 5), ("体育中心", 2), ("图书馆", 2), ("文化中心", 1), ("站", 10),
]

# Outside-the-district places for junk rows (lon range, lat range, address text).
OUTSIDE = [
    ((114.120, 114.140), (22.540, 22.560), "罗湖区东门中路1011号"),
    ((114.118, 114.135), (22.530, 22.548), "罗湖区人民南路3002号"),
    ((113.925, 113.950), (22.515, 22.540), "南山区南海大道2018号"),
    ((114.030, 114.060), (22.625, 22.645), "龙华区民治大道688号"),
]
