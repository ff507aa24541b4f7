import ArgumentParser
import Foundation
import Server
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an output folder over HTTP: the viewer, tiles, GeoJSON and the JSON API.",
        discussion: """
        Endpoints: / (the viewer), /tiles.json, /tiles/{layer}/{z}/{x}/{y}.png (204 where a layer has no data),
        /api/zones?level=L, /api/stats?level=L&parent=ID&sort=cases|score|trend|density&top=N&format=json|csv,
        /api/locate?q=LON,LAT, /healthz, and the folder's other files. When DIR/current is a symlink (daily
        history) the folder it points to is served, followed anew on every request.

        Listens on loopback only unless --host says otherwise. Stop with Ctrl-C.

        Example:
          riskmap serve --out output --port 8080
        """)

    @Option(help: ArgumentHelp("Output folder of `riskmap run` to serve.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("TCP port; 0 picks a free one (printed at start).", valueName: "n"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Address to listen on; 0.0.0.0 makes the maps reachable from other machines.", valueName: "addr"))
    var host: String = "127.0.0.1"

    @Option(name: .customLong("allow-origin"),
            help: ArgumentHelp("Let web pages from this origin (or '*') fetch the GeoJSON and API (CORS); off by default.", valueName: "origin"))
    var allowOrigin: String?

    @Option(help: ArgumentHelp("Case database of `riskmap run --db`: /api/stats then answers every option of `riskmap stats` (category, dates); without it, from the served zone GeoJSON.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Style for /api/stats with --db.", valueName: "file"))
    var style: String = "styles/default.toml"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host is empty") }
    }

    func run() async throws {
        try db.map { try DatabaseOwnership.check(URL(fileURLWithPath: $0)) }
        let folder = ServedFolder(URL(fileURLWithPath: out))
        try folder.validate()
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            FileHandle.standardError.write(Data("riskmap: warning: listening on \(host): reachable from other machines\n".utf8))
        }
        let server = RiskServer(folder: folder, services: .standard(db: db.map { URL(fileURLWithPath: $0) }, style: URL(fileURLWithPath: style)), allowOrigin: allowOrigin)
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
