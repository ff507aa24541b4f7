import Foundation
import Input
import Model
import TestSupport
import Testing

/// The CSV riskmap writes (`rejects.csv`, `stats --format csv`) read back field for field by the
/// project's reader and by Python's csv module, with fields holding CRLF, lone CR, lone LF, quotes,
/// commas and leading or trailing spaces.
@Suite struct CSVOutputTests {
    static let awkward = ["两行\r\n地址", "a\rb", "x\ny", "say \"hi\"", "福华路,12号", "  spaced  ", "\r\n", "\"\u{301}"]

    /// Python's csv module's rows of `file` (opened with newline='', as RFC 4180 files must be).
    func pythonRows(_ file: URL) throws -> [[String]] {
        let r = try python(["-c", """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.reader(f))))
            """, file.path])
        try #require(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode([[String]].self, from: Data(r.stdout.utf8))
    }

    /// Both readers agree on `file`; its rows, header first.
    func readBack(_ file: URL) throws -> [[String]] {
        let ours = CSVReader.rows(in: try String(contentsOf: file, encoding: .utf8)).map(\.fields)
        let python = try pythonRows(file)
        #expect(ours == python)
        #expect(Set(ours.map(\.count)).count == 1, "rows of unequal length: \(ours)")
        return python
    }

    /// Rows with a bad date land in rejects.csv with their fields: each address comes back as written.
    @Test func rejectsRoundTrip() throws {
        let d = try TinyDistrict()
        let header = ["工单编号", "受理时间", "诉求类型", "事发地址", "经度", "纬度", "坐标系", "来源渠道"]
        let rows = Self.awkward.enumerated().map { i, address in
            ["R\(i)", "not a date", "噪声", address, "114.01", "22.51", "wgs84", " 12345 "]
        }
        let cases = try d.writeCases(CSVWriter.document([header] + rows))
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path, "--as-of", "2026-11-22",
                            "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
        try #require(r.status == 0, "\(r.stderr)")
        let back = try readBack(out.appendingPathComponent("rejects.csv"))
        let column = try #require(back.first?.firstIndex(of: "事发地址"))
        let channel = try #require(back.first?.firstIndex(of: "来源渠道"))
        let byID = Dictionary(back.dropFirst().map { ($0[2], $0) }, uniquingKeysWith: { a, _ in a })
        for (i, address) in Self.awkward.enumerated() {
            #expect(byID["R\(i)"]?[column] == address, "R\(i): \(String(describing: byID["R\(i)"]))")
            #expect(byID["R\(i)"]?[channel] == " 12345 ")
        }
        #expect(back.count == Self.awkward.count + 1)
    }

    /// Zone names with the same characters through `stats --format csv`, from the folder and from the database.
    @Test func statsRoundTrip() throws {
        let d = try TinyDistrict()
        func named(_ id: String, _ name: String, parent: String?, box: (Double, Double, Double, Double)) throws -> String {
            var properties: [String: Any] = ["id": id, "name": name]
            properties["parent"] = parent
            let (x0, y0, x1, y1) = box
            let feature: [String: Any] = ["type": "Feature", "properties": properties,
                                          "geometry": ["type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]]]
            return String(decoding: try JSONSerialization.data(withJSONObject: feature), as: UTF8.self)
        }
        let names = Array(Self.awkward.prefix(6))
        let communities = try names.enumerated().map { i, name in
            try named("C\(i)", name, parent: "S1", box: (114.0 + Double(i) * 0.005, 22.50, 114.005 + Double(i) * 0.005, 22.55))
        }
        try d.write("communities.geojson", TinyDistrict.collection(communities))
        try d.write("posts.geojson", TinyDistrict.collection([]))
        let root = d.folder.deletingLastPathComponent()
        let out = root.appendingPathComponent("out"), db = root.appendingPathComponent("cases.sqlite")
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let run = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path, "--as-of", "2026-11-22",
                              "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path, "--db", db.path)
        try #require(run.status == 0, "\(run.stderr)")
        for source in [["--out", out.path], ["--db", db.path]] {
            let stats = try riskmap(["stats", "--level", "community", "--format", "csv", "--style", Repo.style.path] + source)
            try #require(stats.status == 0, "\(stats.stderr)")
            let file = root.appendingPathComponent("stats.csv")
            try Data(stats.stdout.utf8).write(to: file)
            let back = try readBack(file)
            let column = try #require(back.first?.firstIndex(of: "name"))
            #expect(Set(back.dropFirst().map { $0[column] }) == Set(names), "\(source[0]): \(back)")
        }
    }
}

func riskmap(_ arguments: [String]) throws -> ProcessResult { try runProcess(Repo.binary, arguments) }
