#!/usr/bin/env python3
"""Makes the README's picture from an output folder: the tiles of one zoom stitched together over a
light background, layers drawn in the order given ("community,heat").
Usage: readme_picture.py OUT [LAYERS] [ZOOM] [PNG]"""
import pathlib, sys
from PIL import Image

out = pathlib.Path(sys.argv[1])
layer = sys.argv[2] if len(sys.argv) > 2 else "community"
zoom = sys.argv[3] if len(sys.argv) > 3 else "13"
target = sys.argv[4] if len(sys.argv) > 4 else "docs/map.png"
layers = layer.split(",")
tiles = sorted((out / "tiles" / layers[0] / zoom).glob("*/*.png"))
xs = [int(t.parent.name) for t in tiles]
ys = [int(t.stem) for t in tiles]
size = Image.open(tiles[0]).width
x0, y0 = min(xs), min(ys)
canvas = Image.new("RGBA", ((max(xs) - x0 + 1) * size, (max(ys) - y0 + 1) * size), (0, 0, 0, 0))
for name in layers:
    for t in sorted((out / "tiles" / name / zoom).glob("*/*.png")):
        x, y = int(t.parent.name), int(t.stem)
        if x0 <= x <= max(xs) and y0 <= y <= max(ys):
            canvas.alpha_composite(Image.open(t).convert("RGBA"), ((x - x0) * size, (y - y0) * size))
canvas = canvas.crop(canvas.getchannel("A").getbbox() or (0, 0, *canvas.size))
pad = 16
framed = Image.new("RGBA", (canvas.width + 2 * pad, canvas.height + 2 * pad), (246, 246, 242, 255))
framed.alpha_composite(canvas, (pad, pad))
framed.convert("RGB").save(target, optimize=True)
print(f"{target}: {framed.width}x{framed.height} from {len(tiles)} tiles")
