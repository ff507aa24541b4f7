/// The viewer page written as `index.html`: Leaflet (copied into `lib/leaflet/` from Debian's
/// libjs-leaflet, never from a CDN), the tile layers, the zones' GeoJSON for popups, the legend and
/// the report's counts. Works from `riskmap serve` and from any static web server.
enum ViewerPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>riskmap</title>
<link rel="stylesheet" href="lib/leaflet/leaflet.css">
<style>
  html, body, #map { height: 100%; margin: 0; font: 13px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; }
  .panel { background: rgba(255,255,255,.92); padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  .legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px; opacity: .8; }
  #search input { width: 220px; }
  #nolib { padding: 2em; }
</style>
</head>
<body>
<div id="map"></div>
<script src="lib/leaflet/leaflet.js"></script>
<script>
"use strict";
const BOUNDS = __BOUNDS__;
async function getJSON(url) { const r = await fetch(url); if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); }
function esc(s) { return String(s ?? "").replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c])); }

async function main() {
  if (typeof L === "undefined") {
    document.getElementById("map").innerHTML = '<div id="nolib">Leaflet is missing from lib/leaflet (install libjs-leaflet and re-run riskmap).</div>';
    return;
  }
  const map = L.map("map", { preferCanvas: true });
  map.fitBounds(BOUNDS);
  window.riskmap = { map, layers: {} };
  const tilejson = await getJSON("tiles.json");
  const overlays = {};
  for (const layer of tilejson.layers) {
    const t = L.tileLayer(layer.tiles[0], { minZoom: 0, maxZoom: 20, minNativeZoom: layer.minzoom,
      maxNativeZoom: layer.maxzoom, bounds: BOUNDS, opacity: 1, attribution: "riskmap" });
    overlays[layer.id] = t;
    window.riskmap.layers[layer.id] = t;
  }
  const zoneLayers = {};
  for (const level of ["street", "community", "post"]) {
    const file = level === "community" ? "communities.geojson" : level + "s.geojson";
    const data = await getJSON(file);
    zoneLayers[level] = L.geoJSON(data, {
      style: { weight: 0, fillOpacity: 0, opacity: 0 },
      onEachFeature: (f, l) => l.bindPopup(() => popup(level, f.properties)),
    });
  }
  const start = overlays.community || Object.values(overlays)[0];
  start.addTo(map); zoneLayers.community.addTo(map);
  const switcher = {};
  for (const [id, t] of Object.entries(overlays)) switcher[id] = t;
  L.control.layers(switcher, {}, { collapsed: false }).addTo(map);
  map.on("baselayerchange", e => {
    for (const z of Object.values(zoneLayers)) map.removeLayer(z);
    const z = zoneLayers[e.name]; if (z) z.addTo(map);
  });
  legend(map); report(map); search(map);
}

function popup(level, p) {
  const cats = Object.entries(p.categories || {}).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([k, v]) => esc(k) + " " + v).join(", ");
  return `<b>${esc(p.name)}</b> <small>${esc(p.id)} (${level})</small><br>` +
    `cases ${p.cases} · score ${p.score} · <b style="color:${esc(p.color)}">${esc(p.level)}</b>` +
    (p.reason ? `<br>${esc(p.reason)}` : "") + (p.trend !== undefined ? `<br>trend ${esc(p.trend)}` : "") +
    (cats ? `<br>top: ${cats}` : "");
}

async function legend(map) {
  const lg = await getJSON("legend.json");
  const c = L.control({ position: "bottomright" });
  c.onAdd = () => {
    const d = L.DomUtil.create("div", "panel legend");
    const z = lg.zones;
    d.innerHTML = "<b>risk</b><br>" + ["green", "yellow", "red"]
      .map(k => `<i style="background:${z.colors[k]}"></i>${k}`).join("<br>") +
      (lg.heat ? `<br><b>heat</b> (${esc(lg.heat.units)})<br>` + lg.heat.breakpoints
        .map((b, i) => `<i style="background:${lg.heat.colors[i]}"></i>≥ ${b}`).join("<br>") : "");
    return d;
  };
  c.addTo(map);
}

async function report(map) {
  const r = await getJSON("report.json");
  const c = L.control({ position: "topleft" });
  c.onAdd = () => {
    const d = L.DomUtil.create("div", "panel");
    d.id = "report";
    d.innerHTML = `<b>${esc(r.as_of)}</b> · ${r.window_days} days<br>` +
      `${r.input_rows} rows · ${r.located} located · ${r.rejected} rejected · ${r.counted} counted`;
    return d;
  };
  c.addTo(map);
}

function search(map) {
  const c = L.control({ position: "topright" });
  c.onAdd = () => {
    const d = L.DomUtil.create("div", "panel");
    d.id = "search";
    d.innerHTML = '<input placeholder="地址 / address" aria-label="address"> <span></span>';
    L.DomEvent.disableClickPropagation(d);
    const input = d.querySelector("input"), out = d.querySelector("span");
    input.addEventListener("keydown", async e => {
      if (e.key !== "Enter") return;
      try {
        const r = await getJSON("api/locate?q=" + encodeURIComponent(input.value));
        if (r.point) { map.setView([r.point[1], r.point[0]], 16); L.marker([r.point[1], r.point[0]]).addTo(map)
          .bindPopup(esc(input.value) + "<br>" + esc([r.street, r.community, r.post].filter(Boolean).join(" / "))).openPopup(); }
        out.textContent = r.point ? "" : "not found";
      } catch (err) { out.textContent = "search needs riskmap serve"; }
    });
    return d;
  };
  c.addTo(map);
}
main().catch(e => { console.error(e); });
</script>
</body>
</html>
"""#
}
