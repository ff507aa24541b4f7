import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server

/// A small output folder made by hand, inside a parent folder that also holds a "secret" file the
/// server must never hand out, and links pointing at it from inside the output folder.
struct FixtureFolder {
    let parent: URL
    let out: URL

    static let streets = [zone("S1", "福田街道", nil, cases: 12, score: 30.5, level: "red", box: (114.00, 22.50, 114.04, 22.54))]
    static let communities = [
        zone("C1", "岗厦社区", "S1", cases: 9, score: 25, level: "red", box: (114.00, 22.50, 114.02, 22.54)),
        zone("C2", "皇岗社区", "S1", cases: 3, score: 5.5, level: "yellow", box: (114.02, 22.50, 114.04, 22.54)),
    ]
    static let posts = [
        zone("P1", "哨点一", "C1", cases: 9, score: 25, level: "red", box: (114.00, 22.50, 114.02, 22.54)),
        zone("P2", "哨点二", "C2", cases: 1, score: 1, level: "green", box: (114.02, 22.50, 114.03, 22.54)),
        zone("P3", "哨点三", "C2", cases: 2, score: 4.5, level: "yellow", box: (114.03, 22.50, 114.04, 22.54)),
    ]
    static let tilePNG = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4])

    init(name: String = #function) throws {
        parent = FileManager.default.temporaryDirectory
            .appendingPathComponent("riskmap-serve-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))")
        out = parent.appendingPathComponent("out")
        try Self.write(into: out)
        try "top secret".write(to: parent.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("leak.txt").path, withDestinationPath: "../secret.txt")
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("tiles/street/12/3340/1786.png").path,
                                  withDestinationPath: parent.appendingPathComponent("secret.txt").path)
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("outside").path, withDestinationPath: parent.path)
    }

    /// The files `riskmap run` writes, small.
    static func write(into out: URL, asOf: String = "2026-11-22") throws {
        func put(_ text: String, _ path: String) throws { try put(Data(text.utf8), path) }
        func put(_ data: Data, _ path: String) throws {
            let url = out.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try put("<!DOCTYPE html><title>riskmap</title>", "index.html")
        try put(#"{"tilejson":"3.0.0","id":"community","tiles":["tiles/community/{z}/{x}/{y}.png"],"layers":["#
            + ["street", "community", "post"].map { #"{"id":"\#($0)","minzoom":10,"maxzoom":14,"tiles":["tiles/\#($0)/{z}/{x}/{y}.png"]}"# }
            .joined(separator: ",") + "]}", "tiles.json")
        try put(##"{"zones":{"colors":{"green":"#2e7d32","yellow":"#f9a825","red":"#c62828"}}}"##, "legend.json")
        try put(#"{"as_of":"\#(asOf)","window_days":30,"input_rows":20,"located":18,"rejected":2,"counted":12}"#, "report.json")
        try put(collection(streets), "streets.geojson")
        try put(collection(communities), "communities.geojson")
        try put(collection(posts), "posts.geojson")
        try put("file,line,id,reason,address\nx.csv,2,A1,no_location,深南大道1号\n", "rejects.csv")
        try put("/* leaflet */", "lib/leaflet/leaflet.js")
        try put(tilePNG, "tiles/street/12/3340/1785.png")
        try put(tilePNG, "tiles/community/12/3340/1785.png")
    }

    static func zone(_ id: String, _ name: String, _ parent: String?, cases: Int, score: Double, level: String,
                     box: (Double, Double, Double, Double)) -> String {
        let (x0, y0, x1, y1) = box
        let ring = "[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]"
        let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
        let area = (x1 - x0) * (y1 - y0) * 11_000
        return ##"{"type":"Feature","properties":{"id":"\##(id)","name":"\##(name)","parent":\##(parentJSON),"cases":\##(cases),"score":\##(score),"level":"\##(level)","color":"#c62828","categories":{"噪声":\##(cases)},"area_km2":\##(area)},"geometry":{"type":"Polygon","coordinates":[\##(ring)]}}"##
    }

    static func collection(_ features: [String]) -> String {
        #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
    }

    func remove() { try? FileManager.default.removeItem(at: parent) }

    /// In-process servers idle out after ten minutes, not the 30 s of `serve`: Swift Testing runs the
    /// blocking tests (a `riskmap run` child waited for) on the same cooperative threads as these, and a
    /// live test's client connects before its first request, which on a loaded two-core machine can
    /// wait longer than 30 s — the server then closed the connection first ("I/O on closed channel").
    static let testLimits = ServerLimits(idleTimeout: .seconds(600))

    func server(services: ServerServices = .standard(), options: ServeOptions = ServeOptions()) -> RiskServer {
        RiskServer(folder: ServedFolder(out), services: services, options: options, limits: Self.testLimits)
    }

    func app(services: ServerServices = .standard(), options: ServeOptions = ServeOptions()) -> some ApplicationProtocol {
        server(services: services, options: options).application(host: "127.0.0.1", port: 0)
    }

    /// A second pyramid as `run --publish-crs gcj02` writes it: `tiles-gcj02.json` (tiles.json with its
    /// URLs under `tiles-gcj02/`) and a copy of `tiles/` as `tiles-gcj02/`.
    static func addGCJ02Pyramid(to out: URL) throws {
        let fm = FileManager.default
        let text = try String(contentsOf: out.appendingPathComponent("tiles.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"tiles/", with: "\"tiles-gcj02/")
        try text.write(to: out.appendingPathComponent("tiles-gcj02.json"), atomically: true, encoding: .utf8)
        let source = out.appendingPathComponent("tiles"), target = out.appendingPathComponent("tiles-gcj02")
        for case let file as URL in fm.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey])! {
            guard (try file.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true,
                  file.pathExtension == "png", (try? fm.destinationOfSymbolicLink(atPath: file.path)) == nil else { continue }
            let relative = String(file.standardizedFileURL.path.dropFirst(source.standardizedFileURL.path.count))
            let copy = target.appendingPathComponent(relative)
            try fm.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: file, to: copy)
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
}
