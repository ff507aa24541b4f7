/// The viewer page written as `index.html`: Leaflet (copied into `lib/leaflet/` from Debian's
/// libjs-leaflet, never from a CDN), the tile layers `tiles.json` lists, the zones' GeoJSON for
/// popups, the legend, the report's counts and an address search through `riskmap serve`'s API.
/// Every URL is relative, so the folder works from `riskmap serve`, any static web server, or a
/// sub-path of one. No basemap by default: the page must work with no internet at all. With a
/// basemap (`Basemap`: the style's `[basemap]` or `run --basemap-url`) the page shows it under the
/// overlays and loads the pyramid drawn in the basemap's datum (`PYRAMID`: `tiles-gcj02.json` and
/// `*.gcj02.geojson` for a GCJ-02 basemap), so that the overlays line up with it.
enum ViewerPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>riskmap</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="lib/leaflet/leaflet.css">
<style>
  html, body, #map { height: 100%; margin: 0; font: 13px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; }
  #map { background: #f2efe9; }
  .panel { background: rgba(255,255,255,.93); padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  .legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px; border: 1px solid #0003; }
  .zone-popup table { border-collapse: collapse; } .zone-popup td { padding: 1px 8px 1px 0; vertical-align: top; }
  .zone-popup td:first-child { color: #666; }
  #search input { width: 220px; } #search .msg { display: block; color: #a33; max-width: 260px; }
  #nolib { padding: 2em; }
</style>
</head>
<body>
<div id="map"></div>
<script src="lib/leaflet/leaflet.js"></script>
<script>
"use strict";
const BOUNDS = __BOUNDS__;
// The pyramid shown (its TileJSON and the suffix of its zone GeoJSON) and the basemap under it, if any.
const PYRAMID = __PYRAMID__;
const BASEMAP = __BASEMAP__;
// A transparent pixel for tiles answered 204 (no data) or missing on a static server: no broken-image icons.
const EMPTY = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const LEVEL_FILES = { street: `streets${PYRAMID.suffix}.geojson`, community: `communities${PYRAMID.suffix}.geojson`,
  post: `posts${PYRAMID.suffix}.geojson`, grid: `grid${PYRAMID.suffix}.geojson` };
const LEVEL_NAMES = { street: "街道 street", community: "社区 community", post: "哨点 post", grid: "网格 grid", heat: "热力 heat",
  hotspots: "显著热点 Gi* hot/cold spots", emerging: "新兴热点 emerging hot spots" };
// Layers drawn over the shown level rather than instead of it.
const OVERLAYS = new Set(["heat", "hotspots", "emerging"]);

async function getJSON(url) { const r = await fetch(url); if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); }
function esc(s) { return String(s ?? "").replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c])); }
function num(x, d = 1) { return typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toFixed(d)) : "—"; }

// window.riskmap is the page's state, also read by the browser test: the map, its layers and how
// many tiles of each layer loaded or failed.
const state = window.riskmap = { map: null, layers: {}, zones: {}, tiles: {}, ready: false, pyramid: PYRAMID, basemap: null };

async function main() {
  if (typeof L === "undefined") {
    document.getElementById("map").innerHTML = '<div id="nolib">Leaflet is missing from lib/leaflet (install libjs-leaflet and re-run riskmap).</div>';
    return;
  }
  const map = state.map = L.map("map", { preferCanvas: true, zoomSnap: 0.5 });
  map.fitBounds(BOUNDS);
  map.attributionControl.setPrefix(false);
  if (BASEMAP) basemap(map);
  const tilejson = await getJSON(PYRAMID.tilejson);
  const layers = tilejson.layers || [tilejson];
  const bases = {}, overlays = {};
  for (const layer of layers) {
    const t = tileLayer(layer);
    (OVERLAYS.has(layer.id) ? overlays : bases)[LEVEL_NAMES[layer.id] || layer.id] = t;
  }
  await zoneLayers(map);
  const first = state.layers.community ? "community" : Object.keys(state.layers).find(k => !OVERLAYS.has(k));
  if (first) showLevel(map, first);
  L.control.layers(bases, overlays, { collapsed: false }).addTo(map);
  map.on("baselayerchange", e => showLevel(map, e.layer.options.riskmapId));
  legend(map); report(map); search(map);
  state.ready = true;
}

