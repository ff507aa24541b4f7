/// Character tables for address normalisation.
///
/// NFKC already folds full-width forms, Kangxi radicals (U+2F00…) and compatibility ideographs, but it
/// leaves the CJK Radicals Supplement (U+2E80…) alone, and those look exactly like common characters
/// (⻄ 西, ⻓ 长): input methods and OCR produce them. Traditional characters come from Hong Kong and
/// Taiwan users and old systems; the table holds the ones that occur in addresses, not a full converter
/// (a full one would also need word context, which addresses do not give).
enum CharacterTables {
    /// CJK radical supplement look-alikes → the unified ideograph they imitate.
    static let radicals: [Unicode.Scalar: Unicode.Scalar] = pairs(
        "⺁厂⺇几⺊卜⺌小⺍小⺎兀⺏尣⺐尢⺑尣⺒巳⺓幺⺔彐⺖忄⺗心⺘扌⺙攵⺛旡⺜日⺝月⺞歹⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬"
        + "⺧牛⺨犭⺩王⺪疋⺫目⺬示⺭礻⺮竹⺯糸⺰纟⺱网⺲罒⺳罓⺴罒⺵网⺶羊⺷羊⺸羊⺹老⺺聿⺻聿⺼肉⺽臼⺾艹⺿艹⻀艹"
        + "⻁虎⻂衤⻃西⻄西⻅见⻆角⻇角⻈讠⻉贝⻊足⻋车⻌辶⻍辶⻎辶⻏阝⻐钅⻑长⻒长⻓长⻔门⻕阜⻖阝⻗雨⻘青⻙韦"
        + "⻚页⻛风⻜飞⻝食⻞食⻟食⻠饣⻡首⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫齐⻬齐⻭齿⻮齿⻯龙⻰龙⻱龟⻲龟⻳龟")

    /// Traditional → simplified, for characters common in Chinese addresses and place names.
    static let simplified: [Unicode.Scalar: Unicode.Scalar] = pairs(
        "區区號号樓楼棟栋單单園园華华廣广東东門门龍龙灣湾鎮镇縣县興兴國国際际廈厦場场學学醫医層层寶宝羅罗"
        + "鹽盐崗岗嶺岭蓮莲濱滨鳳凤車车長长陽阳僑侨錦锦橋桥雲云農农業业發发豐丰萬万滿满頭头蘭兰樂乐鵬鹏"
        + "麗丽匯汇滙汇鴻鸿運运進进遠远達达濟济紅红綠绿藍蓝黃黄體体館馆書书廳厅廠厂厰厂開开閣阁環环會会"
        + "圖图團团圓圆壩坝壇坛報报務务協协衛卫莊庄葉叶蘇苏貴贵賓宾鄉乡鐵铁銀银鋼钢陸陆隊队雙双電电靈灵"
        + "頂顶順顺領领風风飛飞馬马驛驿魚鱼鳥鸟麥麦齊齐條条島岛峽峡嶼屿巖岩廟庙氣气漢汉燈灯獅狮產产畫画"
        + "當当盤盘眾众衆众禮礼筆笔範范築筑簡简糧粮紀纪紡纺組组經经網网線线綫线總总繡绣聯联臺台檯台與与"
        + "舊旧藝艺衝冲裝装製制複复見见觀观記记設设診诊諾诺證证護护貝贝財财貨货購购賽赛躍跃軍军軒轩輝辉"
        + "轉转辦办郵邮鍾钟鐘钟陰阴雜杂靜静頓顿點点齡龄為为麵面壽寿碼码灘滩濤涛潤润澤泽瀾澜煙烟熱热爾尔"
        + "牆墙瓏珑盧卢碩硕筍笋聲声處处蝦虾蠔蚝裏里裡里覽览詩诗貿贸賢贤軟软過过選选鄰邻錄录闊阔韻韵頌颂"
        + "後后塢坞塘塘堅坚墾垦壯壮夢梦寧宁實实寬宽將将對对屆届嶽岳巒峦幣币廬庐張张強强彎弯徑径從从慶庆"
        + "戶户擁拥數数斷断於于昇升晉晋曉晓東东條条楊杨極极榮荣樹树橫横歐欧歸归殼壳溝沟滬沪潔洁澗涧濕湿"
        + "爐炉牽牵猶犹瑤瑶畝亩疊叠盜盗睦睦碧碧礦矿祿禄種种穀谷窪洼竇窦箇个糖糖紫紫維维綜综緣缘縱纵織织"
        + "羣群習习聖圣膠胶臨临舉举艙舱莖茎菸烟萊莱蔭荫薈荟蘆芦虹虹螢萤術术衚胡補补褔福訪访詢询誌志調调"
        + "謙谦講讲豬猪賀贺資资贊赞趙赵軌轨較较輪轮農农邊边鄧邓鄭郑醬酱釐厘鈺钰鉅巨銅铜鋪铺錢钱鍋锅鎖锁"
        + "鏡镜鑫鑫閃闪閘闸闆板闖闯阪坂陳陈隱隐雞鸡離离雞鸡題题顏颜類类飲饮飯饭餘余駐驻騰腾驗验魯鲁鮮鲜"
        + "鴿鸽鵝鹅鶴鹤黨党齒齿龜龟灣湾撥拨濰潍瀋沈")

    /// `simplified` for the unified block U+4E00–U+9FFF as a flat table (0: unchanged): one array read
    /// per character instead of a hash lookup, since every character of every address goes through it.
    static let unifiedSimplified: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 0x9FFF - 0x4E00 + 1)
        for (from, to) in simplified where (0x4E00...0x9FFF).contains(from.value) { table[Int(from.value - 0x4E00)] = to.value }
        return table
    }()

    private static func pairs(_ s: String) -> [Unicode.Scalar: Unicode.Scalar] {
        let scalars = Array(s.unicodeScalars)
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for i in stride(from: 0, to: scalars.count - 1, by: 2) where scalars[i] != scalars[i + 1] {
            table[scalars[i]] = scalars[i + 1]
        }
        return table
    }
}
