import CZlib

/// 8-bit palette PNGs (the zone tiles) written straight through zlib, one writer per worker, reused for
/// every tile: the chunks libpng's simplified API writes (IHDR, sRGB, PLTE, tRNS, IDAT, IEND), but the
/// rows compressed with filter None and zlib's run-length strategy (`Z_RLE`: only matches at distance
/// one). A zone tile's rows are long runs of a few indices, which RLE codes as well as a full match
/// search and faster (the demo's drawn zone tiles: 3.6 MB of IDAT against 4.7 MB at libpng's level 3),
/// and the stream is reset per tile instead of allocated anew. zlib writes a raw deflate stream; the
/// zlib header and the Adler-32 trailer around it are ours (the same bytes zlib would write): zlib's
/// Adler-32 reads every byte, this one sums a run of equal bytes in one step (`Adler32`).
final class PalettePNGWriter {
    let width: Int, height: Int
    /// zlib keeps a pointer back to its stream: it needs a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>
    /// The filtered image: per row a filter byte (0, None) and the row's indices.
    private var filtered: [UInt8]
    private var compressed: [UInt8]

    /// zlib's fastest level with `Z_RLE`; memLevel 8 (zlib's default) keeps its literal buffer large
    /// enough that a tile is one or two deflate blocks.
    init(width: Int, height: Int) {
        precondition(width > 0 && height > 0 && width <= 1 << 16 && height <= 1 << 16, "image size \(width)×\(height)")
        self.width = width; self.height = height
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // With valid arguments and memory, deflateInit2 cannot fail: a failure here is a broken zlib.
        // windowBits −15: raw deflate with a 32 KB window, no zlib header or trailer.
        guard deflateInit2_(stream, 1, Z_DEFLATED, -15, 8, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            fatalError("zlib: deflateInit2 failed")
        }
        filtered = [UInt8](repeating: 0, count: (width + 1) * height)
        compressed = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(filtered.count))) + 6)
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// The PNG of `indices` (width × height, row-major) into `palette` (1–256 straight RGBA entries;
    /// those with alpha < 255 go into tRNS). Indices must lie within the palette (the caller's
    /// `TilePalette` guarantees it).
    /// `runStarts`, when given, are where the runs of equal indices start (ascending from 0; a run
    /// may be equal to the one before and may span rows): the Adler-32 is then summed from them
    /// without reading the rows.
    func encode(indices: UnsafeBufferPointer<UInt8>, palette: [RGBA8],
                runStarts: UnsafeBufferPointer<Int32>? = nil) throws -> [UInt8] {
        guard indices.count == width * height else {
            throw PNGError.invalidInput("\(indices.count) indices for a \(width)×\(height) image")
        }
        guard (1...256).contains(palette.count) else {
            throw PNGError.invalidInput("palette of \(palette.count) colours (1–256 allowed)")
        }
        if let runStarts, runStarts.first != 0 {
            throw PNGError.invalidInput("runs starting at \(runStarts.first.map(String.init) ?? "none"), not 0")
        }
        let idat = try deflateRows(indices, runStarts: runStarts)
        var png: [UInt8] = []
        png.reserveCapacity(idat + 4 * palette.count + 96)
        png += [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        Self.append32(UInt32(width), to: &header)
        Self.append32(UInt32(height), to: &header)
        header += [8, 3, 0, 0, 0]   // 8-bit indices, palette colour, deflate, adaptive filters, no interlace
        Self.chunk("IHDR", header, to: &png)
        Self.chunk("sRGB", [0], to: &png)          // perceptual, as libpng's simplified API marks its 8-bit images
        Self.chunk("PLTE", palette.flatMap { [$0.r, $0.g, $0.b] }, to: &png)
        if let last = palette.lastIndex(where: { $0.a < 255 }) {
            Self.chunk("tRNS", palette[...last].map(\.a), to: &png)
        }
        compressed.withUnsafeBufferPointer { Self.chunk("IDAT", UnsafeBufferPointer(rebasing: $0[..<idat]), to: &png) }
        Self.chunk("IEND", [], to: &png)
        return png
    }

    /// The zlib header zlib writes for a 32 KB window at level 1 with `Z_RLE` (CMF 0x78; FLG 0x01:
    /// level class 0, no dictionary, check bits making the pair a multiple of 31).
    static let zlibHeader: [UInt8] = [0x78, 0x01]

    /// Filters every row with None and deflates the image into `compressed` as a zlib stream (header,
    /// raw deflate, Adler-32 of the filtered rows); its length.
    private func deflateRows(_ indices: UnsafeBufferPointer<UInt8>, runStarts: UnsafeBufferPointer<Int32>?) throws -> Int {
        let width = self.width
        filtered.withUnsafeMutableBufferPointer { out in
            for row in 0..<height {
                out[row * (width + 1)] = 0
                UnsafeMutableRawPointer(out.baseAddress! + row * (width + 1) + 1)
                    .copyMemory(from: indices.baseAddress! + row * width, byteCount: width)
            }
        }
        guard deflateReset(stream) == Z_OK else { throw PNGError.encodingFailed("zlib: deflateReset failed") }
        let header = Self.zlibHeader.count
        let status = filtered.withUnsafeMutableBufferPointer { src in
            compressed.withUnsafeMutableBufferPointer { dst in
                dst[0] = Self.zlibHeader[0]; dst[1] = Self.zlibHeader[1]
                stream.pointee.next_in = src.baseAddress
                stream.pointee.avail_in = uInt(src.count)
                stream.pointee.next_out = dst.baseAddress! + header
                stream.pointee.avail_out = uInt(dst.count - header - 4)
                // deflateBound is enough for one Z_FINISH call.
                return deflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw PNGError.encodingFailed("zlib: deflate returned \(status)") }
        let end = header + Int(stream.pointee.total_out)
        let check = runStarts.map { Adler32.checksum(rows: indices, width: width, runStarts: $0) }
            ?? filtered.withUnsafeBufferPointer { Adler32.checksum(UnsafeRawBufferPointer($0)) }
        for k in 0..<4 { compressed[end + k] = UInt8(truncatingIfNeeded: check >> UInt32(24 - 8 * k)) }
        return end + 4
    }

    /// Appends a chunk: length, type, data, CRC-32 of type and data.
    private static func chunk<C: Collection>(_ type: String, _ data: C, to png: inout [UInt8]) where C.Element == UInt8 {
        append32(UInt32(data.count), to: &png)
        let start = png.count
        png += Array(type.utf8)
        png += data
        let crc = png.withUnsafeBufferPointer { p in
            crc32(0, p.baseAddress! + start, uInt(p.count - start))
        }
        append32(UInt32(crc), to: &png)
    }

    private static func append32(_ v: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}

/// Adler-32 (RFC 1950) summed run by run: a run of n equal bytes v adds n·v to A and n·A + v·n(n+1)/2
/// to B at once. A palette tile's rows are long runs of a few indices, so this reads a few words per
/// run where zlib's `adler32` adds every byte.
enum Adler32 {
    static let modulus: UInt64 = 65521
    /// Runs up to this long, summed unreduced until more than this many bytes have come since the
    /// last reduction modulo 65521 (so at most 2 · 4096), keep every sum far below 2⁶⁴:
    /// a < 65521 + 8192 · 255 < 2²², and b grows by < 8192 · 2²² + 255 · 8192² < 2³⁶ between reductions.
    private static let unreduced: UInt64 = 4096

    /// The running sums, reduced modulo 65521 once past `unreduced` bytes.
    private struct Sums {
        var a: UInt64 = 1, b: UInt64 = 0, pending: UInt64 = 0

        /// `run` bytes of `value`.
        @inline(__always)
        mutating func add(_ run: UInt64, of value: UInt64) {
            if run <= unreduced {
                // The divisions (modulo) are the costly part: once per few thousand bytes.
                b &+= run &* a &+ value &* (run &* (run &+ 1) / 2)
                a &+= run &* value
                pending &+= run
                if pending > unreduced { a %= modulus; b %= modulus; pending = 0 }
            } else {
                // A long run, reduced as it goes: n(n+1)/2 with the even factor halved first (a
                // run within an image of at most (2¹⁶ + 1) · 2¹⁶ bytes keeps it below 2⁶⁴).
                a %= modulus; b %= modulus; pending = 0
                let triangle = run & 1 == 0 ? (run / 2) &* (run &+ 1) : run &* ((run &+ 1) / 2)
                b = (b &+ run &* a &+ value &* (triangle % modulus)) % modulus
                a = (a &+ run &* value) % modulus
            }
        }

        var checksum: UInt32 { UInt32((b % modulus) << 16 | (a % modulus)) }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var sums = Sums()
        let n = bytes.count
        var i = 0
        while i < n {
            let v = bytes.load(fromByteOffset: i, as: UInt8.self)
            var j = i &+ 1
            // Eight bytes at a time while they all equal v, then byte by byte.
            let word = UInt64(v) &* 0x0101_0101_0101_0101
            while j &+ 8 <= n, bytes.loadUnaligned(fromByteOffset: j, as: UInt64.self) == word { j &+= 8 }
            while j < n, bytes.load(fromByteOffset: j, as: UInt8.self) == v { j &+= 1 }
            sums.add(UInt64(j &- i), of: UInt64(v))
            i = j
        }
        return sums.checksum
    }

    /// The checksum of the filtered image of `indices` (`width` per row, each row after its filter
    /// byte 0) from the runs of equal indices starting at `runStarts` (ascending, the first at 0): each
    /// run is summed in one step per row it spans, its value read once.
    static func checksum(rows indices: UnsafeBufferPointer<UInt8>, width: Int, runStarts: UnsafeBufferPointer<Int32>) -> UInt32 {
        var sums = Sums()
        let n = indices.count
        var r = 0, x = 0
        while x < n {
            if x % width == 0 { sums.add(1, of: 0) }   // the row's filter byte
            while r &+ 1 < runStarts.count && Int(runStarts[r &+ 1]) <= x { r &+= 1 }
            let runEnd = r &+ 1 < runStarts.count ? Int(runStarts[r &+ 1]) : n
            let end = min(runEnd, (x / width &+ 1) &* width)
            sums.add(UInt64(end &- x), of: UInt64(indices[x]))
            x = end
        }
        return sums.checksum
    }
}