// The basemap under the overlays (tile layers stack by zIndex; riskmap's are at Leaflet's default 1).
// Past zoom 18 its tiles are enlarged: not every provider serves finer ones.
function basemap(map) {
  const options = { attribution: BASEMAP.attribution, zIndex: 0, minZoom: 0, maxZoom: 20, maxNativeZoom: 18, errorTileUrl: EMPTY };
  if (BASEMAP.subdomains.length) options.subdomains = BASEMAP.subdomains;
  state.basemap = L.tileLayer(BASEMAP.url, options).addTo(map);
}

// WGS-84 → the shown pyramid's datum, for points the page gets in WGS-84 (the address search):
// GCJ-02 as riskmap computes it (Projection/ChinaOffsets.swift, after prcoords), the identity else.
function toMap(lon, lat) {
  if (PYRAMID.crs !== "gcj02" || lat < 0.8293 || lat > 55.8271 || lon < 72.004 || lon > 137.8347) return [lat, lon];
  const x = lon - 105, y = lat - 35, s = Math.sin, PI = Math.PI, a = 6378245.0, ee = 0.00669342162296594323;
  const dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
    + (2 * s(x * 6 * PI) + 2 * s(x * 2 * PI) + 2 * s(y * PI) + 4 * s(y / 3 * PI) + 16 * s(y / 12 * PI) + 32 * s(y / 30 * PI)) * 20 / 3;
  const dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
    + (2 * s(x * 6 * PI) + 2 * s(x * 2 * PI) + 2 * s(x * PI) + 4 * s(x / 3 * PI) + 15 * s(x / 12 * PI) + 30 * s(x / 30 * PI)) * 20 / 3;
  const rad = lat * PI / 180, magic = 1 - ee * s(rad) * s(rad);
  const latLen = a * (1 - ee) / Math.pow(magic, 1.5) * PI / 180, lonLen = a * Math.cos(rad) / Math.sqrt(magic) * PI / 180;
  return [lat + dLat / latLen, lon + dLon / lonLen];
}
state.toMap = toMap;

function tileLayer(layer) {
  const t = L.tileLayer(layer.tiles[0], { minZoom: 0, maxZoom: 20, minNativeZoom: layer.minzoom,
    maxNativeZoom: layer.maxzoom, bounds: BOUNDS, errorTileUrl: EMPTY, riskmapId: layer.id,
    tileSize: layer.tileSize || 256, zoomOffset: 0, attribution: "riskmap" });
  const n = state.tiles[layer.id] = { loaded: 0, errors: 0, errorUrls: [] };
  t.on("tileload", e => { if (e.tile.src !== EMPTY) n.loaded++; });
  // Leaflet has already swapped in errorTileUrl here: record the URL that failed, for the test.
  t.on("tileerror", e => { n.errors++; n.errorUrls.push(t.getTileUrl(e.coords)); });
  state.layers[layer.id] = t;
  return t;
}

// Invisible zone polygons above the tiles: they carry the popups. Only the shown level's are on the map.
async function zoneLayers(map) {
  for (const [level, file] of Object.entries(LEVEL_FILES)) {
    if (!state.layers[level]) continue;   // the grid's file exists only when the style has [grid]
    const data = await getJSON(file);
    state.zones[level] = L.geoJSON(data, {
      style: { weight: 0, opacity: 0, fillOpacity: 0, color: "#000" },
      onEachFeature: (f, l) => {
        l.bindPopup(() => popup(level, f.properties), { className: "zone-popup", maxWidth: 320 });
        l.on("popupopen", () => l.setStyle({ weight: 3, opacity: 1, color: "#1d3557" }));
        l.on("popupclose", () => l.setStyle({ weight: 0, opacity: 0 }));
      },
    });
  }
}

function showLevel(map, level) {
  for (const [id, t] of Object.entries(state.layers)) if (!OVERLAYS.has(id) && id !== level) map.removeLayer(t);
  if (state.layers[level] && !map.hasLayer(state.layers[level])) state.layers[level].addTo(map);
  for (const z of Object.values(state.zones)) map.removeLayer(z);
  if (state.zones[level]) state.zones[level].addTo(map);
  state.level = level;
}

