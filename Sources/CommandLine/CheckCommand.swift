import ArgumentParser
import Foundation
import Support
import Location
import Pipeline
import Publishing
import Stats
import Tiles

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a boundaries folder: geometry, ids, nesting, gaps and overlaps between siblings.",
        discussion: """
        Exits 1 when the folder would stop `riskmap run` (not JSON, missing or duplicate ids, unknown parents, polygons MakeValid cannot repair); gaps, overlaps, repairs and poor nesting are reported with their areas in m² and exit 0.

        Prints one line per finding, then a summary line (left out with --quiet); --json prints one JSON document instead.

        Example:
          riskmap check --boundaries boundaries/demo
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The boundaries folder to check: streets.geojson, communities.geojson and posts.geojson. Example: --boundaries boundaries/demo.", valueName: "dir"))
    var boundaries: String

    @Option(name: .customLong("boundaries-crs"), help: ArgumentHelp("Coordinate system of files without a crs member: wgs84, cgcs2000, gcj02, bd09 or EPSG:NNNN. Example: --boundaries-crs EPSG:4547.", valueName: "crs"))
    var boundariesCRS: String = "wgs84"

    @Flag(help: "Print the counts and findings as one JSON document, for programs.")
    var json = false

    @OptionGroup var limits: LimitOptions

    func run() throws {
        let crs = try parseCRS(boundariesCRS, option: "--boundaries-crs")
        var job = CheckJob(folder: URL(fileURLWithPath: boundaries), crs: crs)
        job.limits = limits.boundaryLimits
        let (b, findings) = try job.run()
        if json {
            let list: [[String: Any]] = findings.map { f in
                var d: [String: Any] = ["kind": f.kind.rawValue, "zones": f.zones, "area_m2": (f.areaM2 * 10).rounded() / 10,
                                        "message": f.message]
                if let l = f.level { d["level"] = l.rawValue }
                if let w = f.where_ { d["at"] = [w.x, w.y] }
                return d
            }
            let doc: [String: Any] = ["streets": b.streets.count, "communities": b.communities.count,
                                      "posts": b.posts.count, "findings": list]
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for f in findings {
                let at = f.where_.map { String(format: " near %.6f,%.6f", $0.x, $0.y) } ?? ""
                print("\(f.kind.rawValue): \(f.message)\(at)")
            }
            global.summary("riskmap check: \(b.streets.count) streets, \(b.communities.count) communities, \(b.posts.count) posts; "
                  + "\(findings.filter { $0.kind == .gap }.count) gaps, \(findings.filter { $0.kind == .overlap }.count) overlaps, "
                  + "\(findings.filter { $0.kind == .warning }.count) warnings")
        }
    }
}
