import Foundation
import TestSupport
import Testing

/// Issue 11, "Prove it on data you did not design": the binary run as a new user runs it — from a
/// fresh working directory, without `--style` — on boundaries/nyc (real NYC borough outlines in
/// EPSG:2263 with numeric ids and English names, see its README) and on the demo, checked against
/// each district's truth file and against shapely.
@Suite(.serialized) struct OtherDistrictTests {
    static let nyc = Repo.root.appendingPathComponent("boundaries/nyc")

    /// `riskmap ARGS` with a fresh temporary folder as the working directory; `out` is relative to it.
    static func runFromElsewhere(_ name: String, _ arguments: [String]) throws -> (result: ProcessResult, out: URL) {
        let cwd = try Repo.temporaryFolder(name)
        let result = try runProcess(Repo.installedBinary, arguments + ["--out", "out"], cwd: cwd)
        return (result, cwd.appendingPathComponent("out"))
    }

    static let nycRun = Result {
        try runFromElsewhere("nyc", ["run", "--boundaries", nyc.path, "--cases", nyc.appendingPathComponent("cases.csv").path,
                                     "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "11"])
    }

    static let demoRun = Result {
        try runFromElsewhere("demo", ["run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                                      "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12"])
    }

    // MARK: reading outputs

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    static func properties(_ out: URL, _ file: String) throws -> [[String: Any]] {
        (try json(out.appendingPathComponent(file))["features"] as? [[String: Any]] ?? []).map { $0["properties"] as? [String: Any] ?? [:] }
    }

    /// A CSV without quoted commas (the truth files) as dictionaries by header.
    static func table(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(zip(header, cells).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The ids of rejects.csv (third column; ids never hold commas here).
    static func rejectedIDs(_ out: URL) throws -> Set<String> {
        let lines = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)
        return Set(lines.dropFirst().compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).first.map(String.init) })
    }

    /// Located levels per case id from cases.geojson: [street, community, post] ("" where none).
    static func locatedLevels(_ out: URL) throws -> [String: (levels: [String], method: String)] {
        var out_: [String: (levels: [String], method: String)] = [:]
        for p in try properties(out, "cases.geojson") {
            guard let id = p["id"] as? String else { continue }
            out_[id] = (["street", "community", "post"].map { p[$0] as? String ?? "" }, p["method"] as? String ?? "")
        }
        return out_
    }

    /// Exit 0, every row located or rejected, and every counted case in exactly one street.
    static func expectReconciled(_ run: (result: ProcessResult, out: URL)) throws {
        #expect(run.result.status == 0, "\(run.result.stderr)")
        let report = try json(run.out.appendingPathComponent("report.json"))
        let rows = report["input_rows"] as? Int ?? -1, located = report["located"] as? Int ?? -1
        let rejected = report["rejected"] as? Int ?? -1, counted = report["counted"] as? Int ?? -1
        #expect(rows > 0 && rows == located + rejected, "\(rows) rows, \(located) located, \(rejected) rejected")
        let streetCases = try properties(run.out, "streets.geojson").map { $0["cases"] as? Int ?? 0 }.reduce(0, +)
        #expect(streetCases == counted, "streets hold \(streetCases) cases, report counted \(counted)")
    }

    // MARK: NYC

    @Test func nycRunReconciles() throws {
        let run = try Self.nycRun.get()
        try Self.expectReconciled(run)
        let truth = try Self.table(Self.nyc.appendingPathComponent("truth.csv"))
        #expect(try Self.json(run.out.appendingPathComponent("report.json"))["input_rows"] as? Int == truth.count)
    }

    /// Numeric ids in the boundary files come out as strings: "1", not 1.
    @Test func nycIdsComeOutAsStrings() throws {
        let run = try Self.nycRun.get()
        for file in ["streets.geojson", "communities.geojson", "posts.geojson"] {
            let props = try Self.properties(run.out, file)
            #expect(!props.isEmpty && props.allSatisfy { $0["id"] is String }, "\(file)")
            #expect(file == "streets.geojson" || props.allSatisfy { $0["parent"] is String }, "\(file)")
        }
        let streets = try Self.properties(run.out, "streets.geojson").compactMap { $0["id"] as? String }
        #expect(streets.sorted() == ["1", "2", "3", "4", "5"])
        // Staten Island's communities were written 501.0 …: they read "501".
        let communities = try Self.properties(run.out, "communities.geojson").compactMap { $0["id"] as? String }
        #expect(communities.contains("501") && communities.contains("303"))
        let posts = try Self.properties(run.out, "posts.geojson").compactMap { $0["id"] as? String }
        #expect(posts.contains("36047003002"))
    }

    /// NYC's ids are numbers (borough 1…5, community districts, census tracts): the features' own ids
    /// (issue 14), so a MapLibre dashboard addresses a zone by its code.
    @Test func nycFeatureIdsAreTheirCodes() throws {
        let run = try Self.nycRun.get()
        for file in ["streets.geojson", "communities.geojson", "posts.geojson"] {
            let doc = try Self.json(run.out.appendingPathComponent(file))
            let features = doc["features"] as? [[String: Any]] ?? []
            #expect(!features.isEmpty)
            for f in features {
                let code = (f["properties"] as? [String: Any])?["id"] as? String
                #expect((f["id"] as? Int).map(String.init) == code, "\(file): \(f["id"] ?? "no id") for \(code ?? "?")")
            }
        }
    }

    /// Rows with coordinates (feet or degrees) land in the post truth.csv says, and every row truth
    /// calls rejected is rejected: no exceptions.
    @Test func nycCoordinateRowsAndRejectsMatchTheTruth() throws {
        let run = try Self.nycRun.get()
        let located = try Self.locatedLevels(run.out), rejected = try Self.rejectedIDs(run.out)
        let truth = try Self.table(Self.nyc.appendingPathComponent("truth.csv"))
        var wrong: [String] = []
        var coordinateRows = 0
        for row in truth where row["method"] == "coordinates" {
            coordinateRows += 1
            let want = [row["street"]!, row["community"]!, row["post"]!]
            if located[row["id"]!]?.levels != want || located[row["id"]!]?.method != "coordinates" {
                wrong.append("\(row["id"]!): \(String(describing: located[row["id"]!])) ≠ \(want)")
            }
        }
        #expect(coordinateRows > 1_000)
        #expect(wrong.isEmpty, "\(wrong.count) of \(coordinateRows) wrong: \(wrong.prefix(10))")
        let mustReject = truth.filter { $0["status"] == "rejected" }.map { $0["id"]! }
        #expect(mustReject.count > 30)
        #expect(mustReject.filter { !rejected.contains($0) }.isEmpty, "\(mustReject.filter { !rejected.contains($0) })")
    }

    /// Rows naming only a community (any written form) or a borough: located exactly as far as the
    /// name reaches. The goal is 100 % at every level; the per-level accuracy is printed.
    @Test func nycAddressRowsMatchTheTruth() throws {
        let run = try Self.nycRun.get()
        let located = try Self.locatedLevels(run.out)
        let truth = try Self.table(Self.nyc.appendingPathComponent("truth.csv")).filter { $0["method"] == "name" }
        // Per level, over the rows whose truth reaches that level; a row located deeper than its
        // name reaches is wrong as a whole.
        var right = [0, 0], total = [0, 0], wrong: [String] = []
        for row in truth {
            let want = [row["street"]!, row["community"]!, row["post"]!]
            let got = located[row["id"]!]?.levels ?? ["", "", ""]
            for level in 0..<2 where !want[level].isEmpty {
                total[level] += 1
                if got[level] == want[level] { right[level] += 1 }
            }
            if got != want { wrong.append("\(row["id"]!): got \(got), want \(want)") }
        }
        let share = (0..<2).map { String(format: "%d/%d = %.1f %%", right[$0], total[$0], 100 * Double(right[$0]) / Double(max(total[$0], 1))) }
        print("nyc address rows: \(truth.count), exactly right \(truth.count - wrong.count); street \(share[0]), community \(share[1])")
        #expect(truth.count > 500)
        #expect(wrong.isEmpty, "\(wrong.count) of \(truth.count) wrong, e.g. \(wrong.prefix(8))")
    }

    @Test func nycBoundariesPassCheck() throws {
        let r = try runProcess(Repo.installedBinary, ["check", "--boundaries", Self.nyc.path], cwd: try Repo.temporaryFolder("check"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("5 streets") && r.stdout.contains("0 gaps, 0 overlaps"), "\(r.stdout)")
    }

    /// area_km2 of every zone against shapely's planar area of the same polygons in EPSG:2263
    /// (US survey feet → km²): the projection's scale error stays far below 0.5 %.
    @Test func nycZoneAreasMatchShapely() throws {
        let run = try Self.nycRun.get()
        let script = """
        import json, sys, shapely.geometry as g
        FT = 1200 / 3937
        out = {}
        for level in ["streets", "communities", "posts"]:
            doc = json.load(open(f"{sys.argv[1]}/{level}.geojson"))
            for f in doc["features"]:
                out[f"{level}:{json.loads(json.dumps(f['properties']['id']))}"] = g.shape(f["geometry"]).area * FT * FT / 1e6
        print(json.dumps(out))
        """
        let r = try python(["-c", script, Self.nyc.path])
        #expect(r.status == 0, "\(r.stderr)")
        let oracle = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Double] ?? [:]
        var compared = 0
        for level in ["streets", "communities", "posts"] {
            for p in try Self.properties(run.out, "\(level).geojson") {
                let id = p["id"] as? String ?? ""
                // The oracle names ids as Python prints them: 501.0 for Staten Island's communities.
                guard let want = oracle["\(level):\(id)"] ?? oracle["\(level):\(id).0"], let got = p["area_km2"] as? Double else {
                    Issue.record("\(level) \(id): no area"); continue
                }
                compared += 1
                #expect(abs(got - want) / want < 0.005, "\(level) \(id): \(got) km² vs shapely \(want) km²")
            }
        }
        #expect(compared == oracle.count)
    }

    // MARK: demo

    /// The demo from a fresh folder without --style: reconciled, and coordinate rows in the
    /// street, community and post of its truth (points within centimetres of a border may differ).
    @Test func demoRunFromElsewhereMatchesTheTruth() throws {
        let run = try Self.demoRun.get()
        try Self.expectReconciled(run)
        let located = try Self.locatedLevels(run.out)
        var seen = Set<String>(), agree = 0, total = 0
        for row in try Self.table(Repo.demo.appendingPathComponent("truth.csv")) where seen.insert(row["id"] ?? "").inserted {
            guard let got = located[row["id"] ?? ""], got.method == "coordinates", let community = row["community"],
                  !community.isEmpty else { continue }
            total += 1
            if got.levels == [row["street"]!, community, row["post"]!] { agree += 1 }
        }
        #expect(total > 15_000)
        #expect(Double(agree) / Double(total) > 0.999, "\(agree) of \(total)")
    }

    /// The demo with every id rewritten as a number (0 and 1 among them; posts as large codes):
    /// the same counts in the same zones.
    @Test func demoWithNumericIdsGivesTheSameCounts() throws {
        let original = try Self.demoRun.get()
        let copy = try Repo.temporaryFolder("numericdemo").appendingPathComponent("demo")
        try FileManager.default.copyItem(at: Repo.demo, to: copy)
        let rewrite = """
        import json, sys
        folder = sys.argv[1]
        ids = {}
        def number(old, level, parent):
            if old not in ids:
                siblings = sum(1 for k, v in ids.items() if v[1] == level)
                ids[old] = ({"street": siblings, "community": 1000 * (parent or 0) + siblings,
                             "post": 44030400100100000000 + siblings}[level], level)
            return ids[old][0]
        for name, level in [("streets", "street"), ("communities", "community"), ("posts", "post")]:
            doc = json.load(open(f"{folder}/{name}.geojson", encoding="utf-8"))
            for f in doc["features"]:
                p = f["properties"]
                parent = ids[p["parent"]][0] if "parent" in p else None
                p["id"] = number(p["id"], level, parent)
                if parent is not None:
                    p["parent"] = parent
            json.dump(doc, open(f"{folder}/{name}.geojson", "w", encoding="utf-8"), ensure_ascii=False)
        print(json.dumps({old: str(new) for old, (new, _) in ids.items()}))
        """
        let r = try python(["-c", rewrite, copy.path])
        #expect(r.status == 0, "\(r.stderr)")
        let newID = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String] ?? [:]
        #expect(newID.values.contains("0") && newID.values.contains("1"))
        let numeric = try Self.runFromElsewhere("numericdemo", [
            "run", "--boundaries", copy.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
            "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12"])
        try Self.expectReconciled(numeric)
        for file in ["streets.geojson", "communities.geojson", "posts.geojson"] {
            let before = Dictionary(try Self.properties(original.out, file).map { (newID[$0["id"] as? String ?? ""] ?? "?", $0["cases"] as? Int ?? -1) },
                                    uniquingKeysWith: { a, _ in a })
            let after = Dictionary(try Self.properties(numeric.out, file).map { ($0["id"] as? String ?? "", $0["cases"] as? Int ?? -2) },
                                   uniquingKeysWith: { a, _ in a })
            #expect(!before.isEmpty && before == after, "\(file)")
        }
    }
}
