import ArgumentParser
import Foundation
import Support
import Server
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an output folder over HTTP: the viewer, tiles, GeoJSON and the JSON API.",
        discussion: """
        Endpoints: / (the viewer), /tiles.json (TileJSON 3.0 with absolute tile URLs, from the request's Host or --public-url), /tiles/{layer}.json (one layer's TileJSON), /tiles/{layer}/{z}/{x}/{y}.png (204 where a layer has no data), the same under /tiles-gcj02 when the run published GCJ-02 tiles, /api/zones?level=L, /api/stats?level=L&parent=ID&sort=cases|score|trend|density&top=N&format=json|csv, /api/locate?q=LON,LAT or ADDRESS, /healthz, /metrics (Prometheus text format: requests and latency per route, tiles served, cache hits and misses), and the folder's other files. When DIR/current is a symlink (daily history) the folder it points to is served, followed anew on every request.

        Conventions: files and JSON answers carry an ETag (If-None-Match gives 304); JSON and GeoJSON are gzip-compressed when Accept-Encoding allows it (compressed once, kept in the cache); files answer single byte ranges (Range: bytes=A-B, A-, -N; 206, or 416), .pmtiles archives as application/vnd.pmtiles; OPTIONS answers CORS preflights of --allow-origin origins. One access-log line per request (method, path, status, bytes, ms) goes to standard error, none with --quiet.

        Prints one line, `riskmap: serving DIR on http://HOST:PORT/`, on standard output once listening (also with --quiet: it is the result scripts read the port from).

        Listens on loopback only unless --host says otherwise. Stop with Ctrl-C.

        Limits: files and API answers are kept in memory up to --cache-mib MiB
        (least recently used dropped first; API answers by their normalised
        query, so reordered or re-escaped parameters share one entry). A
        connection idle for --idle-timeout seconds is closed (also one still
        sending its request head). A request target over 8 KiB gets 414; a
        header field over 16 KiB, a request head over 32 KiB or more than 100
        header fields get 400 and the connection closed; request bodies are not
        accepted (413): only GET, HEAD and OPTIONS are answered. With --db the database
        is checked (PRAGMA quick_check) at start-up: a damaged one stops the
        server with exit 1.

        Example:
          riskmap serve --out output --port 8080
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The output folder of `riskmap run` to serve.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("TCP port to listen on; 0 picks a free one (printed at start).", valueName: "n"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Address to listen on; 0.0.0.0 makes the maps reachable from other machines.", valueName: "addr"))
    var host: String = "127.0.0.1"

    @Option(name: .customLong("allow-origin"),
            help: ArgumentHelp("Let web pages from this origin (or '*': any) fetch the tiles, GeoJSON and API (CORS, preflights answered); repeat for several origins; off by default.", valueName: "origin"))
    var allowOrigin: [String] = []

    @Option(name: .customLong("public-url"),
            help: ArgumentHelp("The server's address as clients see it, behind a proxy (e.g. https://maps.example.org/risk/): tile URLs in /tiles.json start with it; default: http:// and the request's Host.", valueName: "url"))
    var publicURL: String?

    @Flag(name: .customLong("public"),
          help: "For a public dashboard: refuse cases.geojson (403) unless the run placed cases with --case-points snap:METRES or none (report.json's case_points); rejects.csv and repeats.csv (addresses) are never served.")
    var isPublic = false

    @Option(help: ArgumentHelp("Case database of `riskmap run --db`: /api/stats then answers every option of `riskmap stats` (category, dates); without it, from the served zone GeoJSON.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("With --db: a style file (TOML) for /api/stats, instead of the built-in style.", valueName: "file"))
    var style: String?

    @Option(name: .customLong("cache-mib"),
            help: ArgumentHelp("Memory for cached files and API answers, in MiB (1...65536).", valueName: "n"))
    var cacheMiB: Int = 64

    @Option(name: .customLong("idle-timeout"),
            help: ArgumentHelp("Close a connection idle for this many seconds (0.1...86400).", valueName: "s"))
    var idleTimeout: Double = 30

    func validate() throws {
        guard (1...65536).contains(cacheMiB) else { throw ValidationError("--cache-mib must be 1...65536, got \(cacheMiB)") }
        guard idleTimeout.isFinite, (0.1...86400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be 0.1...86400 seconds, got \(idleTimeout)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host is empty") }
        if let publicURL, let problem = ServeOptions.problem(publicURL: publicURL) { throw ValidationError(problem) }
        for origin in allowOrigin where origin.isEmpty || origin.contains(where: \.isWhitespace) || origin.contains(",") {
            throw ValidationError("--allow-origin must be one origin (scheme://host[:port]) or '*', got '\(origin)'")
        }
    }

    func run() async throws {
        let folder = ServedFolder(URL(fileURLWithPath: out))
        try folder.validate()
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            global.warn("listening on \(host): reachable from other machines")
        }
        let database = db.map { URL(fileURLWithPath: $0) }
        if let database { try ServerServices.verifyDatabase(database) }
        let limits = ServerLimits(cacheBytes: cacheMiB << 20, idleTimeout: .milliseconds(Int((idleTimeout * 1000).rounded())))
        let services = ServerServices.standard(db: database, style: style.map { URL(fileURLWithPath: $0) })
        // The access log: one line per request on stderr, off with -q.
        let accessLog = global.quiet ? nil : ServeOptions.standardErrorLog()
        let options = ServeOptions(allowOrigins: allowOrigin, publicURL: publicURL, isPublic: isPublic, accessLog: accessLog)
        let server = RiskServer(folder: folder, services: services, options: options, limits: limits)
        // The access log is written in batches: what is pending goes out when the server stops.
        defer { ServeOptions.flushStandardErrorLog() }
        do {
            try await server.run(host: host, port: port) { bound in
                // One line on stdout with the real port, so scripts (and tests) using --port 0 can find it.
                FileHandle.standardOutput.write(Data("riskmap: serving \(folder.base.path) on http://\(host):\(bound)/\n".utf8))
            }
        } catch {
            throw ServeError("cannot serve on \(host):\(port): \(error)")
        }
    }
}

struct ServeError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
