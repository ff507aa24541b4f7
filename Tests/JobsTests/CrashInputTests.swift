import Foundation
import TestSupport
import Testing

/// Inputs that crashed (SIGILL) or stalled `riskmap run` in the issue-12 probe: each now stops the run
/// with exit 1 and one line naming the file and the setting or feature, the previous output untouched.
extension BadInputTests {
    /// The default style with its last `key = ...` line replaced by `line` (`red`: the colour, after the thresholds), written next to the district.
    static func style(_ d: TinyDistrict, replacing key: String, with line: String) throws -> [String] {
        let text = try String(contentsOf: Repo.style, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let i = lines.lastIndex(where: { $0.hasPrefix("\(key) =") }) else { throw CocoaError(.fileReadUnknown) }
        let url = d.folder.deletingLastPathComponent().appendingPathComponent("style.toml")
        try Data((lines[..<i] + [Substring(line)] + lines[(i + 1)...]).joined(separator: "\n").utf8).write(to: url)
        return ["--style", url.path]
    }

    @Test(arguments: ["#+E7D32", "#-00000", "#２E7D32"])
    func styleColourThatTrapped(colour: String) throws {
        try expectFailure("styleColour\(colour.unicodeScalars.map { String($0.value) }.joined())",
                          mentions: ["style.toml", "key 'colors.red'", "#RRGGBB"]) { d in
            try Self.style(d, replacing: "red", with: "red = \"\(colour)\"")
        }
    }

    /// `isHexDigit` took full-width digits: the heat ramp's colours trapped in every run.
    @Test(arguments: ["#２E7D32", "#+E7D32"])
    func heatColourThatTrapped(colour: String) throws {
        try expectFailure("heatColour\(colour.unicodeScalars.map { String($0.value) }.joined())",
                          mentions: ["style.toml", "key 'heatmap.colors'", "entry 1"]) { d in
            try Self.style(d, replacing: "colors", with: "colors = [\"\(colour)\", \"#F9A825\", \"#C62828\"]")
        }
    }

    @Test(arguments: ["1e-300", "0", "-1", "nan", "1e308"])
    func heatBandwidthThatTrapped(bandwidth: String) throws {
        try expectFailure("heatBandwidth\(bandwidth)", mentions: ["style.toml", "heatmap.bandwidth_m"]) { d in
            try Self.style(d, replacing: "bandwidth_m", with: "bandwidth_m = \(bandwidth)")
        }
    }

    @Test func boundaryVertexAt1e308() throws {
        try expectFailure(mentions: ["streets.geojson: feature 2 (id 'S2'", "longitude 1e+308"]) { d in
            try d.write("streets.geojson", TinyDistrict.collection([
                TinyDistrict.feature("S1", parent: nil, geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.55)),
                TinyDistrict.feature("S2", parent: nil, geometry: "[[[114.05,22.5],[1e308,22.55],[114.1,22.55],[114.05,22.55],[114.05,22.5]]]"),
            ]))
            return []
        }
    }

    @Test func unclosedRingRefused() throws {
        try expectFailure(mentions: ["communities.geojson: feature 3 (id 'C3'", "exterior ring is not closed"]) { d in
            try d.write("communities.geojson", TinyDistrict.collection([
                TinyDistrict.feature("C1", parent: "S1", geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.52)),
                TinyDistrict.feature("C2", parent: "S1", geometry: TinyDistrict.square(114.00, 22.52, 114.05, 22.55)),
                TinyDistrict.feature("C3", parent: "S2", geometry: "[[[114.05,22.5],[114.1,22.5],[114.1,22.55],[114.05,22.55]]]"),
            ]))
            return []
        }
    }

    static func worldStreet(_ d: TinyDistrict) throws {
        try d.write("streets.geojson", TinyDistrict.collection([
            TinyDistrict.feature("S1", parent: nil, geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.55)),
            TinyDistrict.feature("S2", parent: nil, geometry: TinyDistrict.square(-179, -84, 179, 84)),
        ]))
    }

    /// A street around the world once drew a million tiles per layer: now refused in a moment, by its
    /// span, then (span limit raised) by its size against the other street, then (that raised too) by
    /// the tile count of the layer.
    @Test func worldSizedStreetRefusedQuickly() throws {
        let start = Date()
        try expectFailure(mentions: ["streets.geojson: feature 2 (id 'S2'", "358°", "--max-zone-span"]) { d in
            try Self.worldStreet(d)
            return []
        }
        try expectFailure("worldSizedStreetRatio", mentions: ["streets.geojson: feature 2 (id 'S2'", "median", "--max-zone-ratio"]) { d in
            try Self.worldStreet(d)
            return ["--max-zone-span", "360"]
        }
        try expectFailure("worldSizedStreetTiles", mentions: ["streets.geojson", "street layer would draw up to", "street 'S2'",
                                                               "--max-tiles"]) { d in
            try Self.worldStreet(d)
            return ["--max-zone-span", "360", "--max-zone-ratio", "1e12", "--max-zoom", "17"]
        }
        #expect(Date().timeIntervalSince(start) < 120, "three good runs and three refusals")
    }

    @Test func tileLimitAndItsFlag() throws {
        // The tiny district at zoom 12...15 has a few hundred candidate tiles per layer.
        try expectFailure(mentions: ["street layer would draw up to", "limit of 50 per layer", "--max-tiles"]) { _ in
            ["--max-zoom", "15", "--max-tiles", "50"]
        }
        let d = try TinyDistrict()
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let raised = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                                 "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "15", "--max-tiles", "5000",
                                 "--style", Repo.style.path)
        #expect(raised.status == 0, "\(raised.stderr)")
    }

    @Test func vertexLimitFlag() throws {
        try expectFailure(mentions: ["streets.geojson: feature 1 (id 'S1'", "5 vertices", "--max-vertices"]) { _ in
            ["--max-vertices", "4"]
        }
    }

    @Test func pointPostLimitFlag() throws {
        try expectFailure(mentions: ["posts.geojson: community 'C1': 2 point posts", "--max-posts"]) { _ in
            ["--max-posts", "1"]
        }
    }

    /// Rows with lon/lat off the globe are rejected with the reason, also when the row names a
    /// geographic EPSG code (range-checked after conversion).
    @Test func casesOffTheGlobeRejectedWithReason() throws {
        let d = try TinyDistrict()
        let cases = try d.writeCases("""
        工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道
        A1,2026-11-20 08:30,噪声,某路1号,1000,22.51,wgs84,12345
        A2,2026-11-20 08:30,噪声,某路1号,114.01,95,,12345
        A3,2026-11-20 08:30,噪声,某路1号,1000,22.51,EPSG:4326,12345
        A4,2026-11-20 08:30,噪声,某路1号,114.01,22.51,,12345
        """)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                            "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
        try #require(r.status == 0, "\(r.stderr)")
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8)
        for (id, reason) in [("A1", "lon 1000.0 is outside"), ("A2", "lat 95.0 is outside"), ("A3", "lon 1000.0 is outside")] {
            let row = rejects.split(separator: "\n").first { $0.contains(",\(id),out-of-range,") }
            #expect(row?.contains(reason) == true, "\(id): \(rejects)")
        }
        #expect(!rejects.contains(",A4,"))
    }

    /// `--as-of` with a 19-digit year trapped in the day arithmetic; now a bad command line.
    @Test func hugeYearIsABadCommandLine() throws {
        let d = try TinyDistrict()
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--as-of", "9223372036854775807-01-01",
                            "--out", d.folder.deletingLastPathComponent().appendingPathComponent("out").path)
        #expect(r.status == 2, "\(r.status): \(r.stderr)")
    }
}
