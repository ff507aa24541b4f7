import Foundation
import Support
import Model
import Output
import Projection
import Rendering
import Geometry

/// What the tiles of a run were drawn from, kept in the output folder (`.riskmap-tiles.state`) so the
/// next run can re-render only the tiles whose content can have changed.
///
/// - `fingerprint`: everything that changes every tile at once (style file, boundary files, zooms,
///   tile size, the drawing code's version). Any difference: full render.
/// - `fills`: per zone layer, the fill colour of every zone, in the boundaries' order.
/// - `heat`: the heat points drawn, sorted. Ids are not needed: a tile depends only on the multiset of
///   (lon, lat, weight), and two sorted arrays diff in one pass.
/// - `density`: the heat layer's density in fixed point (`FixedDensity`), from which the next run
///   makes its own by drawing only the kernels of the points that changed. Its blocks are stored
///   packed (`PackedBlock`) and the file is written piece by piece: a province's density is gigabytes
///   as plain Int64 blocks.
public struct TileState: Equatable, Sendable {
    public static let fileName = OutputMarker.tileStateFile
    /// Bump when a renderer changes its pixels or its tiles' bytes, or this file's layout: old states
    /// then force a full render (4: zone tiles' palette PNGs compressed with zlib's run-length strategy,
    /// and the density blocks stored packed).
    public static let version = "riskmap-tiles-4"

    public var fingerprint: String
    public var fills: [String: [String]]
    public var heat: [HeatPoint]
    var density = FixedDensity(scale: 1, blocks: [:])

    /// Layout, all little-endian: magic line; UInt32 length + JSON {fingerprint, fills}; UInt64 count +
    /// count × 3 Float64 (lon, lat, weight); then the density: Float32 scale, UInt32 block count and per
    /// block (in key order) Int64 x, Int64 y, UInt32 length + the `PackedBlock` bytes.
    /// `append` receives the file in pieces of about a megabyte at most.
    public func write(_ append: (Data) throws -> Void) throws {
        var data = Data("\(Self.version)\n".utf8)
        let header = TileStateHeader(fingerprint: fingerprint, fills: fills).jsonData()
        data.append(littleEndian: UInt32(header.count))
        data.append(header)
        data.append(littleEndian: UInt64(heat.count))
        try append(data)
        let chunk = 1 << 15
        for start in stride(from: 0, to: heat.count, by: chunk) {
            var values = [Double]()
            values.reserveCapacity(chunk * 3)
            for p in heat[start..<min(heat.count, start + chunk)] { values += [p.lon, p.lat, p.weight] }
            // Float64 in memory order: little-endian on every platform Swift on Linux runs on (x86-64, arm64).
            try append(values.withUnsafeBytes { Data($0) })
        }
        data = Data()
        data.append(littleEndian: density.scale.bitPattern)
        data.append(littleEndian: UInt32(density.blocks.count))
        for key in density.blocks.keys.sorted() {
            let packed = density.blocks[key]?.bytes ?? []
            data.append(littleEndian: Int64(key.x))
            data.append(littleEndian: Int64(key.y))
            data.append(littleEndian: UInt32(packed.count))
            data.append(contentsOf: packed)
            if data.count >= 1 << 20 { try append(data); data.removeAll(keepingCapacity: true) }
        }
        try append(data)
    }

    /// The whole file in memory (for tests and small states; runs write it with `write`).
    public func encoded() -> Data {
        var data = Data()
        try? write { data.append($0) }
        return data
    }

    static let blockValues = 256 * 256

    /// nil for a missing, foreign or damaged file: the run then renders everything.
    public init?(data: Data) {
        guard let state = data.withUnsafeBytes({ Self.read(ByteReader(raw: $0)) }) else { return nil }
        self = state
    }