function popup(level, p) {
  const cats = Object.entries(p.categories || {}).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([k, v]) => `${esc(k)} ${v}`).join(", ") || "—";
  const trend = typeof p.trend === "number" ? (p.trend > 0 ? "▲ +" : p.trend < 0 ? "▼ " : "= ") + num(p.trend)
    : p.trend && typeof p.trend === "object" ? esc(JSON.stringify(p.trend)) : esc(p.trend ?? "—");
  const row = (k, v) => `<tr><td>${k}</td><td>${v}</td></tr>`;
  return `<b>${esc(p.name)}</b> <small>${esc(p.id)} · ${esc(LEVEL_NAMES[level] || level)}</small><table>` +
    row("cases", num(p.cases)) + row("score", num(p.score, 2)) +
    row("level", `<i style="display:inline-block;width:10px;height:10px;background:${esc(p.color)}"></i> <b>${esc(p.level)}</b>`) +
    row("reason", esc(p.reason ?? "—")) + row("trend", trend) + row("top categories", cats) + "</table>";
}

async function legend(map) {
  const lg = await getJSON("legend.json");
  const c = L.control({ position: "bottomright" });
  c.onAdd = () => {
    const d = L.DomUtil.create("div", "panel legend");
    d.id = "legend";
    const z = lg.zones || {}, colors = z.colors || {};
    let html = "<b>risk</b><br>" + ["red", "yellow", "green"].filter(k => colors[k])
      .map(k => `<i style="background:${esc(colors[k])}"></i>${k}`).join("<br>");
    const h = lg.heat;
    if (h && Array.isArray(h.breakpoints) && Array.isArray(h.colors)) {
      html += `<br><b>heat</b> ${esc(h.units || "")}<br>` + h.breakpoints
        .map((b, i) => `<i style="background:${esc(h.colors[i])}"></i>≥ ${esc(b)}`).join("<br>");
    }
    d.innerHTML = html;
    return d;
  };
  c.addTo(map);
}

async function report(map) {
  const r = await getJSON("report.json");
  const c = L.control({ position: "bottomleft" });
  c.onAdd = () => {
    const d = L.DomUtil.create("div", "panel");
    d.id = "report";
    const lv = r.levels || {};
    const reds = Object.entries(lv).map(([k, v]) => `${k} ${v.red ?? 0}`).join(" · ");
    d.innerHTML = `<b>${esc(r.as_of)}</b> · ${esc(r.window_days)} days<br>` +
      `${r.input_rows} rows · ${r.located} located · ${r.rejected} rejected · ${r.counted} counted` +
      (reds ? `<br>red zones: ${esc(reds)}` : "");
    return d;
  };
  c.addTo(map);
}

// The address search asks riskmap serve's /api/locate; on a plain static server it says so.
function search(map) {
  const c = L.control({ position: "topright" });
  let marker = null;
  c.onAdd = () => {
    const d = L.DomUtil.create("div", "panel");
    d.id = "search";
    d.innerHTML = '<input placeholder="地址, or lon,lat" aria-label="address"><span class="msg"></span>';
    L.DomEvent.disableClickPropagation(d);
    const input = d.querySelector("input"), out = d.querySelector(".msg");
    input.addEventListener("keydown", async e => {
      if (e.key !== "Enter" || !input.value.trim()) return;
      out.textContent = "…";
      let r, body;
      try { r = await fetch("api/locate?q=" + encodeURIComponent(input.value.trim())); body = await r.json(); }
      catch (err) { out.textContent = "search needs riskmap serve"; return; }
      if (!r.ok) { out.textContent = body.error || ("error " + r.status); return; }
      if (!body.point) { out.textContent = "not found"; return; }
      out.textContent = "";
      const ll = toMap(body.point[0], body.point[1]);
      if (marker) map.removeLayer(marker);
      const zones = ["street", "community", "post"].map(k => body[k + "_name"] || body[k]).filter(Boolean);
      marker = L.marker(ll).addTo(map).bindPopup(esc(input.value) + "<br>" + esc(zones.join(" / ") || "outside every zone")).openPopup();
      map.setView(ll, Math.max(map.getZoom(), 15));
    });
    return d;
  };
  c.addTo(map);
}
main().catch(e => { console.error(e); state.error = String(e); });
</script>
</body>
</html>
"""#
}
