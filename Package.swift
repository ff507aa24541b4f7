// swift-tools-version:6.0
// riskmap: environmental complaint cases → zone risk maps (tiles, GeoJSON, report).
// Layers, lowest first: C bridges → Geometry → Projection → Input → Risk → Rendering → Output → Jobs → riskmap (CLI).
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
    ],
    targets: [
        // C libraries from Debian's -dev packages (see ../shared/c-libraries.md).
        .systemLibrary(name: "CGEOS", path: "Sources/CGEOS", pkgConfig: "geos",
                       providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", path: "Sources/CPROJ", pkgConfig: "proj",
                       providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"])]),

        // Plain geometry value types and the GEOS bridge.
        .target(name: "Geometry", dependencies: ["CGEOS"], path: "Sources/Geometry"),
        // Coordinate systems: PROJ, GCJ-02/BD-09, Web Mercator.
        .target(name: "Projection", dependencies: ["Geometry", "CPROJ"], path: "Sources/Projection"),
        // Domain model and readers: boundaries (GeoJSON), cases (CSV).
        .target(name: "Input", dependencies: ["Geometry", "Projection"], path: "Sources/Input"),
        // The offline address geocoder: normalisation, parsing, matching against zone names and the gazetteer.
        .target(name: "Geocoding", dependencies: ["Input"], path: "Sources/Geocoding"),
        // Styles (TOML) and zone scoring.
        .target(name: "Risk", dependencies: ["Input", .product(name: "TOMLKit", package: "TOMLKit")],
                path: "Sources/Risk"),
        // Tile math, rasterising, PNG encoding.
        .target(name: "Rendering", dependencies: ["Geometry", "Projection", "CPNG"], path: "Sources/Rendering"),
        // GeoJSON, CSV and JSON writers; atomic publication of the output folder.
        .target(name: "Output", dependencies: ["Input", "Risk", "Rendering", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Sources/Output"),
        // State kept across daily runs: every case seen, in SQLite (GRDB).
        .target(name: "Store", dependencies: ["Input", "Risk", .product(name: "GRDB", package: "GRDB.swift"),
                                             .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Sources/Store"),
        // The jobs behind the commands (run, check, locate, stats), callable from tests.
        .target(name: "Jobs", dependencies: ["Input", "Geocoding", "Risk", "Rendering", "Output", "Store"],
                path: "Sources/Jobs"),
        // `riskmap serve`: the output folder and its APIs over HTTP (Hummingbird).
        .target(name: "Server", dependencies: ["Jobs", "Output", "Geocoding", .product(name: "Hummingbird", package: "hummingbird")],
                path: "Sources/Server"),
        // The command line.
        .executableTarget(name: "riskmap",
                          dependencies: ["Jobs", "Server", "Output", "Rendering", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Sources/CommandLine"),

        .testTarget(name: "GeometryTests", dependencies: ["Geometry"], path: "Tests/GeometryTests"),
        .testTarget(name: "ProjectionTests", dependencies: ["Projection"], path: "Tests/ProjectionTests"),
        .testTarget(name: "InputTests", dependencies: ["Input"], path: "Tests/InputTests"),
        .testTarget(name: "GeocodingTests", dependencies: ["Geocoding"], path: "Tests/GeocodingTests"),
        .testTarget(name: "RiskTests", dependencies: ["Risk"], path: "Tests/RiskTests"),
        .testTarget(name: "StoreTests", dependencies: ["Store"], path: "Tests/StoreTests"),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering"], path: "Tests/RenderingTests"),
        // Paths and child processes for the tests that run the real binary.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Output", "TestSupport"], path: "Tests/JobsTests"),
        .testTarget(name: "ServerTests",
                    dependencies: ["Server", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/ServerTests"),
    ]
)

// Coverage-guided fuzzing (scripts/fuzz.sh): one libFuzzer binary, built only with RISKMAP_FUZZ=1 and
// -sanitize=fuzzer, so that the ordinary `swift build` and `swift test` never see it.
if Context.environment["RISKMAP_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "riskmap-fuzz", dependencies: ["Input", "Geocoding", "Risk", "Jobs", "Server"], path: "Fuzz/Sources/riskmap-fuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
