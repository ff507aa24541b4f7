#!/usr/bin/env python3
"""Opens the riskmap viewer (and the README's embedding examples) in Debian's headless chromium and
checks what a person would see: tiles of every layer loaded, a zone's popup on click, the report
corner, the legend and the address search. Used by Tests/ServerTests/BrowserTests.swift.

usage: browser_check.py --url http://127.0.0.1:PORT/ --out OUTPUT_DIR --screenshot FILE
                        [--examples docs/examples] [--maplibre DIR_WITH_maplibre-gl.js]
                        [--basemap JSON]
With --basemap (the line scripts/stand_in_basemap.py printed) only the basemap alignment is checked:
the viewer over a stand-in GCJ-02 basemap, the marks of which must fall where the overlay draws them.
Prints one JSON line with what it found; exits 1 with the reason on the first failed check."""
import argparse, io, json, math, os, shutil, sys, tempfile, time

from PIL import Image

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from shapely.geometry import shape

WAIT = 30


def fail(message):
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,800",
                "--hide-scrollbars", "--enable-unsafe-swiftshader", "--use-angle=swiftshader", "--lang=zh-CN",
                "--allow-file-access-from-files"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Debian's chromedriver; selenium must not try to download one (no internet).
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    d = webdriver.Chrome(options=options, service=service)
    d.set_page_load_timeout(WAIT)
    d.set_script_timeout(WAIT)
    return d


def wait(d, js, what):
    try:
        return WebDriverWait(d, WAIT, poll_frequency=0.1).until(lambda _: d.execute_script(js))
    except Exception:
        logs = [e["message"] for e in d.get_log("browser")][-5:]
        fail(f"timed out waiting for {what}; console: {logs}")


def layer_loaded(d, layer):
    """Shows one tile layer, waits for its tiles and returns its counts; every failed tile must be a 204."""
    d.execute_script("""const id = arguments[0], s = window.riskmap, t = s.layers[id];
        if (id === 'heat') t.addTo(s.map); else showLevel(s.map, id);
        t.redraw();""", layer)
    wait(d, f"const t = window.riskmap.layers['{layer}']; return window.riskmap.map.hasLayer(t) && !t.isLoading();",
         f"tiles of layer {layer}")
    counts = d.execute_script("return window.riskmap.tiles[arguments[0]];", layer)
    check(counts["loaded"] > 0, f"layer {layer}: no tile loaded ({counts})")
    statuses = d.execute_async_script("""const done = arguments[arguments.length - 1];
        Promise.all(arguments[0].map(u => fetch(u).then(r => r.status))).then(done);""", counts["errorUrls"])
    check(all(s == 204 for s in statuses), f"layer {layer}: broken tiles {counts['errorUrls']} -> {statuses}")
    broken = d.execute_script("""return [...document.querySelectorAll('img.leaflet-tile')]
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);""")
    check(not broken, f"layer {layer}: broken images {broken[:3]}")
    return {"loaded": counts["loaded"], "no_data": len(statuses)}


