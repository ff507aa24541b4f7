import ArgumentParser
import Foundation
import Input
import Location
import Output
import Pipeline
import Publishing
import Stats
import Support
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
            print(DocumentJSON.text(CheckAnswer(boundaries: b, findings: findings), pretty: true, escapingSlashes: true))
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

/// `riskmap check --json`: the zones per level and the findings.
struct CheckAnswer: Encodable {
    var streets: Int
    var communities: Int
    var posts: Int
    var findings: [Finding]

    struct Finding: Encodable {
        var kind: String
        var zones: [String]
        /// To 0.1 m².
        var areaM2: Double
        var message: String
        var level: String?
        /// Near where, [lon, lat].
        var at: [Double]?
        enum CodingKeys: String, CodingKey { case kind, zones, areaM2 = "area_m2", message, level, at }
    }

    init(boundaries b: Boundaries, findings: [BoundaryFinding]) {
        streets = b.streets.count; communities = b.communities.count; posts = b.posts.count
        self.findings = findings.map { f in
            Finding(kind: f.kind.rawValue, zones: f.zones, areaM2: (f.areaM2 * 10).rounded() / 10, message: f.message,
                    level: f.level?.rawValue, at: f.where_.map { [$0.x, $0.y] })
        }
    }
}
