import Archives
import Foundation
import Hummingbird
import HummingbirdTesting
import Rendering
import Testing
@testable import Server

/// `serve` answers tile URLs from `tiles/{layer}.pmtiles|.mbtiles` when the run wrote its tiles only into
/// archives (issue 16, `run --tiles pmtiles|mbtiles`): the same bytes, statuses and headers as from the
/// folder of tile files, through the router.
@Suite("serve: tiles from archives (issue 16)")
struct ArchiveServeTests {
    /// A heat layer at z10–12 with flat tiles repeated (deduplicated in the archives) and unique ones.
    static let heat: [TileID: [UInt8]] = {
        var out: [TileID: [UInt8]] = [:]
        for z in 10...12 {
            let n = 1 << (z - 10)
            for x in (836 * n)..<(836 * n + 2 * n) { for y in (445 * n)..<(445 * n + 2 * n) {
                let body = (x + y) % 5 == 0 ? "tile \(z)/\(x)/\(y)" : "flat \((x / 2 + y / 2) % 3)"
                out[TileID(z: z, x: x, y: y)] = Array(FixtureFolder.tilePNG) + Array(body.utf8)
            } }
        }
        return out
    }()

    /// The fixture with a heat layer in both pyramids' TileJSON, its tiles as files or in one archive
    /// per pyramid (`tiles/heat.pmtiles`, `tiles-gcj02/heat.pmtiles`).
    static func prepare(_ archive: TileArchiveKind?) -> (FixtureFolder) throws -> Void {
        { fixture in
            let out = fixture.out
            let tileJSON = out.appendingPathComponent("tiles.json")
            let text = try String(contentsOf: tileJSON, encoding: .utf8)
                .replacingOccurrences(of: #""layers":["#, with: #""layers":[{"id":"heat","minzoom":10,"maxzoom":12,"tiles":["tiles/heat/{z}/{x}/{y}.png"]},"#)
            try text.write(to: tileJSON, atomically: true, encoding: .utf8)
            try FixtureFolder.addGCJ02Pyramid(to: out)
            for pyramid in TilePyramid.names {
                let folder = out.appendingPathComponent(pyramid)
                guard let archive else {
                    for (id, png) in heat {
                        let file = folder.appendingPathComponent("heat/\(id).png")
                        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try Data(png).write(to: file)
                    }
                    continue
                }
                let builder = try makeTileArchiveBuilder(archive, spoolDirectory: folder)
                for (id, png) in heat { try builder.put(id, png) }
                let info = TileSetInfo(name: "heat", description: "test", bounds: (113.9, 22.4, 114.2, 22.7), minZoom: 10, maxZoom: 12, tileSize: 256)
                try builder.finish(info: info, to: folder.appendingPathComponent("heat.\(archive.fileExtension)"))
            }
        }
    }

    struct Answer: Equatable {
        var status: HTTPResponse.Status
        var body: Data
        var headers: [String: String]
        init(_ r: TestResponse) {
            status = r.status
            body = Data(buffer: r.body)
            let names: [HTTPFields.Element.Name] = [.contentType, .cacheControl, .eTag, .contentLength, .acceptRanges, .contentRange]
            headers = Dictionary(uniqueKeysWithValues: names.compactMap { name in r.headers[name].map { (name.canonicalName, $0) } })
        }
    }

    /// Every heat tile of both pyramids, tiles of the layer not drawn, an unknown layer, 304, Range, HEAD.
    static func requests() -> [(String, HTTPRequest.Method, HTTPFields)] {
        var out: [(String, HTTPRequest.Method, HTTPFields)] = []
        for pyramid in TilePyramid.names {
            for id in heat.keys.sorted() { out.append(("/\(pyramid)/heat/\(id).png", .get, [:])) }
            for id in ["10/0/0", "12/3343/1780", "13/6688/3560", "11/1672/889"] { out.append(("/\(pyramid)/heat/\(id).png", .get, [:])) }
            out.append(("/\(pyramid)/nolayer/10/836/445.png", .get, [:]))
            out.append(("/\(pyramid)/heat/10/836/445.png", .head, [:]))
            out.append(("/\(pyramid)/heat/11/1673/891.png", .get, [.range: "bytes=2-9"]))
            out.append(("/\(pyramid)/heat/11/1673/891.png", .get, [.range: "bytes=9999-"]))
            out.append(("/\(pyramid)/heat/11/1673/891.png", .get, [.ifNoneMatch: etag(heat[TileID(z: 11, x: 1673, y: 891)]!)]))
        }
        return out
    }

    /// The server's ETag of a tile: its content hash.
    static func etag(_ png: [UInt8]) -> String {
        "\"" + String(png.withUnsafeBytes(fnv1a), radix: 16) + "\""
    }

    static func answers(_ archive: TileArchiveKind?) async throws -> [Answer] {
        try await withServer(prepare: prepare(archive)) { client, fixture in
            let fm = FileManager.default
            if let archive {
                #expect(!fm.fileExists(atPath: fixture.out.appendingPathComponent("tiles/heat").path))
                #expect(fm.fileExists(atPath: fixture.out.appendingPathComponent("tiles-gcj02/heat.\(archive.fileExtension)").path))
                // Only the archives beside the layer folders: no spool left.
                #expect(try fm.contentsOfDirectory(atPath: fixture.out.appendingPathComponent("tiles").path).filter { $0.hasPrefix(".") }.isEmpty)
            }
            var out: [Answer] = []
            for (path, method, headers) in requests() {
                out.append(Answer(try await client.execute(uri: path, method: method, headers: headers)))
            }
            return out
        }
    }

    @Test(arguments: TileArchiveKind.allCases)
    func archiveAnswersAsTheFolderDoes(kind: TileArchiveKind) async throws {
        let folder = try await Self.answers(nil)
        let archive = try await Self.answers(kind)
        let requests = Self.requests()
        #expect(folder.count == archive.count)
        for (i, (f, a)) in zip(folder, archive).enumerated() {
            #expect(f == a, "\(requests[i].1) \(requests[i].0) \(requests[i].2)")
        }
        // The cases meant: every tile 200 with its bytes, 204 off the drawn tiles, 404, 304, 206, 416.
        let statuses = archive.map(\.status)
        #expect(statuses.filter { $0 == .ok }.count == 2 * (Self.heat.count + 1))
        #expect(Set(statuses) == [.ok, .noContent, .notFound, .notModified, .partialContent, .rangeNotSatisfiable])
        let first = Self.heat.keys.sorted()[0]
        #expect(archive[0].body == Data(Self.heat[first]!) && archive[0].headers["content-type"] == "image/png")
        #expect(archive[0].headers["cache-control"] == RiskServer.tileCacheControl)
    }

    /// A tile both in the folder and in an archive comes from the folder; archive tiles count as served.
    @Test func folderTileWinsAndArchiveTilesAreCounted() async throws {
        try await withServer(prepare: { fixture in
            try Self.prepare(.pmtiles)(fixture)
            let file = fixture.out.appendingPathComponent("tiles/heat/10/836/445.png")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("from the folder".utf8).write(to: file)
        }) { client, _ in
            func served() async throws -> Double {
                ObservabilityTests.samples(try await get(client, "/metrics").text, "riskmap_tiles_served_total")
                    .filter { $0.labels.contains(#"pyramid="tiles-gcj02""#) && $0.labels.contains(#"result="png""#) }.map(\.value).reduce(0, +)
            }
            #expect(try await get(client, "/tiles/heat/10/836/445.png").text == "from the folder")
            #expect(Array(try await get(client, "/tiles/heat/10/837/445.png").body.readableBytesView) == Self.heat[TileID(z: 10, x: 837, y: 445)])
            let before = try await served()
            for id in Self.heat.keys { _ = try await get(client, "/tiles-gcj02/heat/\(id).png") }
            #expect(try await served() >= before + Double(Self.heat.count))
        }
    }

    /// A broken archive is a server error naming it, not a silent 204.
    @Test func brokenArchiveIsAServerError() async throws {
        try await withServer(prepare: { fixture in
            try Self.prepare(nil)(fixture)
            try FileManager.default.removeItem(at: fixture.out.appendingPathComponent("tiles/heat"))
            try Data("PMTiles".utf8 + [3] + Array(repeating: 0, count: 20)).write(to: fixture.out.appendingPathComponent("tiles/heat.pmtiles"))
        }) { client, _ in
            let r = try await get(client, "/tiles/heat/10/836/445.png")
            #expect(r.status == .internalServerError)
            #expect(r.text.contains("heat.pmtiles"), "\(r.text)")
        }
    }
}