    private static func read(_ start: ByteReader) -> TileState? {
        var reader = start
        guard reader.line() == Self.version, let n = reader.uint32().map(Int.init),
              let header = reader.bytes(n),
              let json = try? DocumentJSON.decode(TileStateHeader.self, from: Data(header)),
              let count = reader.uint64().map(Int.init), count >= 0, count <= reader.remaining / 24,
              let points = reader.bytes(count * 24) else { return nil }
        let heat = (0..<count).map { i in
            HeatPoint(lon: points.loadUnaligned(fromByteOffset: i * 24, as: Double.self),
                      lat: points.loadUnaligned(fromByteOffset: i * 24 + 8, as: Double.self),
                      weight: points.loadUnaligned(fromByteOffset: i * 24 + 16, as: Double.self))
        }
        guard let scale = reader.uint32().map(Float.init(bitPattern:)), let blockCount = reader.uint32().map(Int.init),
              blockCount <= reader.remaining / 20 else { return nil }
        // The packed bytes are checked when the next field unpacks them (`DensityField`): a block that
        // does not unpack makes it draw every kernel.
        var blocks: [BlockKey: PackedBlock] = [:]
        blocks.reserveCapacity(blockCount)
        for _ in 0..<blockCount {
            guard let x = reader.uint64(), let y = reader.uint64(), let n = reader.uint32().map(Int.init),
                  let bytes = reader.bytes(n) else { return nil }
            blocks[BlockKey(x: Int(Int64(bitPattern: x)), y: Int(Int64(bitPattern: y)))] = PackedBlock(bytes: Array(bytes))
        }
        guard reader.atEnd, blocks.count == blockCount else { return nil }
        return TileState(fingerprint: json.fingerprint, fills: json.fills, heat: heat, density: FixedDensity(scale: scale, blocks: blocks))
    }

    init(fingerprint: String, fills: [String: [String]], heat: [HeatPoint],
         density: FixedDensity = FixedDensity(scale: 1, blocks: [:])) {
        self.fingerprint = fingerprint; self.fills = fills; self.heat = heat; self.density = density
    }

    /// The state a folder holds, if any.
    static func read(folder: URL) -> TileState? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName), options: .alwaysMapped) else { return nil }
        return TileState(data: data)
    }
}

/// The points in one sorted array (`HeatPoint.canonicalOrder`) and not in the other, both ways: the
/// points whose kernels a run must redraw.
func changedPoints(_ old: [HeatPoint], _ new: [HeatPoint]) -> [HeatPoint] {
    let (removed, added) = HeatPoint.difference(old, new)
    return removed + added
}

/// The tiles of zooms `options.minZoom...maxZoom` within the kernel's reach of any of `points`.
///
/// A case's kernel covers the disk of radius `bandwidth` (on the ground) around it; finer levels
/// interpolate the sampling level bilinearly, which reaches one sampled pixel further. The reach used
/// is 1.5 × the bandwidth plus 4 sampled pixels: a few extra tiles re-rendered cost little, a tile
/// missed would be wrong. `extraPixels` more pixels of each zoom: a shifted pyramid (`DatumShift`)
/// interpolates between the pixels of the zoom itself, which reaches one of them further.
func heatTiles(around points: [HeatPoint], bandwidthMetres h: Double, sampleLevel: Int, options: TileOptions,
               extraPixels: Double = 0) -> Set<TileID> {
    var tiles = Set<TileID>()
    let world = 2 * WebMercator.originShift
    for p in points {
        let m = WebMercator.project(.init(p.lon, p.lat))
        let (u, v) = (m.x / world + 0.5, 0.5 - m.y / world)
        let reach = 1.5 * h / max(cos(p.lat * .pi / 180), 0.01) / world + 4 / (256 * pow(2, Double(sampleLevel)))
        for z in options.minZoom...options.maxZoom {
            let n = 1 << z, scale = Double(n)
            let reach = reach + extraPixels / (256 * scale)
            func index(_ t: Double) -> Int { min(max(Int((t * scale).rounded(.down)), 0), n - 1) }
            for x in index(u - reach)...index(u + reach) {
                for y in index(v - reach)...index(v + reach) { tiles.insert(TileID(z: z, x: x, y: y)) }
            }
        }
    }
    return tiles
}

extension HeatPoint {
    /// The point in the datum of a shifted pyramid: where its kernel's tiles lie there.
    func moved(by shift: DatumShift) -> HeatPoint {
        let c = shift.fromWGS84(Coordinate(lon, lat))
        return HeatPoint(lon: c.x, lat: c.y, weight: weight)
    }
}
