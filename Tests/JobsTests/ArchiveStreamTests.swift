import Foundation
import Support
import TestSupport
import Testing
@testable import Archives
import Rendering

/// The streaming archive builders and readers (issue 16): tiles put from several threads with many
/// duplicates, read back by independent readers (the `pmtiles` package, Python's sqlite3, GDAL's
/// MBTiles driver — GDAL 3.6 has no PMTiles driver) and by `openTileArchive`; each distinct content
/// stored once; the file bytes independent of the put order.
@Suite struct ArchiveStreamTests {
    static let info = TileSetInfo(name: "stream", description: "test tiles", bounds: (113.9, 22.4, 114.2, 22.7),
                                  minZoom: 10, maxZoom: 13, tileSize: 256, version: "20261122")

    /// Real PNGs (GDAL decodes one): a few flat colours repeated everywhere, and a unique PNG for every
    /// seventh tile. Tiles of one 4×4 block at z13 share a colour, so runs of equal consecutive tiles exist.
    static let tiles: [TileID: [UInt8]] = {
        var out: [TileID: [UInt8]] = [:]
        let flat = (0..<6).map { c in png(rgba: [UInt8(40 * c), 200, UInt8(255 - 30 * c), 255]) }
        var seed: UInt64 = 7
        for z in 10...13 {
            let n = 1 << (z - 10)
            for x in (836 * n)..<(836 * n + 3 * n) { for y in (445 * n)..<(445 * n + 3 * n) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let id = TileID(z: z, x: x, y: y)
                out[id] = (x + y) % 7 == 0 ? png(rgba: [UInt8(truncatingIfNeeded: seed >> 40), UInt8(x % 256), UInt8(y % 256), 128])
                    : flat[((x / 4) + (y / 4)) % flat.count]
            } }
        }
        return out
    }()

    static func png(rgba: [UInt8]) -> [UInt8] {
        (try? PNGEncoder.encodeRGBA(Array((0..<(16 * 16)).flatMap { _ in rgba }), width: 16, height: 16)) ?? []
    }

    /// The tiles put into a new builder from all cores (in `order`), finished to `url`.
    static func build(_ kind: TileArchiveKind, _ tiles: [TileID: [UInt8]], order: [TileID], to url: URL) throws {
        let builder = try makeTileArchiveBuilder(kind, spoolDirectory: url.deletingLastPathComponent())
        _ = try parallelMap(order.count) { i in try builder.put(order[i], tiles[order[i]]!) }
        #expect(builder.count == tiles.count)
        try builder.finish(info: info, to: url)
        #expect(builder.count == tiles.count)
    }

    static func folderOfTiles(_ tiles: [TileID: [UInt8]], in dir: URL, layer: String) throws -> URL {
        let out = dir.appendingPathComponent("out")
        for (id, png) in tiles {
            let file = out.appendingPathComponent("tiles/\(layer)/\(id).png")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(png).write(to: file)
        }
        return out
    }

    /// Every tile read back equal by the `pmtiles` package and sqlite3 (scripts/oracles/check_archives.py:
    /// addressed tiles and tile_contents against the folder), runs used, one `images` row per content.
    @Test func independentReadersSeeEveryTileOnce() throws {
        let dir = try Repo.temporaryFolder("archstream")
        let tiles = Self.tiles
        let distinct = Set(tiles.values).count
        #expect(distinct < tiles.count / 3)
        let pm = dir.appendingPathComponent("t.pmtiles"), mb = dir.appendingPathComponent("t.mbtiles")
        try Self.build(.pmtiles, tiles, order: Array(tiles.keys), to: pm)
        try Self.build(.mbtiles, tiles, order: Array(tiles.keys), to: mb)
        let out = try Self.folderOfTiles(tiles, in: dir, layer: "t")
        let r = try python([Repo.root.appendingPathComponent("scripts/oracles/check_archives.py").path, out.path, "t", mb.path, pm.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let script = """
        import sys, json, sqlite3
        from pmtiles.reader import MmapSource, Reader, traverse
        from pmtiles.tile import deserialize_directory
        with open(sys.argv[1], "rb") as f:
            src = MmapSource(f); h = Reader(src).header()
            raw = open(sys.argv[1], "rb").read()
            import gzip
            root = deserialize_directory(raw[h["root_offset"]:h["root_offset"] + h["root_length"]])
        entries = [e for e in root if e.run_length > 0]
        # Two entries that should have been one run: same bytes, ids one after the other.
        unmerged = sum(1 for a, b in zip(entries, entries[1:]) if a.offset == b.offset and a.tile_id + a.run_length == b.tile_id)
        db = sqlite3.connect(sys.argv[2])
        kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name IN ('tiles', 'images', 'map')"))
        print(json.dumps({"entries": len(entries), "longest_run": max(e.run_length for e in entries), "unmerged": unmerged,
                          "contents": h["tile_contents_count"], "addressed": h["addressed_tiles_count"],
                          "images": db.execute("SELECT COUNT(*) FROM images").fetchone()[0],
                          "map": db.execute("SELECT COUNT(*) FROM map").fetchone()[0], "kinds": kinds}))
        """
        let p = try python(["-c", script, pm.path, mb.path])
        #expect(p.status == 0, "\(p.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(got["contents"] as? Int == distinct && got["addressed"] as? Int == tiles.count, "\(got)")
        #expect((got["longest_run"] as? Int ?? 0) > 1 && got["unmerged"] as? Int == 0, "\(got)")
        #expect((got["entries"] as? Int ?? .max) < tiles.count, "\(got)")
        #expect(got["images"] as? Int == distinct && got["map"] as? Int == tiles.count, "\(got)")
        #expect(got["kinds"] as? [String: String] == ["tiles": "view", "images": "table", "map": "table"], "\(got)")
    }

    /// GDAL's MBTiles driver opens the deduplicated layout (through the `tiles` view) and sees the zooms.
    @Test func gdalOpensTheMBTiles() throws {
        let dir = try Repo.temporaryFolder("archgdal")
        let mb = dir.appendingPathComponent("t.mbtiles")
        try Self.build(.mbtiles, Self.tiles, order: Array(Self.tiles.keys), to: mb)
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["gdalinfo", "-json", mb.path])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(info["driverShortName"] as? String == "MBTiles", "\(info)")
        let metadata = (info["metadata"] as? [String: Any])?[""] as? [String: String] ?? [:]
        #expect(metadata["ZOOM_LEVEL"] == "13" && metadata["name"] == "stream", "\(metadata)")
        #expect((info["bands"] as? [Any])?.count == 4, "\(info)")
    }

    /// `openTileArchive` reads both kinds back: every tile equal, in (z, x, y) order, nothing else addressed.
    @Test(arguments: TileArchiveKind.allCases)
    func readersRoundTrip(kind: TileArchiveKind) throws {
        let dir = try Repo.temporaryFolder("archread-\(kind)")
        let url = dir.appendingPathComponent("t.\(kind.fileExtension)")
        try Self.build(kind, Self.tiles, order: Array(Self.tiles.keys), to: url)
        let reader = try openTileArchive(url)
        #expect(reader.kind == kind)
        #expect(reader.count == Self.tiles.count)
        var seen: [TileID] = []
        try reader.forEachTile { id, png in
            seen.append(id)
            #expect(Self.tiles[id] == png, "\(id)")
        }
        #expect(seen == Self.tiles.keys.sorted())
        for (id, png) in Self.tiles { #expect(try reader.tile(id) == png, "\(id)") }
        for absent in [TileID(z: 9, x: 418, y: 222), TileID(z: 13, x: 0, y: 0), TileID(z: 14, x: 6688, y: 3560), TileID(z: 0, x: 0, y: 0)] {
            #expect(try reader.tile(absent) == nil, "\(absent)")
        }
    }

    /// Large PMTiles with leaf directories (the set of HeatAndArchiveTests) read back through the leaves.
    @Test func pmtilesReaderFollowsLeafDirectories() throws {
        var tiles: [TileID: [UInt8]] = [:]
        var seed: UInt64 = 42
        for x in 0..<256 { for y in 0..<256 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            tiles[TileID(z: 8, x: x, y: y)] = (x + y) % 3 == 0 ? [1, 2, 3] : Array("\(x)/\(y)\(String(repeating: "#", count: Int(seed >> 56)))".utf8)
        } }
        let url = try Repo.temporaryFolder("archleaves").appendingPathComponent("big.pmtiles")
        try PMTilesWriter.write(tiles, info: Self.info, to: url)
        let reader = try openTileArchive(url)
        var n = 0
        try reader.forEachTile { id, png in n += 1; #expect(tiles[id] == png) }
        #expect(n == tiles.count && reader.count == tiles.count)
        for (id, png) in tiles.prefix(2000) { #expect(try reader.tile(id) == png) }
    }

    /// A PMTiles archive riskmap did not write — the `pmtiles` package's writer, tiles given in random
    /// order (not clustered), 65,536 of them (leaf directories) — read back tile for tile.
    @Test func pmtilesReaderReadsAForeignArchive() throws {
        let url = try Repo.temporaryFolder("archforeign").appendingPathComponent("py.pmtiles")
        let script = """
        import sys, random
        from pmtiles.writer import Writer
        from pmtiles.tile import zxy_to_tileid, TileType, Compression
        def data(z, x, y):
            return b"same" if (x + y) % 3 == 0 else f"{z}/{x}/{y}".encode() + b"#" * ((x * 7 + y * 13) % 200)
        ids = [(8, x, y) for x in range(256) for y in range(256)] + [(0, 0, 0), (1, 1, 0), (2, 3, 1)]
        random.Random(5).shuffle(ids)
        with open(sys.argv[1], "wb") as f:
            w = Writer(f)
            for z, x, y in ids:
                w.write_tile(zxy_to_tileid(z, x, y), data(z, x, y))
            w.finalize({"tile_type": TileType.PNG, "tile_compression": Compression.NONE, "min_lon_e7": 0, "min_lat_e7": 0,
                        "max_lon_e7": 10000000, "max_lat_e7": 10000000, "center_zoom": 0, "center_lon_e7": 0, "center_lat_e7": 0},
                       {"name": "foreign"})
        """
        let r = try python(["-c", script, url.path])
        #expect(r.status == 0, "\(r.stderr)")
        func data(_ id: TileID) -> [UInt8] {
            (id.x + id.y) % 3 == 0 ? Array("same".utf8)
                : Array("\(id.z)/\(id.x)/\(id.y)\(String(repeating: "#", count: (id.x * 7 + id.y * 13) % 200))".utf8)
        }
        let reader = try openTileArchive(url)
        var seen: [TileID] = []
        try reader.forEachTile { id, png in seen.append(id); #expect(png == data(id), "\(id)") }
        let expected = [TileID(z: 0, x: 0, y: 0), TileID(z: 1, x: 1, y: 0), TileID(z: 2, x: 3, y: 1)]
            + (0..<256).flatMap { x in (0..<256).map { TileID(z: 8, x: x, y: $0) } }
        #expect(seen == expected)
        for id in expected.prefix(3000) { #expect(try reader.tile(id) == data(id)) }
        #expect(try reader.tile(TileID(z: 1, x: 0, y: 0)) == nil)
    }

    /// An MBTiles with a plain `tiles` table (the layout riskmap wrote before, and most tools write), read
    /// through the same reader; TMS rows turned back into XYZ.
    @Test func mbtilesReaderReadsAPlainTilesTable() throws {
        let url = try Repo.temporaryFolder("archplain").appendingPathComponent("plain.mbtiles")
        let script = """
        import sys, sqlite3
        db = sqlite3.connect(sys.argv[1])
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        for z in range(4):
            for x in range(1 << z):
                for y in range(1 << z):
                    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, f"{z}/{x}/{y}".encode()))
        db.commit()
        """
        let r = try python(["-c", script, url.path])
        #expect(r.status == 0, "\(r.stderr)")
        let reader = try openTileArchive(url)
        #expect(reader.kind == .mbtiles && reader.count == 85)
        var seen: [TileID] = []
        try reader.forEachTile { id, png in seen.append(id); #expect(png == Array("\(id)".utf8)) }
        #expect(seen == seen.sorted() && seen.count == 85)
        #expect(try reader.tile(TileID(z: 3, x: 1, y: 6)) == Array("3/1/6".utf8))
        #expect(try reader.tile(TileID(z: 4, x: 1, y: 6)) == nil)
    }

    /// The same tiles in two shuffled orders, one builder per order, all cores putting: the same bytes.
    @Test(arguments: TileArchiveKind.allCases)
    func finishIsDeterministicAcrossPutOrders(kind: TileArchiveKind) throws {
        let dir = try Repo.temporaryFolder("archdet-\(kind)")
        var rng = SystemRandomNumberGenerator()
        let a = dir.appendingPathComponent("a.\(kind.fileExtension)"), b = dir.appendingPathComponent("b.\(kind.fileExtension)")
        try Self.build(kind, Self.tiles, order: Self.tiles.keys.shuffled(using: &rng), to: a)
        try Self.build(kind, Self.tiles, order: Self.tiles.keys.sorted().reversed(), to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        // Only the two archives remain: no spool, no partial file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [a.lastPathComponent, b.lastPathComponent])
    }

    /// `discard` (and dropping an unfinished builder) deletes the spool; a second put of one tile throws.
    @Test(arguments: TileArchiveKind.allCases)
    func discardLeavesNoSpool(kind: TileArchiveKind) throws {
        let dir = try Repo.temporaryFolder("archdiscard-\(kind)")
        let builder = try makeTileArchiveBuilder(kind, spoolDirectory: dir)
        try builder.put(TileID(z: 1, x: 0, y: 1), [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1)
        #expect(throws: (any Error).self) { try builder.put(TileID(z: 1, x: 0, y: 1), [1, 2, 3]) }
        #expect(throws: (any Error).self) { try builder.put(TileID(z: 1, x: 2, y: 0), [1]) }
        #expect(builder.count == 1)
        builder.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(throws: (any Error).self) { try builder.finish(info: Self.info, to: dir.appendingPathComponent("x.\(kind.fileExtension)")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        do {
            let dropped = try makeTileArchiveBuilder(kind, spoolDirectory: dir)
            try dropped.put(TileID(z: 0, x: 0, y: 0), [9])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// Zooms or bounds the archive headers cannot hold (a hand-edited tiles.json given to `merge`) stop
    /// `finish` with an error naming the file, instead of trapping; nothing is written.
    @Test(arguments: TileArchiveKind.allCases)
    func impossibleTileSetInfoIsAnError(kind: TileArchiveKind) throws {
        let dir = try Repo.temporaryFolder("archinfo-\(kind)")
        for info in [TileSetInfo(name: "t", description: "t", bounds: (0, 0, 1, 1), minZoom: 0, maxZoom: 300, tileSize: 256),
                     TileSetInfo(name: "t", description: "t", bounds: (.nan, 0, 1, 1), minZoom: 0, maxZoom: 3, tileSize: 256),
                     TileSetInfo(name: "t", description: "t", bounds: (0, 0, 1e12, 1), minZoom: 0, maxZoom: 3, tileSize: 256)] {
            let builder = try makeTileArchiveBuilder(kind, spoolDirectory: dir)
            try builder.put(TileID(z: 0, x: 0, y: 0), [1])
            let url = dir.appendingPathComponent("t.\(kind.fileExtension)")
            let error = #expect(throws: (any Error).self) { try builder.finish(info: info, to: url) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(url.path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }
    }

    /// A truncated archive, a foreign file, a missing file: the error names the file and what is wrong.
    @Test func openErrorsNameTheFile() throws {
        let dir = try Repo.temporaryFolder("archbad")
        let pm = dir.appendingPathComponent("t.pmtiles"), mb = dir.appendingPathComponent("t.mbtiles")
        try Self.build(.pmtiles, Self.tiles, order: Array(Self.tiles.keys), to: pm)
        try Self.build(.mbtiles, Self.tiles, order: Array(Self.tiles.keys), to: mb)
        let whole = try Data(contentsOf: pm)
        let cases: [(String, Data, String)] = [
            ("header.pmtiles", whole.prefix(100), "truncated PMTiles header"),
            ("half.pmtiles", whole.prefix(whole.count / 2), "beyond the end of the file"),
            ("text.pmtiles", Data("hello, not an archive\n".utf8), "not a tile archive"),
            ("half.mbtiles", try Data(contentsOf: mb).prefix(1024), "MBTiles"),
        ]
        for (name, bytes, what) in cases {
            let url = dir.appendingPathComponent(name)
            try bytes.write(to: url)
            let error = #expect(throws: (any Error).self) { _ = try openTileArchive(url) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(url.path), "\(name): \(String(describing: error))")
            #expect("\(error.map { "\($0)" } ?? "")".contains(what), "\(name): \(String(describing: error))")
        }
        let missing = dir.appendingPathComponent("none.pmtiles")
        let error = #expect(throws: (any Error).self) { _ = try openTileArchive(missing) }
        #expect("\(error.map { "\($0)" } ?? "")".contains(missing.path))
    }

    /// Before issue 16 the archive was built in memory; the builder that replaced it was checked to write
    /// the same bytes (commit 6c7106f compared both ways). These are the in-memory writer's files, by
    /// size and FNV-1a hash.
    @Test func builderWritesWhatTheInMemoryWriterWrote() throws {
        let dir = try Repo.temporaryFolder("archlegacy")
        var big: [TileID: [UInt8]] = [:]
        var seed: UInt64 = 42
        for x in 0..<256 { for y in 0..<256 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            big[TileID(z: 8, x: x, y: y)] = (x + y) % 3 == 0 ? [1, 2, 3] : Array("\(x)/\(y)\(String(repeating: "#", count: Int(seed >> 56)))".utf8)
        } }
        // Several zooms, flat contents repeated in 4×4 blocks, every seventh tile unique (no PNG encoder:
        // these bytes must not change when the renderer does).
        var zooms: [TileID: [UInt8]] = [:]
        for z in 10...13 {
            let n = 1 << (z - 10)
            for x in (836 * n)..<(836 * n + 3 * n) { for y in (445 * n)..<(445 * n + 3 * n) {
                zooms[TileID(z: z, x: x, y: y)] = Array(((x + y) % 7 == 0 ? "\(z)/\(x)/\(y)" : "flat\(((x / 4) + (y / 4)) % 6)").utf8)
            } }
        }
        for (name, tiles, size, hash) in [("zooms", zooms, 2094, "d0ae7c136ac69d9a"), ("big", big, 5_987_810, "4bf0c73bb312f6e8")] {
            let url = dir.appendingPathComponent("\(name).pmtiles")
            try PMTilesWriter.write(tiles, info: Self.info, to: url)
            let bytes = try Data(contentsOf: url)
            #expect(bytes.count == size && fnv1a64Hex(bytes) == hash, "\(name)")
        }
    }

    /// Not a timed test: run with RISKMAP_ARCHIVE_BENCH=1 to print the rate and memory of 200,000 puts
    /// (a tenth of them distinct, 2 KiB each) and of `finish`, per kind.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RISKMAP_ARCHIVE_BENCH"] != nil), arguments: TileArchiveKind.allCases)
    func benchmarkManyPuts(kind: TileArchiveKind) throws {
        let dir = try Repo.temporaryFolder("archbench-\(kind)")
        let n = 200_000, side = 512
        let builder = try makeTileArchiveBuilder(kind, spoolDirectory: dir)
        let before = Self.residentMiB()
        let start = Date()
        _ = try parallelMap(n) { i in
            let id = TileID(z: 17, x: 106_000 + i % side, y: 57_000 + i / side)
            var png = [UInt8](repeating: UInt8(i % 251), count: 2048)
            if i % 10 == 0 { withUnsafeBytes(of: i) { png.replaceSubrange(0..<8, with: $0) } } else { png[0] = UInt8(i % 7) }
            try builder.put(id, png)
        }
        let put = Date().timeIntervalSince(start), afterPuts = Self.residentMiB()
        let url = dir.appendingPathComponent("bench.\(kind.fileExtension)")
        try builder.finish(info: Self.info, to: url)
        let finish = Date().timeIntervalSince(start) - put
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        print("bench \(kind): \(n) puts in \(String(format: "%.2f", put)) s (\(Int(Double(n) / put))/s), finish \(String(format: "%.2f", finish)) s, "
              + "archive \(size >> 20) MiB, RSS \(before) → \(afterPuts) MiB after the puts, \(Self.residentMiB()) after finish")
        #expect(try openTileArchive(url).count == n)
    }

    /// This process's resident set (VmRSS), MiB.
    static func residentMiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}
