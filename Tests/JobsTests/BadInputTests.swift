import Foundation
import TestSupport
import Testing

/// A tiny district written by the tests: two streets side by side, two communities each,
/// posts as points. Coordinates around 114.05E 22.54N.
struct TinyDistrict {
    let folder: URL

    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String {
        "[[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]]"
    }
    static func feature(_ id: String, parent: String?, geometry: String, type: String = "Polygon") -> String {
        let p = parent.map { ",\"parent\":\"\($0)\"" } ?? ""
        return "{\"type\":\"Feature\",\"properties\":{\"id\":\"\(id)\",\"name\":\"\(id)名\"\(p)},\"geometry\":{\"type\":\"\(type)\",\"coordinates\":\(geometry)}}"
    }
    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}"
    }

    init(_ name: String = #function) throws {
        folder = try Repo.temporaryFolder(name).appendingPathComponent("district")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try write("streets.geojson", Self.collection([
            Self.feature("S1", parent: nil, geometry: Self.square(114.00, 22.50, 114.05, 22.55)),
            Self.feature("S2", parent: nil, geometry: Self.square(114.05, 22.50, 114.10, 22.55)),
        ]))
        try write("communities.geojson", Self.collection([
            Self.feature("C1", parent: "S1", geometry: Self.square(114.00, 22.50, 114.05, 22.52)),
            Self.feature("C2", parent: "S1", geometry: Self.square(114.00, 22.52, 114.05, 22.55)),
            Self.feature("C3", parent: "S2", geometry: Self.square(114.05, 22.50, 114.10, 22.55)),
        ]))
        try write("posts.geojson", Self.collection([
            Self.feature("P1", parent: "C1", geometry: "[114.01,22.51]", type: "Point"),
            Self.feature("P2", parent: "C1", geometry: "[114.04,22.51]", type: "Point"),
            Self.feature("P3", parent: "C3", geometry: "[114.07,22.53]", type: "Point"),
        ]))
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func writeCases(_ text: String, name: String = "cases.csv") throws -> URL {
        let url = folder.deletingLastPathComponent().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static let goodCases = """
    工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道
    A1,2026-11-20 08:30,噪声,某路1号,114.01,22.51,wgs84,12345
    A2,2026/11/21 9:00,油烟,某路2号,114.07,22.53,,12369
    A3,2026-11-22T10:00:00+08:00,扬尘,某路3号,114.02,22.53,wgs84,哨兵上报
    """
}

/// Every bad input of the foundation issue: a one-line error naming the file, exit 1, and the
/// previous output untouched; row-level problems land in rejects.csv with their reason.
@Suite struct BadInputTests {
    /// Runs once with good input, then with the breakage; checks status 1, the message and that
    /// the output folder is byte-for-byte what the good run left.
    func expectFailure(_ name: String = #function, mentions: [String],
                       breaking: (TinyDistrict) throws -> [String]) throws {
        let d = try TinyDistrict(name)
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let good = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                               "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
        try #require(good.status == 0, "good run failed: \(good.stderr)")
        let before = try Data(contentsOf: out.appendingPathComponent("report.json"))
        let extra = try breaking(d)
        var args = ["run", "--boundaries", d.folder.path, "--out", out.path, "--as-of", "2026-11-22",
                    "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path]
        if !extra.contains("--cases") { args += ["--cases", cases.path] }
        let bad = try runProcess(Repo.binary, args + extra)
        #expect(bad.status == 1, "status \(bad.status): \(bad.stderr)")
        let lines = bad.stderr.split(separator: "\n").filter { !$0.contains("warning:") }
        #expect(lines.count == 1, "one line expected: \(bad.stderr)")
        for m in mentions { #expect(bad.stderr.contains(m), "message should mention \(m): \(bad.stderr)") }
        #expect(try Data(contentsOf: out.appendingPathComponent("report.json")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
            .filter { $0.contains("staging") || $0.contains(".old-") }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test func boundaryFileNotJSON() throws {
        try expectFailure(mentions: ["streets.geojson", "JSON"]) { d in try d.write("streets.geojson", "{not json"); return [] }
    }

    @Test func featureWithoutID() throws {
        try expectFailure(mentions: ["communities.geojson", "feature 2", "id"]) { d in
            try d.write("communities.geojson", TinyDistrict.collection([
                TinyDistrict.feature("C1", parent: "S1", geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.52)),
                "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\",\"parent\":\"S1\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(TinyDistrict.square(114.00, 22.52, 114.05, 22.55))}}",
            ]))
            return []
        }
    }

    @Test func duplicateIDs() throws {
        try expectFailure(mentions: ["streets.geojson", "duplicate id 'S1'"]) { d in
            try d.write("streets.geojson", TinyDistrict.collection([
                TinyDistrict.feature("S1", parent: nil, geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.55)),
                TinyDistrict.feature("S1", parent: nil, geometry: TinyDistrict.square(114.05, 22.50, 114.10, 22.55)),
            ]))
            return []
        }
    }

    @Test func unknownParent() throws {
        try expectFailure(mentions: ["communities.geojson", "C9", "'S9'"]) { d in
            try d.write("communities.geojson", TinyDistrict.collection([
                TinyDistrict.feature("C9", parent: "S9", geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.52)),
            ]))
            return []
        }
    }

    @Test func unrepairablePolygon() throws {
        // Folds back on itself along one line: MakeValid can only make lines of it.
        try expectFailure(mentions: ["streets.geojson", "S2", "MakeValid"]) { d in
            try d.write("streets.geojson", TinyDistrict.collection([
                TinyDistrict.feature("S1", parent: nil, geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.55)),
                TinyDistrict.feature("S2", parent: nil, geometry: "[[[114.05,22.50],[114.07,22.50],[114.06,22.50],[114.08,22.50],[114.05,22.50]]]"),
            ]))
            return []
        }
    }

    @Test func emptyCasesFile() throws {
        try expectFailure(mentions: ["empty.csv", "empty"]) { d in ["--cases", try d.writeCases("", name: "empty.csv").path] }
    }

    @Test func binaryCasesFile() throws {
        try expectFailure(mentions: ["binary.csv"]) { d in
            let url = d.folder.deletingLastPathComponent().appendingPathComponent("binary.csv")
            try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x01, 0x02]).write(to: url)
            return ["--cases", url.path]
        }
    }

    @Test func noKnownHeaders() throws {
        try expectFailure(mentions: ["other.csv", "header"]) { d in
            ["--cases", try d.writeCases("foo,bar\n1,2\n", name: "other.csv").path]
        }
    }

    @Test func unknownCRSName() throws {
        try expectFailure(mentions: ["--cases-crs", "marscrs"]) { _ in ["--cases-crs", "marscrs"] }
    }

    @Test func unknownEPSGCode() throws {
        try expectFailure(mentions: ["--boundaries-crs", "EPSG:999999"]) { _ in ["--boundaries-crs", "EPSG:999999"] }
    }

    @Test func badCommandLineExitsTwo() throws {
        #expect(try riskmap("run", "--no-such-option").status == 2)
        #expect(try riskmap("run", "--boundaries", "x", "--cases", "y", "--min-zoom", "abc").status == 2)
        #expect(try riskmap("frobnicate").status == 2)
        let help = try riskmap("run", "--help")
        #expect(help.status == 0 && help.stdout.contains("--as-of") && help.stdout.contains("Example"))
    }

    /// Row-level problems never stop the run: each lands in rejects.csv with its line and reason.
    @Test func rowProblemsAreRejectedWithReasons() throws {
        let d = try TinyDistrict()
        let cases = try d.writeCases("""
        工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道
        R1,2026-11-20 08:30,噪声,某路1号,114.01,22.51,wgs84,12345
        R2,,噪声,某路,114.01,22.51,wgs84,12345
        R3,2026-13-45,噪声,某路,114.01,22.51,wgs84,12345
        R4,2026-11-20,噪声,某路,abc,22.51,wgs84,12345
        R5,2026-11-20,噪声,某路,200,95,wgs84,12345
        R6,2026-11-20,噪声,某路,114.50,22.51,wgs84,12345
        R7,2026-11-20,噪声,某路,114.01
        R1,2026-11-21,噪声,某路,114.02,22.51,wgs84,12345
        R8,2026-11-20,"噪声,""油烟""
        跨行",某路,114.07,22.53,wgs84,12345
        R9,2026-11-20,噪声,仅有地址,,,,12345
        """)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                            "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
        try #require(r.status == 0, "\(r.stderr)")
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8)
        var reasonByLine: [Int: String] = [:]
        for row in rejects.split(separator: "\r\n").dropFirst() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            reasonByLine[Int(cells[1])!] = String(cells[3])
        }
        #expect(reasonByLine == [3: "missing-date", 4: "bad-date", 5: "bad-coordinates", 6: "out-of-range",
                                 7: "outside", 8: "ragged-row", 9: "duplicate-id", 12: "no-coordinates"])
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
        #expect(report["input_rows"] as? Int == 10)
        #expect(report["located"] as? Int == 2)
        #expect(report["rejected"] as? Int == 8)
    }

    /// A point on the shared border of two zones counts in exactly one of them, the same on every run.
    @Test func borderPointCountsOnce() throws {
        let d = try TinyDistrict()
        let cases = try d.writeCases("""
        id,received_at,category,address,lon,lat
        B1,2026-11-20,noise,,114.05,22.51
        B2,2026-11-20,noise,,114.03,22.52
        B3,2026-11-20,noise,,114.05,22.52
        """)
        var answers: [String] = []
        for run in 0..<2 {
            let out = d.folder.deletingLastPathComponent().appendingPathComponent("out\(run)")
            let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                                "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
            try #require(r.status == 0, "\(r.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
            #expect(report["located"] as? Int == 3)
            let streets = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("streets.geojson"))) as! [String: Any]
            let counts = (streets["features"] as! [[String: Any]]).map { ($0["properties"] as! [String: Any])["cases"] as! Int }
            #expect(counts.reduce(0, +) == 3)
            let communities = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("communities.geojson"))) as! [String: Any]
            let c = (communities["features"] as! [[String: Any]]).map { ($0["properties"] as! [String: Any])["cases"] as! Int }
            #expect(c.reduce(0, +) == 3)
            answers.append(try String(contentsOf: out.appendingPathComponent("cases.geojson"), encoding: .utf8))
        }
        #expect(answers[0] == answers[1])
    }
}
