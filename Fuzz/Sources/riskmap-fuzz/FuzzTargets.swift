// libFuzzer entry point for riskmap's readers of untrusted input. One binary, the target picked by
// RISKMAP_FUZZ_TARGET (csv, boundary, address, style, server); see scripts/fuzz.sh and docs/fuzzing.md.
// Built only when RISKMAP_FUZZ=1 (see Package.swift), with -sanitize=fuzzer,address.
// A target returns normally on any input: thrown errors are the expected answer to bad input; a
// crash, a sanitizer report or a timeout is a bug.
import Foundation
import Geometry
@testable import Input
@testable import Geocoding
@testable import Location
@testable import Risk
@testable import Server
import Stats

/// libFuzzer's driver (in libclang_rt.fuzzer, linked by -sanitize=fuzzer). On Linux SwiftPM links an
/// executable target with `main` defined as `<module>_main`, which libFuzzer's own `main` cannot be:
/// this is that function, and it hands the command line to the driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("riskmap_fuzz_main")
public func riskmapFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    // Built before fuzzing starts, not inside the first input's time limit (it reads and indexes the
    // demo district).
    if FuzzTarget.selected == .address { _ = FuzzTarget.geocoder }
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, riskmapFuzzTestOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func riskmapFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    switch FuzzTarget.selected {
    case .csv: FuzzTarget.csv(bytes)
    case .boundary: FuzzTarget.boundary(bytes)
    case .address: FuzzTarget.address(bytes)
    case .style: FuzzTarget.style(bytes)
    case .server: FuzzTarget.server(bytes)
    }
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case csv, boundary, address, style, server

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["RISKMAP_FUZZ_TARGET"] ?? ""
        guard let t = FuzzTarget(rawValue: name) else {
            fatalError("set RISKMAP_FUZZ_TARGET to one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return t
    }()

    /// The repository's root (for the demo boundaries the address target geocodes against).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A scratch folder of this process, for targets whose entry point reads files.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Case files: bytes → text decoding (UTF-8, BOM, GB18030) → CSV → header → rows, as `run` reads them.
    static func csv(_ bytes: Data) {
        guard let text = try? TextDecoding.decode(bytes, file: "fuzz.csv") else { return }
        _ = CSVReader.rows(in: text)
        _ = try? CaseFileReader.parse(text: text, displayName: "fuzz.csv")
    }

    /// Boundary folders through the public reader: the first byte picks which of the three files gets
    /// the input, the other two are small valid files.
    static func boundary(_ bytes: Data) {
        guard let selector = bytes.first else { return }
        let folder = scratch.appendingPathComponent("boundaries")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = ["streets.geojson": validStreets, "communities.geojson": validCommunities, "posts.geojson": validPosts]
        let fuzzed = ["streets.geojson", "communities.geojson", "posts.geojson"][Int(selector % 3)]
        for (name, text) in files {
            let content = name == fuzzed ? bytes.dropFirst() : Data(text.utf8)
            try? content.write(to: folder.appendingPathComponent(name))
        }
        _ = try? BoundaryReader(folder: folder).read()
    }

    static let square = "[[[114.0,22.5],[114.1,22.5],[114.1,22.6],[114.0,22.6],[114.0,22.5]]]"
    static let validStreets = """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"S1","name":"莲花街道"},
        "geometry":{"type":"Polygon","coordinates":\(square)}}]}
        """
    static let validCommunities = """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C1","name":"彩田社区","parent":"S1"},
        "geometry":{"type":"Polygon","coordinates":\(square)}}]}
        """
    static let validPosts = """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P1","parent":"C1"},
        "geometry":{"type":"Point","coordinates":[114.05,22.55]}}]}
        """

    /// Addresses: normalisation, parsing and matching against the demo district and its gazetteer.
    static let geocoder: Geocoder = {
        do {
            let boundaries = try BoundaryReader(folder: repository.appendingPathComponent("boundaries/demo")).read()
            var locator = try CaseLocator(boundaries: boundaries, defaultCRS: .wgs84)
            try locator.enableGeocoding()
            guard let geocoder = locator.geocoder else { fatalError("no geocoder") }
            return geocoder
        } catch {
            fatalError("cannot build the demo geocoder: \(error)")
        }
    }()

    static func address(_ bytes: Data) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = Normalizer.normalizedString(text)
        _ = Geocoder.door(text)
        _ = geocoder.geocode(text)
    }

    /// Style files, TOML → every key checked.
    static func style(_ bytes: Data) {
        let file = scratch.appendingPathComponent("style.toml")
        guard (try? bytes.write(to: file)) != nil else { return }
        _ = try? Style(url: file)
    }

    /// Request paths and query strings, decoded as the server does before any file is touched.
    static func server(_ bytes: Data) {
        let text = String(decoding: bytes, as: UTF8.self)
        let (path, query) = text.firstIndex(of: "?").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
            ?? (text, nil)
        if let segments = RequestPath.segments(path) { _ = try? TileAddress.parse(segments) }
        if let q = try? QueryString(query, allowed: StatsQuery.parameters) { _ = try? StatsQuery(q) }
        if let q = try? QueryString(query, allowed: LocateQuery.parameters) { _ = try? LocateQuery(q) }
    }
}
