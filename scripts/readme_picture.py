#!/usr/bin/env python3
"""Makes the README's picture from an output folder: the tiles of one layer and zoom stitched
together over a light background. Usage: readme_picture.py OUT [LAYER] [ZOOM] [PNG]"""
import pathlib, sys
from PIL import Image

out = pathlib.Path(sys.argv[1])
layer = sys.argv[2] if len(sys.argv) > 2 else "community"
zoom = sys.argv[3] if len(sys.argv) > 3 else "13"
target = sys.argv[4] if len(sys.argv) > 4 else "docs/map.png"
tiles = sorted((out / "tiles" / layer / zoom).glob("*/*.png"))
xs = [int(t.parent.name) for t in tiles]
ys = [int(t.stem) for t in tiles]
size = Image.open(tiles[0]).width
x0, y0 = min(xs), min(ys)
canvas = Image.new("RGBA", ((max(xs) - x0 + 1) * size, (max(ys) - y0 + 1) * size), (0, 0, 0, 0))
for t, x, y in zip(tiles, xs, ys):
    canvas.alpha_composite(Image.open(t).convert("RGBA"), ((x - x0) * size, (y - y0) * size))
canvas = canvas.crop(canvas.getchannel("A").getbbox() or (0, 0, *canvas.size))
pad = 16
framed = Image.new("RGBA", (canvas.width + 2 * pad, canvas.height + 2 * pad), (246, 246, 242, 255))
framed.alpha_composite(canvas, (pad, pad))
framed.convert("RGB").save(target, optimize=True)
print(f"{target}: {framed.width}x{framed.height} from {len(tiles)} tiles")