def click_zone(d, out):
    """Clicks inside the community with the most cases and returns the popup's text."""
    with open(os.path.join(out, "communities.geojson"), encoding="utf-8") as f:
        features = json.load(f)["features"]
    zone = max(features, key=lambda f: (f["properties"].get("cases", 0), f["properties"]["id"]))
    p = shape(zone["geometry"]).representative_point()
    d.execute_script("showLevel(window.riskmap.map, 'community'); window.riskmap.map.setView([arguments[1], arguments[0]], 14, {animate: false});",
                     p.x, p.y)
    wait(d, "return !window.riskmap.layers.community.isLoading();", "community tiles after zoom")
    x, y = d.execute_script("const q = window.riskmap.map.latLngToContainerPoint([arguments[1], arguments[0]]); return [q.x, q.y];",
                            p.x, p.y)
    element = d.find_element(By.ID, "map")
    size = element.size
    ActionChains(d).move_to_element_with_offset(element, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()
    text = wait(d, "const e = document.querySelector('.leaflet-popup-content'); return e && e.innerText;", "the zone popup")
    for word in [zone["properties"]["name"], "cases", "score", "level", "reason", "trend", "top categories"]:
        check(word in text, f"popup lacks {word!r}: {text!r}")
    return zone, (p.x, p.y), text


def search(d, point, zone):
    d.execute_script("window.riskmap.map.closePopup();")
    box = d.find_element(By.CSS_SELECTOR, "#search input")
    box.clear()
    query = f"{point[0]:.6f},{point[1]:.6f}"
    box.send_keys(query, Keys.ENTER)
    # The marker's popup repeats the query and names the zones found there.
    text = wait(d, f"""return [...document.querySelectorAll('.leaflet-popup-content')].map(e => e.innerText)
        .find(t => t.includes({json.dumps(query)})) || false;""", "the search result's popup")
    check(zone["properties"]["name"] in text, f"search for {query} found {text!r}, not {zone['properties']['name']}")
    return text


def viewer(d, url, out, screenshot):
    d.get(url)
    wait(d, "return window.riskmap && (window.riskmap.ready || window.riskmap.error);", "the viewer to start")
    error = d.execute_script("return window.riskmap.error;")
    check(not error, f"viewer error: {error}")
    layers = d.execute_script("return Object.keys(window.riskmap.layers);")
    with open(os.path.join(out, "tiles.json"), encoding="utf-8") as f:
        listed = [l["id"] for l in json.load(f)["layers"]]
    check(sorted(layers) == sorted(listed), f"viewer layers {layers} != tiles.json {listed}")
    tiles = {layer: layer_loaded(d, layer) for layer in layers}
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    corner = d.find_element(By.ID, "report").text
    check(report["as_of"] in corner and str(report["located"]) in corner, f"report corner: {corner!r}")
    legend = d.find_element(By.ID, "legend").text
    check("red" in legend and "green" in legend, f"legend: {legend!r}")
    zone, point, popup = click_zone(d, out)
    d.save_screenshot(screenshot)
    found = search(d, point, zone)
    return {"layers": tiles, "popup": popup, "search": found, "report": corner}


def open_example(d, name, url, examples, workdir):
    """Opens the README's example page from a file:// URL (another origin than the server's),
    with the server's real address in place of the README's 127.0.0.1:8080."""
    page = os.path.join(workdir, name)
    with open(os.path.join(examples, name), encoding="utf-8") as f:
        text = f.read().replace("http://127.0.0.1:8080", url.rstrip("/"))
    with open(page, "w", encoding="utf-8") as f:
        f.write(text)
    d.get("file://" + page)


def leaflet_example(d, url, examples, workdir):
    open_example(d, "leaflet.html", url, examples, workdir)
    n = wait(d, "return document.querySelectorAll('path.leaflet-interactive').length;", "the example's zones")
    wait(d, """const i = [...document.querySelectorAll('img.leaflet-tile')];
        return i.length > 0 && i.every(t => t.complete) && i.some(t => t.naturalWidth > 0);""", "the example's tiles")
    d.execute_script("document.querySelector('path.leaflet-interactive').dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 1, clientY: 1}));")
    popup = wait(d, "const e = document.querySelector('.leaflet-popup-content'); return e && e.innerText;", "the example's popup")
    check("cases" in popup, f"example popup: {popup!r}")
    return {"zones": n, "popup": popup}


def maplibre_example(d, url, examples, maplibre, workdir):
    for name in ["maplibre-gl.js", "maplibre-gl.css"]:
        shutil.copy(os.path.join(maplibre, name), workdir)
    open_example(d, "maplibre.html", url, examples, workdir)
    wait(d, "return typeof map !== 'undefined' && map.loaded() && map.areTilesLoaded() && map.querySourceFeatures('zones').length > 0;",
         "the MapLibre example to load its tiles and zones")
    return {"zones": d.execute_script("return map.querySourceFeatures('zones').length;"),
            "webgl": d.execute_script("return !!map.painter;")}


def screenshot(d):
    """The page as pixels (RGB), and the device pixel ratio that maps CSS pixels onto them."""
    image = Image.open(io.BytesIO(d.get_screenshot_as_png())).convert("RGB")
    return image, d.execute_script("return window.devicePixelRatio || 1;")


def centroid(image, colour, around, radius):
    """Centre (screenshot pixels) of the pixels within `radius` of `around` close to `colour`."""
    cx, cy = around
    hits = [(x, y) for y in range(max(0, int(cy - radius)), min(image.height, int(cy + radius)))
            for x in range(max(0, int(cx - radius)), min(image.width, int(cx + radius)))
            if all(abs(a - b) <= 40 for a, b in zip(image.getpixel((x, y)), colour))]
    check(len(hits) >= 5, f"no {colour} mark within {radius} px of {around}")
    return sum(h[0] for h in hits) / len(hits) + 0.5, sum(h[1] for h in hits) / len(hits) + 0.5


def wait_tiles(d, layer_js, what):
    wait(d, f"const t = {layer_js}; return window.riskmap.map.hasLayer(t) && !t.isLoading();", what)
    time.sleep(1)  # Leaflet fades new tiles in (0.2 s): a screenshot must not catch them half opaque


def basemap_alignment(d, url, out, marks, shot_path):
    """The viewer over a stand-in GCJ-02 basemap: it loads the GCJ-02 pyramid, and the basemap's marks
    (drawn at prcoords' GCJ-02 positions of two places of a community) fall on the pixels where the
    overlay draws that community: its fill under the disc, its outline through the corner dot."""
    d.get(url)
    wait(d, "return window.riskmap && (window.riskmap.ready || window.riskmap.error);", "the viewer to start")
    check(not d.execute_script("return window.riskmap.error;"), "viewer error")
    pyramid = d.execute_script("return window.riskmap.pyramid;")
    check(pyramid["crs"] == "gcj02" and pyramid["tilejson"] == "tiles-gcj02.json", f"viewer pyramid {pyramid}")
    src = d.execute_script("return window.riskmap.layers.community._url;")
    # Relative in the file; absolute when `riskmap serve` hands out the TileJSON (issue 14).
    check(src.startswith("tiles-gcj02/") or "/tiles-gcj02/community/" in src, f"community tiles from {src}")
    check(d.execute_script("return !!window.riskmap.basemap;"), "no basemap layer")
    attribution = d.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution").text
    check("stand-in" in attribution, f"attribution {attribution!r}")
    lon = (marks["inside_gcj02"][0] + marks["corner_gcj02"][0]) / 2
    lat = (marks["inside_gcj02"][1] + marks["corner_gcj02"][1]) / 2
    d.execute_script("""const s = window.riskmap; showLevel(s.map, 'community');
        s.map.setView([arguments[1], arguments[0]], arguments[2], {animate: false});""", lon, lat, marks["zoom"])
    wait_tiles(d, "window.riskmap.basemap", "basemap tiles")
    wait_tiles(d, "window.riskmap.layers.community", "community tiles")
    def where(point):
        return d.execute_script("const q = window.riskmap.map.latLngToContainerPoint([arguments[1], arguments[0]]); return [q.x, q.y];",
                                point[0], point[1])
    rect = d.execute_script("const r = document.getElementById('map').getBoundingClientRect(); return [r.left, r.top];")

    # 1. The basemap alone: where its marks are on screen.
    d.execute_script("const s = window.riskmap; s.map.removeLayer(s.layers.community);")
    base, ratio = screenshot(d)
    def on_screen(point):
        x, y = where(point)
        return (rect[0] + x) * ratio, (rect[1] + y) * ratio
    expected_inside, expected_corner = on_screen(marks["inside_gcj02"]), on_screen(marks["corner_gcj02"])
    disc = centroid(base, (255, 0, 255), expected_inside, 20 * ratio)
    dot = centroid(base, (0, 255, 255), expected_corner, 20 * ratio)

    # 2. The overlay alone, at the same view.
    d.execute_script("const s = window.riskmap; s.map.removeLayer(s.basemap); s.layers.community.addTo(s.map);")
    wait_tiles(d, "window.riskmap.layers.community", "community tiles without the basemap")
    overlay, _ = screenshot(d)
    overlay.save(shot_path)
    with open(os.path.join(out, "communities.gcj02.geojson"), encoding="utf-8") as f:
        zone = next(z for z in json.load(f)["features"] if str(z["properties"]["id"]) == marks["zone"])
    fill = [int(zone["properties"]["color"][i:i + 2], 16) for i in (1, 3, 5)]
    background = (242, 239, 233)  # #map's background in index.html
    seen = overlay.getpixel((int(disc[0]), int(disc[1])))
    want = [round(0.45 * f + 0.55 * b) for f, b in zip(fill, background)]
    check(all(abs(a - b) <= 8 for a, b in zip(seen, want)),
          f"under the basemap's disc {disc} the overlay shows {seen}, not community {marks['zone']}'s fill {want}")
    # The outline (#37474F, 1 px, antialiased) passes through the corner: a dark pixel within 3 px of the dot.
    dark = [(x, y) for y in range(int(dot[1]) - 8, int(dot[1]) + 9) for x in range(int(dot[0]) - 8, int(dot[0]) + 9)
            if sum(overlay.getpixel((x, y))) < 3 * 150]
    check(dark, f"no outline near the basemap's corner dot {dot}")
    gap = min(math.hypot(x + 0.5 - dot[0], y + 0.5 - dot[1]) for x, y in dark)
    check(gap <= 3 * ratio, f"the overlay's outline passes {gap:.1f} px from the basemap's corner dot")
    drift = math.hypot(disc[0] - expected_inside[0], disc[1] - expected_inside[1])
    check(drift <= 2 * ratio, f"the basemap's disc is {drift:.1f} px from where Leaflet puts its GCJ-02 point")
    return {"pyramid": pyramid, "disc": disc, "corner": dot, "fill_seen": seen, "fill_expected": want,
            "outline_gap_px": gap, "attribution": attribution}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--examples")
    ap.add_argument("--maplibre")
    ap.add_argument("--basemap")
    args = ap.parse_args()
    d = driver()
    try:
        if args.basemap:
            marks = json.loads(args.basemap)
            print(json.dumps({"ok": True, "basemap": basemap_alignment(d, args.url, args.out, marks, args.screenshot)},
                             ensure_ascii=False))
            return
        result = {"ok": True, "viewer": viewer(d, args.url, args.out, args.screenshot)}
        with tempfile.TemporaryDirectory() as workdir:
            if args.examples:
                result["leaflet_example"] = leaflet_example(d, args.url, args.examples, workdir)
            if args.examples and args.maplibre:
                result["maplibre_example"] = maplibre_example(d, args.url, args.examples, args.maplibre, workdir)
        print(json.dumps(result, ensure_ascii=False))
    finally:
        d.quit()


if __name__ == "__main__":
    main()
