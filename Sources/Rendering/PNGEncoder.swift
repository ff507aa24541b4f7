import CPNG

/// A PNG could not be produced.
public enum PNGError: Error, CustomStringConvertible, Equatable {
    /// The caller's buffers do not describe an image (sizes, indices, palette length).
    case invalidInput(String)
    /// libpng refused; carries its message.
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return "PNG encoding: invalid input: \(m)"
        case .encodingFailed(let m): return "PNG encoding failed (libpng): \(m)"
        }
    }
}

/// PNG encoding through libpng's simplified API, which handles its own errors (no setjmp in Swift).
/// Always `PNG_IMAGE_FLAG_FAST`: for tiles, speed beats a few percent of size (0.26 vs 1.45 ms per tile).
public enum PNGEncoder {
    /// Straight (non-premultiplied) 8-bit RGBA, row-major, no padding.
    public static func encodeRGBA(_ pixels: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        try checkSize(width, height)
        guard pixels.count == width * height * 4 else {
            throw PNGError.invalidInput("\(pixels.count) bytes for a \(width)×\(height) RGBA image")
        }
        return try pixels.withUnsafeBytes { buffer in
            try write(width: width, height: height, format: CPNG_FORMAT_RGBA, entries: 0,
                      buffer: buffer.baseAddress!, colormap: nil)
        }
    }

    /// An 8-bit palette image: one index per pixel into `palette` (1–256 straight RGBA colours; entries
    /// with alpha < 255 become the tRNS chunk). libpng packs small palettes to 1, 2 or 4 bits itself.
    public static func encodePalette(indices: [UInt8], width: Int, height: Int,
                                     palette: [RGBA8]) throws -> [UInt8] {
        var scratch: [UInt8] = []
        return try encodePalette(indices: indices, width: width, height: height, palette: palette, scratch: &scratch)
    }

    /// `encodePalette` compressing into `scratch`, kept and reused by the caller (a renderer's worker
    /// draws hundreds of tiles: one worst-case buffer each would be allocated and page-faulted anew).
    public static func encodePalette(indices: [UInt8], width: Int, height: Int,
                                     palette: [RGBA8], scratch: inout [UInt8]) throws -> [UInt8] {
        try checkSize(width, height)
        guard indices.count == width * height else {
            throw PNGError.invalidInput("\(indices.count) indices for a \(width)×\(height) image")
        }
        guard (1...256).contains(palette.count) else {
            throw PNGError.invalidInput("palette of \(palette.count) colours (1–256 allowed)")
        }
        if let bad = indices.first(where: { Int($0) >= palette.count }) {
            throw PNGError.invalidInput("index \(bad) beyond a palette of \(palette.count) colours")
        }
        let colormap = palette.flatMap { [$0.r, $0.g, $0.b, $0.a] }
        return try indices.withUnsafeBytes { buffer in
            try colormap.withUnsafeBytes { map in
                try write(width: width, height: height, format: CPNG_FORMAT_RGBA_COLORMAP,
                          entries: palette.count, buffer: buffer.baseAddress!, colormap: map.baseAddress, scratch: &scratch)
            }
        }
    }

    private static func checkSize(_ width: Int, _ height: Int) throws {
        guard width > 0, height > 0, width <= 1 << 20, height <= 1 << 20 else {
            throw PNGError.invalidInput("image size \(width)×\(height)")
        }
    }

    /// Straight RGBA from a caller's buffer, compressed into `scratch` (kept and reused by the caller, so
    /// that a renderer's workers do not allocate and page-fault a worst-case buffer for every tile).
    static func encodeRGBA(_ pixels: UnsafeRawPointer, width: Int, height: Int,
                           scratch: inout [UInt8]) throws -> [UInt8] {
        try write(width: width, height: height, format: CPNG_FORMAT_RGBA, entries: 0,
                  buffer: pixels, colormap: nil, scratch: &scratch)
    }

    private static func write(width: Int, height: Int, format: png_uint_32, entries: Int,
                              buffer: UnsafeRawPointer, colormap: UnsafeRawPointer?) throws -> [UInt8] {
        var scratch: [UInt8] = []
        return try write(width: width, height: height, format: format, entries: entries,
                         buffer: buffer, colormap: colormap, scratch: &scratch)
    }

    /// One call of png_image_write_to_memory into a buffer of the documented worst-case size, so that
    /// the image is compressed once (the two-call pattern, size query then write, compresses twice).
    private static func write(width: Int, height: Int, format: png_uint_32, entries: Int,
                              buffer: UnsafeRawPointer, colormap: UnsafeRawPointer?,
                              scratch: inout [UInt8]) throws -> [UInt8] {
        var image = png_image()
        image.version = CPNG_IMAGE_VERSION
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = format
        image.flags = CPNG_IMAGE_FLAG_FAST
        image.colormap_entries = png_uint_32(entries)
        let capacity = cpng_image_png_size_max(&image)
        if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
        var size = png_alloc_size_t(capacity)
        let ok = scratch.withUnsafeMutableBytes { out in
            png_image_write_to_memory(&image, out.baseAddress, &size, 0, buffer, 0, colormap)
        }
        guard ok != 0, cpng_image_failed(&image) == 0 else {
            let message = libpngMessage(image)
            png_image_free(&image)
            throw PNGError.encodingFailed(message)
        }
        return Array(scratch[0..<Int(size)])
    }

    /// The NUL-terminated message libpng leaves in the image's 64-byte buffer.
    private static func libpngMessage(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            let text = raw.prefix { $0 != 0 }
            return text.isEmpty ? "unknown error" : String(decoding: text, as: UTF8.self)
        }
    }
}
