import Foundation
import Support
import Output
import Rendering

/// Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
/// one file, header + root directory in the first 16 KiB, then JSON metadata, leaf directories and the
/// tile data — clustered (tile data in tile-id order) and deduplicated (identical tiles stored once;
/// runs of consecutive identical tiles share one directory entry).
///
/// Directories and metadata are gzip-compressed (zlib, `Gzip.compress`), as readers expect; compressed,
/// a root directory holds several times the entries in its 16 KiB, so fewer archives need leaves. PNG
/// tiles are already compressed and stored as they are (tile compression "none").
public enum PMTilesWriter {
    /// The archive of `tiles` (all in memory): a thin wrapper over `PMTilesBuilder`, spooling next to `url`.
    public static func write(_ tiles: [TileID: [UInt8]], info: TileSetInfo, to url: URL) throws {
        let builder = try makeTileArchiveBuilder(.pmtiles, spoolDirectory: url.deletingLastPathComponent())
        for (id, png) in tiles { try builder.put(id, png) }
        try builder.finish(info: info, to: url)
    }
}

/// Builds a PMTiles archive from tiles spooled as they come (see `TileSpool`): `finish` sorts the
/// entries by tile id, writes header, directories and metadata, then copies each distinct content once
/// from the spool, in the order of its first tile (clustered).
final class PMTilesBuilder: SpooledTileArchiveBuilder {
    let spool: TileSpool
    init(spool: TileSpool) { self.spool = spool }

    func finish(info: TileSetInfo, to url: URL) throws {
        defer { spool.remove() }
        try info.check(for: url)
        let table = try spool.take()
        let (entries, order) = PMTiles.cluster(table)
        let (root, leaves) = try PMTiles.directories(entries)
        let metadata = Gzip.compress(Array(PMTiles.metadataJSON(info).utf8), level: 9)
        var header = PMTiles.Header(info: info)
        header.rootOffset = 127; header.rootLength = root.count
        header.metadataOffset = 127 + root.count; header.metadataLength = metadata.count
        header.leafOffset = header.metadataOffset + metadata.count; header.leafLength = leaves.count
        header.dataOffset = header.leafOffset + leaves.count
        header.dataLength = order.reduce(0) { $0 + Int(table.contents[Int($1)].length) }
        header.addressedTiles = table.tiles.count
        header.tileEntries = entries.count
        header.tileContents = order.count
        let out = try FileWriter(url)
        try out.write(header.bytes() + root + metadata + leaves)
        try spool.copy(order.map { table.contents[Int($0)] }, to: out)
        try out.commit()
    }
}

/// The PMTiles v3 format: tile ids, directories, header and metadata, as the builder writes them and
/// the reader reads them.
enum PMTiles {
    static let magic = Array("PMTiles".utf8) + [3]

    /// Entries in tile-id order, tiles of equal content in one run where their ids follow each other;
    /// the contents in the order the data section holds them (first appearance).
    static func cluster(_ table: TileSpool.Table) -> (entries: [Entry], order: [UInt32]) {
        var dataOffset = [Int](repeating: -1, count: table.contents.count)
        var order: [UInt32] = []
        var size = 0
        var entries: [Entry] = []
        for (id, content) in table.tiles.sorted(by: { $0.key < $1.key }) {
            let length = Int(table.contents[Int(content)].length)
            if dataOffset[Int(content)] < 0 {
                dataOffset[Int(content)] = size
                order.append(content)
                size += length
            }
            let offset = dataOffset[Int(content)]
            if var last = entries.last, last.offset == offset, last.tileID + UInt64(last.runLength) == id {
                last.runLength += 1
                entries[entries.count - 1] = last
            } else {
                entries.append(Entry(tileID: id, offset: offset, length: length, runLength: 1))
            }
        }
        return (entries, order)
    }

    /// One directory entry: `runLength` tiles from `tileID` with the same bytes, or (runLength 0) a leaf
    /// directory.
    struct Entry: Equatable {
        var tileID: UInt64, offset: Int, length: Int, runLength: Int
    }

