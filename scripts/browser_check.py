#!/usr/bin/env python3
"""Opens the riskmap viewer (and the README's embedding examples) in Debian's headless chromium and
checks what a person would see: tiles of every layer loaded, a zone's popup on click, the report
corner, the legend and the address search. Used by Tests/ServerTests/BrowserTests.swift.

usage: browser_check.py --url http://127.0.0.1:PORT/ --out OUTPUT_DIR --screenshot FILE
                        [--examples docs/examples] [--maplibre DIR_WITH_maplibre-gl.js]
Prints one JSON line with what it found; exits 1 with the reason on the first failed check."""
import argparse, json, os, shutil, sys, tempfile, time

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--examples")
    ap.add_argument("--maplibre")
    args = ap.parse_args()
    d = driver()
    try:
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
