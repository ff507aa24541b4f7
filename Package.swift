// swift-tools-version:6.0
// riskmap: environmental complaint cases → zone risk maps (tiles, GeoJSON, report).
// Layers, lowest first (docs/architecture.md draws them; docs/layers.txt lists what each may import and
// scripts/check_layers.py checks it): Support → Geometry (CGEOS) → Projection (CPROJ) → Model → Input →
// Geocoding, Risk, Rendering (CPNG) → Output, Store → Archives → Location, Tiles, Stats, Publishing → Pipeline →
// Server, riskmap (CLI).
import PackageDescription

let package = Package(
    name: "riskmap",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "riskmap", targets: ["riskmap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // Already Hummingbird's own dependencies; named because the server imports them itself.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // The server's /metrics: swift-metrics (also what Hummingbird's MetricsMiddleware records to) with
        // the Prometheus backend.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages (see ../shared/c-libraries.md).
        .systemLibrary(name: "CGEOS", path: "Sources/CGEOS", pkgConfig: "geos",
                       providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", path: "Sources/CPROJ", pkgConfig: "proj",
                       providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"])]),
        // zlib, which libpng already links: gzip for PMTiles directories and the server's answers, the zone
        // tiles' palette PNGs.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Small building blocks of every layer: parallel loops (the one concurrency helper), progress bars, a byte
        // reader, gzip.
        .target(name: "Support", dependencies: ["CZlib"], path: "Sources/Support"),
        // Plain geometry value types and the GEOS bridge.
        .target(name: "Geometry", dependencies: ["CGEOS", "Support"], path: "Sources/Geometry"),
        // Coordinate systems: PROJ, GCJ-02/BD-09, Web Mercator.
        .target(name: "Projection", dependencies: ["Geometry", "CPROJ"], path: "Sources/Projection"),
        // The domain model every layer shares: zones, levels, days, cases, zone references, rejects.
        .target(name: "Model", dependencies: ["Geometry", "Projection", "Support"], path: "Sources/Model"),
        // Readers of foreign input: boundaries (GeoJSON), cases (CSV).
        .target(name: "Input", dependencies: ["Model", "Geometry", "Projection", "Support"], path: "Sources/Input"),
        // The offline address geocoder: normalisation, parsing, matching against zone names and the gazetteer.
        .target(name: "Geocoding", dependencies: ["Model", "Input", "Geometry", "Projection", "Support"], path: "Sources/Geocoding"),
        // Styles (TOML) and zone scoring.
        .target(name: "Risk", dependencies: ["Model", "Geometry", "Support", .product(name: "TOMLKit", package: "TOMLKit")],
                path: "Sources/Risk"),
        // Tile math, rasterising, PNG encoding.
        .target(name: "Rendering", dependencies: ["Model", "Geometry", "Projection", "Support", "CPNG", "CZlib"], path: "Sources/Rendering"),
        // The documents of an output folder (GeoJSON, CSV, report, TileJSON, legend, viewer) and its
        // atomic publication, one writer at a time.
        .target(name: "Output", dependencies: ["Model", "Geometry", "Support", "Input", "Risk"], path: "Sources/Output"),
        // State kept across daily runs: every case seen, in SQLite (GRDB).
        .target(name: "Store", dependencies: ["Model", "Geometry", "Support", "Risk", .product(name: "GRDB", package: "GRDB.swift"),
                                             .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Sources/Store"),
        // Placing cases and points into zones: the zone index, coordinates, the geocoder, its cache.
        .target(name: "Location", dependencies: ["Model", "Geometry", "Projection", "Support", "Input", "Geocoding", "Store", "Output"],
                path: "Sources/Location"),
        // The tile layers of a run, drawn in full or only where something changed (tile state).
        .target(name: "Tiles", dependencies: ["Model", "Geometry", "Projection", "Support", "Risk", "Rendering", "Output", "Archives"],
                path: "Sources/Tiles"),
        // `riskmap stats` and the server's statistics: one query type, from the database or a folder.
        .target(name: "Stats", dependencies: ["Model", "Geometry", "Support", "Input", "Risk", "Store", "Output"], path: "Sources/Stats"),
        // The tile-archive formats (PMTiles, MBTiles): streaming builders that spool tiles to disk, and readers.
        .target(name: "Archives", dependencies: ["Support", "Geometry", "Model", "Output", "Rendering", .product(name: "GRDB", package: "GRDB.swift"),
                                                .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Sources/Archives"),
        // The archives of a run (`--mbtiles`, `--pmtiles`) and the merge of shards.
        .target(name: "Publishing", dependencies: ["Model", "Geometry", "Support", "Rendering", "Output", "Archives",
                                                  .product(name: "GRDB", package: "GRDB.swift")],
                path: "Sources/Publishing"),
        // The jobs behind `run` (a pipeline of typed stages) and `check`, composing the layers below.
        .target(name: "Pipeline", dependencies: ["Model", "Geometry", "Projection", "Support", "Input", "Risk",
                                                "Rendering", "Output", "Store", "Location", "Tiles", "Publishing"],
                path: "Sources/Pipeline"),
        // `riskmap serve`: the output folder and its APIs over HTTP (Hummingbird).
        .target(name: "Server", dependencies: ["Model", "Geometry", "Projection", "Support", "Input", "Geocoding", "Output",
                                              "Location", "Stats", "Rendering", "Archives", .product(name: "Hummingbird", package: "hummingbird"),
                                              .product(name: "HummingbirdCore", package: "hummingbird"),
                                              .product(name: "Logging", package: "swift-log"),
                                              .product(name: "NIOCore", package: "swift-nio"),
                                              .product(name: "Metrics", package: "swift-metrics"),
                                              .product(name: "Prometheus", package: "swift-prometheus")],
                path: "Sources/Server"),
        // The command line.
        .executableTarget(name: "riskmap",
                          dependencies: ["Model", "Geometry", "Projection", "Support", "Input", "Geocoding", "Risk", "Rendering",
                                         "Output", "Store", "Location", "Tiles", "Stats", "Publishing", "Pipeline", "Server",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Sources/CommandLine"),

        .testTarget(name: "GeometryTests", dependencies: ["Geometry"], path: "Tests/GeometryTests"),
        .testTarget(name: "ProjectionTests", dependencies: ["Projection"], path: "Tests/ProjectionTests"),
        .testTarget(name: "InputTests", dependencies: ["Model", "Support", "Input"], path: "Tests/InputTests"),
        .testTarget(name: "GeocodingTests", dependencies: ["Model", "Geocoding"], path: "Tests/GeocodingTests"),
        // Input reads the demo's boundaries for the statistics' PySAL comparisons.
        .testTarget(name: "RiskTests", dependencies: ["Model", "Geometry", "Input", "Risk", "TestSupport"], path: "Tests/RiskTests"),
        .testTarget(name: "StoreTests", dependencies: ["Model", "Store"], path: "Tests/StoreTests"),
        .testTarget(name: "RenderingTests", dependencies: ["Model", "Projection", "Rendering"], path: "Tests/RenderingTests"),
        // Paths and child processes for the tests that run the real binary.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The documents of an output folder: each type against what the real writer wrote.
        .testTarget(name: "OutputTests", dependencies: ["Model", "Geometry", "Output", "TestSupport"], path: "Tests/OutputTests"),
        .testTarget(name: "JobsTests", dependencies: ["Model", "Support", "Input", "Geocoding", "Risk", "Rendering", "Output", "Store", "Location", "Tiles", "Stats", "Archives", "Publishing", "Pipeline", "TestSupport"], path: "Tests/JobsTests"),
        .testTarget(name: "ServerTests",
                    dependencies: ["Model", "Support", "Server", "Output", "Stats", "Location", "Rendering", "Archives", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "Logging", package: "swift-log")],
                    path: "Tests/ServerTests"),
    ]
)

// Coverage-guided fuzzing (scripts/fuzz.sh): one libFuzzer binary, built only with RISKMAP_FUZZ=1 and
// -sanitize=fuzzer, so that the ordinary `swift build` and `swift test` never see it.
if Context.environment["RISKMAP_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "riskmap-fuzz", dependencies: ["Model", "Geometry", "Input", "Geocoding", "Risk", "Location", "Stats", "Server"], path: "Fuzz/Sources/riskmap-fuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
