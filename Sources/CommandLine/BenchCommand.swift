import ArgumentParser
import Foundation
import Support
import Geocoding
import Geometry
import Input
import Location
import Pipeline
import Publishing
import Stats
import Tiles
import Model
import Projection

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure locating speed: cases with coordinates → zones, or addresses → zones, on all cores.",
        discussion: """
        Reads the cases, converts their coordinates to WGS84, then times only the point-in-polygon step (the part geopandas.sjoin is compared with by scripts/bench.sh). Prints one JSON line.

        With --geocode FILE it times the address geocoder instead: every address of FILE (a CSV with an address / 事发地址 / 地址 column) is geocoded on all cores, repeated until at least --min-addresses have been done; it reports addresses per second for all of them and for the gazetteer hits alone (addresses located to a gazetteer point by an exact name). Build with -c release.

        Examples:
          riskmap bench --boundaries boundaries/demo --cases bench-data/demo1m/cases.csv \\
                        --export-points bench-data/points.csv
          riskmap bench --boundaries boundaries/demo --geocode boundaries/demo/cases.csv
          riskmap bench --statistics bench-data/gi      (see scripts/bench_gi.sh)
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The boundaries folder whose zones the cases are located in (with --cases or --geocode).", valueName: "dir"))
    var boundaries: String?

    @Option(help: ArgumentHelp("A cases CSV with coordinates, whose points are located (time the point-in-polygon step).", valueName: "file"))
    var cases: String?

    @Option(help: ArgumentHelp("Time the address geocoder on the addresses of this CSV instead.", valueName: "file"))
    var geocode: String?

    @Option(name: .customLong("min-addresses"), help: ArgumentHelp("With --geocode: geocode at least this many addresses per timing (the file's addresses repeated).", valueName: "n"))
    var minAddresses = 1_000_000

    @Option(name: .customLong("export-points"), help: ArgumentHelp("Write the WGS84 points (lon,lat) here for a peer to locate the same points.", valueName: "file"))
    var exportPoints: String?

    @Option(help: ArgumentHelp("Time the hot spot statistics on the grid and values of this folder (made by scripts/bench_gi.sh): queen weights, Gi* with FDR, emerging hot spots.", valueName: "dir"))
    var statistics: String?

    @Option(help: ArgumentHelp("How many times to repeat the timed step (the best time is reported).", valueName: "n"))
    var repeats = 3

    func validate() throws {
        if [cases, geocode, statistics].compactMap({ $0 }).count != 1 {
            throw ValidationError("give --cases FILE, --geocode FILE or --statistics DIR")
        }
        if statistics == nil, boundaries == nil { throw ValidationError("--cases and --geocode need --boundaries DIR") }
    }

    func run() throws {
        if let statistics { return try benchStatistics(statistics) }
        guard let boundaries else { return }
        let b = try BoundaryReader(folder: URL(fileURLWithPath: boundaries)).read()
        if let geocode { return try benchGeocoder(b, file: geocode) }
        guard let cases else { return }
        let file = try CaseFileReader.read(url: URL(fileURLWithPath: cases), displayName: cases)
        let locator = CaseLocator(boundaries: b, defaultCRS: .wgs84)
        let started = Date()
        let points = try locator.wgs84Points(file.records)
        let convertSeconds = Date().timeIntervalSince(started)
        if let exportPoints {
            var text = "lon,lat\n"
            for p in points { text += "\(p.x),\(p.y)\n" }
            try text.write(toFile: exportPoints, atomically: true, encoding: .utf8)
        }
        var best = Double.infinity
        var located = 0
        for _ in 0..<max(1, repeats) {
            let t0 = Date()
            let refs = try locator.zoneRefs(of: points)
            best = min(best, Date().timeIntervalSince(t0))
            located = refs.filter { $0 >= 0 }.count
        }
        // The finest level alone, without the parent-id bookkeeping, to see where time goes.
        let posts = b.posts.filter { !$0.geometry.isEmpty }.map(\.geometry)
        var pipBest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = Date()
            _ = try PointLocator.locateAll(points, in: posts)
            pipBest = min(pipBest, Date().timeIntervalSince(t0))
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("{\"points\":\(points.count),\"located\":\(located),\"seconds\":\(String(format: "%.4f", best)),"
              + "\"points_per_s\":\(Int(Double(points.count) / best)),\"posts_only_seconds\":\(String(format: "%.4f", pipBest)),\"convert_seconds\":\(String(format: "%.4f", convertSeconds)),\"cores\":\(cores)}")
    }

    /// Geocodes the file's addresses, then the gazetteer hits among them, each repeated to `minAddresses`.
    func benchGeocoder(_ b: Boundaries, file: String) throws {
        let addresses = try Self.addresses(in: file)
        var locator = CaseLocator(boundaries: b, defaultCRS: .wgs84)
        let t0 = Date()
        try locator.enableGeocoding()
        let geocoder = locator.geocoder!.withHome(from: addresses)
        let buildSeconds = Date().timeIntervalSince(t0)
        let first = geocoder.geocodeAll(addresses)
        let hits = zip(addresses, first).filter { $0.1.method == .address && $0.1.match == .exact }.map(\.0)
        func rate(_ list: [String]) -> (Int, Double) {
            guard !list.isEmpty else { return (0, 0) }
            let batch = Array(repeatElement(list, count: max(1, minAddresses / list.count)).joined())
            var best = Double.infinity
            for _ in 0..<max(1, repeats) {
                let t = Date()
                _ = geocoder.geocodeAll(batch)
                best = min(best, Date().timeIntervalSince(t))
            }
            return (batch.count, Double(batch.count) / best)
        }
        let (n, all) = rate(addresses)
        let (h, hit) = rate(hits)
        let located = first.filter(\.isLocated).count
        print("{\"addresses\":\(addresses.count),\"located\":\(located),\"gazetteer_hits\":\(hits.count),"
              + "\"timed\":\(n),\"addresses_per_s\":\(Int(all)),\"timed_hits\":\(h),\"hits_per_s\":\(Int(hit)),"
              + "\"build_seconds\":\(String(format: "%.3f", buildSeconds)),\"cores\":\(ProcessInfo.processInfo.activeProcessorCount)}")
    }

    /// The address column of a CSV (address, 事发地址, 投诉地址 or 地址).
    static func addresses(in file: String) throws -> [String] {
        let text = try TextDecoding.decode(try Data(contentsOf: URL(fileURLWithPath: file)), file: file)
        let rows = CSVReader.rows(in: text)
        guard let header = rows.first?.fields,
              let col = ["address", "事发地址", "投诉地址", "地址"].lazy.compactMap({ header.firstIndex(of: $0) }).first else {
            throw InputError(file: file, location: "line 1", "no address column (address, 事发地址, 投诉地址 or 地址)")
        }
        return rows.dropFirst().map { col < $0.fields.count ? $0.fields[col] : "" }
    }
}
