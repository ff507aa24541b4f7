import ArgumentParser
import Foundation
import Support
import Geocoding
import Geometry
import Input
import Location
import Output
import Pipeline
import Publishing
import Stats
import Tiles
import Projection

struct LocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Show how addresses or one point are located: the point, zone ids at every level, method, confidence.",
        discussion: """
        Zones come from --boundaries DIR when given, else from the GeoJSON of the last run in --out. The gazetteer is --gazetteer FILE, else DIR/gazetteer.csv, else the one the last run in --out used (report.json records it); without one only zone names are matched. Addresses naming another district are outside: the home district is --home, else the one the last run inferred from its cases (report.json), else unknown (then no address is rejected as outside).

        For each address it prints the normalised text, the parsed components, the point, the zone ids, the method (address: a gazetteer point; name: zone names only), the confidence and the runner-up candidates. --json prints one JSON object per address per line.

        Examples:
          riskmap locate --boundaries boundaries/demo '福田区彩田路3号' '莲花街道景田社区一带'
          riskmap locate --out output --json '深圳市福田区景华新村12栋501'
          riskmap locate --at 114.0551,22.5412
          riskmap locate --at 114.0605,22.5441 --crs gcj02 --json
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("Addresses to locate, each one argument (quote it when it holds spaces). Example: '福田区彩田路3009号'.", valueName: "address"))
    var addresses: [String] = []

    @Option(help: ArgumentHelp("A point to locate instead of an address, longitude first. Example: --at 114.0551,22.5412.", valueName: "lon,lat"))
    var at: LonLat?

    @Option(help: ArgumentHelp("Coordinate system of --at: wgs84, cgcs2000, gcj02, bd09 or EPSG:NNNN.", valueName: "crs"))
    var crs: String = "wgs84"

    @Option(help: ArgumentHelp("The boundaries folder to locate in (and its gazetteer.csv), instead of the zones of the last run in --out.", valueName: "dir"))
    var boundaries: String?

    @Option(name: .customLong("boundaries-crs"), help: ArgumentHelp("Coordinate system of boundary files without a crs member: wgs84, cgcs2000, gcj02, bd09 or EPSG:NNNN.", valueName: "crs"))
    var boundariesCRS: String = "wgs84"

    @Option(help: ArgumentHelp("Output folder of a run whose zones (and gazetteer, home district) to use when --boundaries is not given.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("A gazetteer CSV (name,kind,lon,lat[,crs]) instead of the boundaries folder's or the last run's.", valueName: "file"))
    var gazetteer: String?

    @Option(help: ArgumentHelp("The district the zones are in, e.g. 广东省深圳市福田区 (addresses naming another are outside).", valueName: "name"))
    var home: String?

    @Flag(help: "Print one JSON object per line (per address, or for the point), for programs.")
    var json = false

    func validate() throws {
        if at == nil && addresses.isEmpty { throw ValidationError("give an ADDRESS or --at LON,LAT") }
        if at != nil && !addresses.isEmpty { throw ValidationError("give either addresses or --at, not both") }
    }

    func run() throws {
        let zones: Boundaries
        if let boundaries {
            zones = try BoundaryReader(folder: URL(fileURLWithPath: boundaries),
                                       defaultCRS: try parseCRS(boundariesCRS, option: "--boundaries-crs")).read()
        } else {
            // The run's own output, already checked against the limits the run was given.
            zones = try BoundaryReader(folder: URL(fileURLWithPath: out), defaultCRS: .wgs84, limits: .unlimited).read()
        }
        if let at {
            let result = try PointLookup(boundaries: zones).locate(Coordinate(at.x, at.y), crs: try parseCRS(crs, option: "--crs"))
            print(json ? result.json() : result.text())
            return
        }
        // The gazetteer and home district of the last run, from its report.json.
        let last = boundaries == nil ? RunReport.geocode(in: URL(fileURLWithPath: out)) : nil
        let gazetteerURL = gazetteer.map { URL(fileURLWithPath: $0) } ?? zones.gazetteer
            ?? last.flatMap { $0.gazetteer.isEmpty ? nil : URL(fileURLWithPath: $0.gazetteer) }
            .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
        let homeArea = HomeArea(parsing: home ?? last?.home ?? "")
        let lookup = try AddressLookup(boundaries: zones, gazetteer: gazetteerURL, home: homeArea)
        for w in lookup.warnings { global.warn(w) }
        for (i, address) in addresses.enumerated() {
            let r = lookup.locate(address)
            if json { print(lookup.json(r)) } else { print((i > 0 ? "\n" : "") + lookup.text(r)) }
        }
    }

}