    /// The root directory, and the leaf directories when the root alone would not fit in the first
    /// 16 KiB: leaves of `size` entries (doubled until the root of leaf pointers fits).
    static func directories(_ entries: [Entry]) throws -> (root: [UInt8], leaves: [UInt8]) {
        let limit = 16_384 - 127
        let root = Gzip.compress(serialize(entries), level: 9)
        if root.count <= limit { return (root, []) }
        var size = 4096
        while true {
            var leaves: [UInt8] = [], pointers: [Entry] = []
            for start in stride(from: 0, to: entries.count, by: size) {
                let leaf = Gzip.compress(serialize(Array(entries[start..<min(entries.count, start + size)])), level: 9)
                pointers.append(Entry(tileID: entries[start].tileID, offset: leaves.count, length: leaf.count, runLength: 0))
                leaves += leaf
            }
            let root = Gzip.compress(serialize(pointers), level: 9)
            if root.count <= limit { return (root, leaves) }
            size *= 2
        }
    }

    /// Varints: count, tile-id deltas, run lengths, lengths, then offsets (0 = right after the previous
    /// entry's bytes, else offset + 1).
    static func serialize(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        varint(UInt64(entries.count), into: &out)
        var last: UInt64 = 0
        for e in entries { varint(e.tileID - last, into: &out); last = e.tileID }
        for e in entries { varint(UInt64(e.runLength), into: &out) }
        for e in entries { varint(UInt64(e.length), into: &out) }
        for (i, e) in entries.enumerated() {
            let follows = i > 0 && e.offset == entries[i - 1].offset + entries[i - 1].length
            varint(follows ? 0 : UInt64(e.offset) + 1, into: &out)
        }
        return out
    }

    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// The spec's tile id: tiles of all lower zooms first, then the position on the Hilbert curve.
    static func tileID(z: Int, x: Int, y: Int) -> UInt64 {
        var acc = ((UInt64(1) << (2 * UInt64(z))) - 1) / 3
        var x = UInt64(x), y = UInt64(y)
        var a = z - 1
        while a >= 0 {
            let s = UInt64(1) << UInt64(a)
            let rx = s & x, ry = s & y
            acc += ((3 * rx) ^ ry) << UInt64(a)
            if ry == 0 {
                if rx != 0 { x = s &- 1 &- x; y = s &- 1 &- y }
                swap(&x, &y)
            }
            a -= 1
        }
        return acc
    }

    static func metadataJSON(_ info: TileSetInfo) -> String { DocumentJSON.text(Metadata(info)) }

    /// The archive's JSON metadata, as MBTiles' metadata table holds it (zooms, bounds and centre as text).
    struct Metadata: Encodable {
        var name: String
        var description: String
        var attribution = "riskmap"
        var type = "overlay"
        var format = "png"
        var version: String
        var tileSize: Int
        var bounds: String
        var center: String
        var minzoom: String
        var maxzoom: String

        init(_ info: TileSetInfo) {
            let b = info.bounds, c = info.center
            name = info.name; description = info.description; tileSize = info.tileSize; version = info.version
            bounds = "\(b.west),\(b.south),\(b.east),\(b.north)"
            center = "\(c.lon),\(c.lat),\(c.zoom)"
            minzoom = "\(info.minZoom)"
            maxzoom = "\(info.maxZoom)"
        }
    }

    /// The fixed 127-byte header, little-endian.
    struct Header {
        var rootOffset = 0, rootLength = 0, metadataOffset = 0, metadataLength = 0
        var leafOffset = 0, leafLength = 0, dataOffset = 0, dataLength = 0
        var addressedTiles = 0, tileEntries = 0, tileContents = 0
        let info: TileSetInfo

        func bytes() -> [UInt8] {
            var out = Array("PMTiles".utf8) + [3]
            for v in [rootOffset, rootLength, metadataOffset, metadataLength, leafOffset, leafLength,
                      dataOffset, dataLength, addressedTiles, tileEntries, tileContents] {
                withUnsafeBytes(of: UInt64(v).littleEndian) { out += $0 }
            }
            // clustered, internal compression gzip (2), tile compression none (1), tile type png (2)
            out += [1, 2, 1, 2, UInt8(info.minZoom), UInt8(info.maxZoom)]
            let b = info.bounds, c = info.center
            for d in [b.west, b.south, b.east, b.north] { e7(d, &out) }
            out.append(UInt8(c.zoom))
            e7(c.lon, &out); e7(c.lat, &out)
            precondition(out.count == 127)
            return out
        }

        private func e7(_ degrees: Double, _ out: inout [UInt8]) {
            withUnsafeBytes(of: Int32((degrees * 1e7).rounded()).littleEndian) { out += $0 }
        }
    }
}
