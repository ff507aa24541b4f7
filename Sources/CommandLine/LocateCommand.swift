import ArgumentParser
import Foundation
import Geometry
import Input
import Jobs
import Projection

struct LocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Show how one point (or address) is located: the point, zone ids at every level, method, confidence.",
        discussion: """
        Zones come from --boundaries DIR when given, else from the GeoJSON of the last run in --out.

        Examples:
          riskmap locate --at 114.0551,22.5412
          riskmap locate --at 114.0605,22.5441 --crs gcj02 --json
        """)

    @Argument(help: "Addresses to locate (address geocoding arrives with the geocoder; use --at for points).")
    var addresses: [String] = []

    @Option(help: ArgumentHelp("A point to locate instead of an address.", valueName: "lon,lat"))
    var at: LonLat?

    @Option(help: ArgumentHelp("Coordinate system of --at: wgs84, cgcs2000, gcj02, bd09 or EPSG:NNNN.", valueName: "crs"))
    var crs: String = "wgs84"

    @Option(help: ArgumentHelp("Boundaries folder to locate in.", valueName: "dir"))
    var boundaries: String?

    @Option(name: .customLong("boundaries-crs"), help: ArgumentHelp("Coordinate system of boundary files without a crs member.", valueName: "crs"))
    var boundariesCRS: String = "wgs84"

    @Option(help: ArgumentHelp("Output folder of a run whose zones to use when --boundaries is not given.", valueName: "dir"))
    var out: String = "output"

    @Flag(help: "Print JSON for programs.")
    var json = false

    func validate() throws {
        if at == nil && addresses.isEmpty { throw ValidationError("give an ADDRESS or --at LON,LAT") }
        if at != nil && !addresses.isEmpty { throw ValidationError("give either addresses or --at, not both") }
    }

    func run() throws {
        guard let at else {
            throw ValidationError("address geocoding is not available yet: use --at LON,LAT")
        }
        let source = try parseCRS(crs, option: "--crs")
        let zones: Boundaries
        if let boundaries {
            zones = try BoundaryReader(folder: URL(fileURLWithPath: boundaries),
                                       defaultCRS: try parseCRS(boundariesCRS, option: "--boundaries-crs")).read()
        } else {
            zones = try BoundaryReader(folder: URL(fileURLWithPath: out), defaultCRS: .wgs84).read()
        }
        let result = try PointLookup(boundaries: zones).locate(Coordinate(at.x, at.y), crs: source)
        print(json ? result.json() : result.text())
    }
}
