/// How accumulated winding turns into coverage.
public enum FillRule: Sendable {
    /// Any nonzero winding is inside. Needs holes wound opposite to their exterior (the renderer
    /// orients rings once when it projects them).
    case nonZero
    /// Odd winding is inside: holes work whatever their orientation.
    case evenOdd
}

/// Exact-area antialiased polygon rasterizer (the signed-area accumulation of font-rs / stb_truetype).
///
/// Every edge adds, to each cell it crosses, the signed area it contributes between itself and the
/// cell's right side; a running (prefix) sum along each row then gives, per pixel, the winding-weighted
/// fraction of the pixel covered — the exact area, not a supersampled estimate. Cost is proportional to
/// the edges' length in rows plus the touched rectangle, so small polygons on a big canvas stay cheap.
///
/// Pixel coordinates: x to the right, y down; pixel (i, j) covers [i, i+1) × [j, j+1).
/// Winding: an edge going down (+y) adds +1 to the pixels on its right.
/// Edges outside the canvas are clipped: parts above or below contribute nothing; parts left of x = 0
/// are pushed onto x = 0 (they still switch the winding of every pixel to their right), parts right of
/// x = width onto x = width (a column that is never read).
/// Not thread-safe: one per worker.
public final class Rasterizer {
    public var width: Int { walker.width }
    public var height: Int { walker.height }
    private var walker: EdgeWalker
    private let cells: UnsafeMutablePointer<Float>
    /// One row of coverage handed to `sweep`'s body.
    private let rowCoverage: UnsafeMutablePointer<Float>
    private let touched: TouchedCells

    public init(width: Int, height: Int) {
        walker = EdgeWalker(width: width, height: height)
        cells = .allocate(capacity: walker.stride * height)
        cells.initialize(repeating: 0, count: walker.stride * height)
        rowCoverage = .allocate(capacity: width)
        rowCoverage.initialize(repeating: 0, count: width)
        touched = TouchedCells(cells: walker.stride * height)
    }

    deinit {
        cells.deallocate()
        rowCoverage.deallocate()
        touched.deallocate()
    }

    /// True when nothing has been added since the last sweep.
    public var isEmpty: Bool { walker.isEmpty }

    /// Adds a closed ring (the closing edge last → first is implied; a repeated first point is harmless).
    public func addRing(_ points: [(x: Double, y: Double)]) {
        guard points.count > 2 else { return }
        var prev = points[points.count - 1]
        for p in points {
            addLine(prev.x, prev.y, p.x, p.y)
            prev = p
        }
    }

    /// Adds one directed edge.
    public func addLine(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) {
        walker.addLine(ax, ay, bx, by, into: ScalarSink(cells: cells, touched: touched))
    }

    /// Turns the accumulated cells into coverage in [0, 1], row by row, and clears them for the next
    /// shape. `body(row, firstColumn, coverage)` receives the touched columns of each touched row
    /// (coverage[i] belongs to column firstColumn + i); pixels outside that rectangle have coverage 0.
    public func sweep(rule: FillRule = .nonZero,
                      _ body: (_ row: Int, _ firstColumn: Int, _ coverage: UnsafeBufferPointer<Float>) -> Void) {
        guard let span = walker.takeSpan() else { return }
        for row in span.rows {
            let line = cells + row * walker.stride
            var acc: Float = 0
            for c in span.columns {
                acc += line[c]
                rowCoverage[c - span.columns.lowerBound] = Self.coverage(acc, rule)
            }
            (line + span.cleared.lowerBound).update(repeating: 0, count: span.cleared.count)
            if !span.columns.isEmpty {
                body(row, span.columns.lowerBound, UnsafeBufferPointer(start: rowCoverage, count: span.columns.count))
            }
        }
        touched.clear()
    }

    /// `sweep` (nonzero rule) by runs: between two cells an edge touched, the coverage along a row is
    /// constant, so only those cells are read, and `body(row, columns, coverage)` receives each run of
    /// nonzero coverage once — an outline's band, not the whole tile. The same coverages as `sweep`.
    func sweepRuns(_ body: (_ row: Int, _ columns: Range<Int>, _ coverage: Float) -> Void) {
        guard let span = walker.takeSpan() else { return }
        let c0 = span.columns.lowerBound, c1 = span.columns.upperBound, stride = walker.stride
        for row in span.rows {
            let line = cells + row * stride
            var acc: Float = 0, from = c0
            touched.drain(row * stride, row * stride + stride) { cell in
                let col = cell - row * stride
                if col < c1 {
                    let cov = Self.coverage(acc, .nonZero)
                    if cov > 0 && col > from { body(row, from..<col, cov) }
                    acc += line[col]
                    from = col
                }
                line[col] = 0
            }
            let cov = Self.coverage(acc, .nonZero)
            if cov > 0 && c1 > from { body(row, from..<c1, cov) }
        }
    }

    /// The whole canvas's coverage, row-major (width × height); clears the rasterizer. For tests and
    /// simple callers; the renderer uses `sweep`.
    public func coverage(rule: FillRule = .nonZero) -> [Float] {
        var result = [Float](repeating: 0, count: width * height)
        sweep(rule: rule) { row, c0, cov in
            for i in 0..<cov.count { result[row * width + c0 + i] = cov[i] }
        }
        return result
    }

    @inline(__always)
    private static func coverage(_ acc: Float, _ rule: FillRule) -> Float {
        switch rule {
        case .nonZero:
            return min(abs(acc), 1)
        case .evenOdd:
            // Fold the winding into [0, 2) then mirror: 1 inside odd windings, 0 inside even ones.
            let m = abs(acc).truncatingRemainder(dividingBy: 2)
            return m > 1 ? 2 - m : m
        }
    }
}

/// The same accumulation with a premultiplied colour per cell instead of one number: each edge adds its
/// area contribution times its shape's colour. Because the prefix sum is linear, one sweep then yields
/// Σ coverageᵢ · colourᵢ over all the shapes added — the additive compositing of zone fills (see
/// `TileCanvas.fill`) — in a single pass per tile, however many zones it holds. Exact as long as each
/// shape's winding stays within 0…1 (valid polygons with oriented rings), which is what the renderer feeds.
final class ColorAccumulator {
    private var walker: EdgeWalker
    private let cells: UnsafeMutablePointer<SIMD4<Float>>
    private let touched: TouchedCells

    init(width: Int, height: Int) {
        walker = EdgeWalker(width: width, height: height)
        cells = .allocate(capacity: walker.stride * height)
        cells.initialize(repeating: .zero, count: walker.stride * height)
        touched = TouchedCells(cells: walker.stride * height)
    }

    deinit {
        cells.deallocate()
        touched.deallocate()
    }

    /// Adds one directed edge of a shape painted with premultiplied `color` (winding +1 = full colour).
    @inline(__always)
    func addLine(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, color: SIMD4<Float>) {
        walker.addLine(ax, ay, bx, by, into: ColorSink(cells: cells, touched: touched, color: color))
    }

    /// Writes the prefix sums (the summed colours) into `pixels` (row-major, width × height) — every
    /// pixel: zero outside the touched rectangle — and clears the cells. The canvas needs no clearing
    /// before. Between two cells an edge touched the sum is constant: only those cells are read (and
    /// cleared), the pixels between are filled with the running sum.
    func resolve(into pixels: UnsafeMutablePointer<SIMD4<Float>>) {
        let width = walker.width, height = walker.height, stride = walker.stride
        guard let span = walker.takeSpan() else {
            pixels.update(repeating: .zero, count: width * height)
            return
        }
        pixels.update(repeating: .zero, count: span.rows.lowerBound * width)
        let c0 = span.columns.lowerBound, c1 = span.columns.upperBound
        for row in span.rows {
            let line = cells + row * stride, out = pixels + row * width
            out.update(repeating: .zero, count: c0)
            var acc = SIMD4<Float>.zero, from = c0
            touched.drain(row * stride, row * stride + stride) { cell in
                let col = cell - row * stride
                if col < c1 {
                    (out + from).update(repeating: acc, count: col - from)
                    acc += line[col]
                    from = col
                }
                line[col] = .zero
            }
            (out + from).update(repeating: acc, count: c1 - from)
            (out + c1).update(repeating: .zero, count: width - c1)
        }
        (pixels + span.rows.upperBound * width).update(repeating: .zero, count: (height - span.rows.upperBound) * width)
    }

    /// `resolve` writing only where a run of one sum starts: each row's first pixel, and within the
    /// touched rectangle the pixels where the sum changes (the touched cells) and the rectangle's ends,
    /// marked in `runStarts` (one bit per pixel, cleared by the caller, who marks the row starts). A
    /// pixel's value is then that of the nearest run start at or before it in its row.
    func resolveRunStarts(into pixels: UnsafeMutablePointer<SIMD4<Float>>, runStarts: TouchedCells) {
        let width = walker.width, height = walker.height, stride = walker.stride
        for row in 0..<height { pixels[row * width] = .zero }
        guard let span = walker.takeSpan() else { return }
        let c0 = span.columns.lowerBound, c1 = span.columns.upperBound
        for row in span.rows {
            let line = cells + row * stride, out = pixels + row * width
            if c0 < width { out[c0] = .zero; runStarts.mark(row * width + c0) }
            var acc = SIMD4<Float>.zero
            touched.drain(row * stride, row * stride + stride) { cell in
                let col = cell - row * stride
                if col < c1 {
                    acc += line[col]
                    out[col] = acc
                    runStarts.mark(row * width + col)
                }
                line[col] = .zero
            }
            if c1 < width { out[c1] = .zero; runStarts.mark(row * width + c1) }
        }
    }
}

/// One bit per cell of an accumulator: the cells an edge has written to since they were last read, so
/// that a sweep reads those and skips the runs between them.
struct TouchedCells {
    private let words: UnsafeMutablePointer<UInt64>
    private let count: Int

    init(cells: Int) {
        count = (cells + 63) / 64
        words = .allocate(capacity: count)
        words.initialize(repeating: 0, count: count)
    }

    func deallocate() { words.deallocate() }

    @inline(__always)
    func mark(_ cell: Int) { words[cell >> 6] |= 1 &<< UInt64(cell & 63) }

    func clear() { words.update(repeating: 0, count: count) }

    @inline(__always)
    func isMarked(_ cell: Int) -> Bool { words[cell >> 6] & (1 &<< UInt64(cell & 63)) != 0 }

    /// The last marked cell before `i`; one must be marked there.
    @inline(__always)
    func previousMarked(before i: Int) -> Int {
        var w = (i &- 1) &>> 6
        var bits = words[w] & (UInt64.max &>> UInt64(63 &- ((i &- 1) & 63)))
        while bits == 0 { w &-= 1; bits = words[w] }
        return w &<< 6 | (63 &- bits.leadingZeroBitCount)
    }

    /// The first marked cell after `i`, or `end` when none lies before it (`end` ≤ the cell count).
    @inline(__always)
    func nextMarked(after i: Int, end: Int) -> Int {
        let j = i &+ 1
        guard j < end else { return end }
        var w = j &>> 6
        let lastWord = (end &- 1) &>> 6
        var bits = words[w] & (UInt64.max &<< UInt64(j & 63))
        while bits == 0 {
            w &+= 1
            if w > lastWord { return end }
            bits = words[w]
        }
        return Swift.min(w &<< 6 | bits.trailingZeroBitCount, end)
    }

    /// Calls `body` with every marked cell in `start ..< end`, in increasing order, and unmarks them.
    @inline(__always)
    func drain(_ start: Int, _ end: Int, _ body: (Int) -> Void) {
        guard start < end else { return }
        let first = start >> 6, last = (end - 1) >> 6
        for w in first...last {
            let lo = w == first ? start & 63 : 0, hi = w == last ? (end - 1) & 63 : 63
            let mask = (UInt64.max &<< UInt64(lo)) & (UInt64.max &>> UInt64(63 - hi))
            var bits = words[w] & mask
            guard bits != 0 else { continue }
            words[w] &= ~mask
            while bits != 0 {
                body(w << 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }
}

/// Where an edge's per-cell contributions go.
protocol CellSink {
    func add(_ index: Int, _ delta: Double)
}

struct ScalarSink: CellSink {
    let cells: UnsafeMutablePointer<Float>
    let touched: TouchedCells
    @inline(__always) func add(_ index: Int, _ delta: Double) {
        cells[index] += Float(delta)
        touched.mark(index)
    }
}

struct ColorSink: CellSink {
    let cells: UnsafeMutablePointer<SIMD4<Float>>
    let touched: TouchedCells
    let color: SIMD4<Float>
    @inline(__always) func add(_ index: Int, _ delta: Double) {
        cells[index] += color * Float(delta)
        touched.mark(index)
    }
}

/// Edge clipping and walking shared by both accumulators, plus the touched rectangle.
struct EdgeWalker {
    let width: Int, height: Int
    /// Row stride width + 2: edges at x = width write cells width and width + 1, which are never read.
    let stride: Int
    /// The touched rectangle: rows [minRow, maxRow), cells [minCol, maxCol] (may exceed width).
    private var minRow = Int.max, maxRow = Int.min, minCol = Int.max, maxCol = Int.min

    init(width: Int, height: Int) {
        precondition(width > 0 && height > 0)
        self.width = width; self.height = height; stride = width + 2
    }

    var isEmpty: Bool { minRow >= maxRow }

    /// The rows and pixel columns to sweep and the cells to clear; resets the rectangle. Columns past
    /// maxCol only repeat each row's final sum, which is 0 for closed rings, so they are skipped.
    mutating func takeSpan() -> (rows: Range<Int>, columns: Range<Int>, cleared: Range<Int>)? {
        guard minRow < maxRow else { return nil }
        let c0 = min(max(minCol, 0), width), c1 = max(c0, min(maxCol + 1, width))
        let span = (rows: minRow..<maxRow, columns: c0..<c1, cleared: c0..<max(c0, min(maxCol + 1, stride)))
        minRow = .max; maxRow = .min; minCol = .max; maxCol = .min
        return span
    }

    @inline(__always)
    mutating func addLine<S: CellSink>(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, into sink: S) {
        guard ay != by, ax.isFinite, ay.isFinite, bx.isFinite, by.isFinite else { return }
        // Orient downwards; `dir` remembers the winding sign.
        let dir: Double = ay < by ? 1 : -1
        var (x0, y0, x1, y1) = ay < by ? (ax, ay, bx, by) : (bx, by, ax, ay)
        let h = Double(height)
        guard y1 > 0, y0 < h else { return }
        let dxdy = (x1 - x0) / (y1 - y0)
        // Vertical clip: only the part inside the canvas rows matters.
        if y0 < 0 { x0 -= y0 * dxdy; y0 = 0 }
        if y1 > h { x1 -= (y1 - h) * dxdy; y1 = h }
        clipX(x0, y0, x1, y1, dir, sink)
    }

    /// Horizontal clip: splits at x = 0 and x = width where the segment strictly crosses them, and
    /// projects the outer pieces onto those lines (same rows, so the same winding change).
    private mutating func clipX<S: CellSink>(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                                             _ dir: Double, _ sink: S) {
        let w = Double(width)
        for edge in 0..<2 {
            let e = edge == 0 ? 0 : w
            guard (x0 < e && x1 > e) || (x0 > e && x1 < e) else { continue }
            let yc = y0 + (e - x0) / (x1 - x0) * (y1 - y0)
            clipX(x0, y0, e, yc, dir, sink)
            clipX(e, yc, x1, y1, dir, sink)
            return
        }
        segment(min(max(x0, 0), w), y0, min(max(x1, 0), w), y1, dir, sink)
    }

    /// Accumulates a downward segment lying inside [0, width] × [0, height] (font-rs's draw_line).
    private mutating func segment<S: CellSink>(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                                               _ dir: Double, _ a: S) {
        guard y1 > y0 else { return }
        let dxdy = (x1 - x0) / (y1 - y0)
        let rowStart = Int(y0), rowEnd = min(height, Int(y1.rounded(.up)))
        minRow = min(minRow, rowStart); maxRow = max(maxRow, rowEnd)
        let lo = Int(min(x0, x1)), hi = Int(max(x0, x1).rounded(.up)) + 1
        minCol = min(minCol, lo); maxCol = max(maxCol, hi)
        var x = x0
        for row in rowStart..<rowEnd {
            let line = row * stride
            let dy = min(Double(row + 1), y1) - max(Double(row), y0)
            let xnext = x + dxdy * dy
            let d = dy * dir
            let (xa, xb) = x < xnext ? (x, xnext) : (xnext, x)
            // Floor and ceiling by integer conversion (x ≥ 0 here): `rounded(_:)` is a libm call on
            // baseline x86-64, once per row per edge.
            let ia = Int(xa), ib = Double(Int(xb)) < xb ? Int(xb) + 1 : Int(xb)
            let xaFloor = Double(ia), xbCeil = Double(ib)
            if ib <= ia + 1 {
                // Within one cell: split d by the mean x inside it.
                let xmf = 0.5 * (x + xnext) - xaFloor
                a.add(line + ia, d - d * xmf)
                a.add(line + ia + 1, d * xmf)
            } else {
                // Across several cells: triangle in the first, trapezoids, triangle in the last.
                let s = 1 / (xb - xa)
                let xaf = xa - xaFloor
                let a0 = 0.5 * s * (1 - xaf) * (1 - xaf)
                let xbf = xb - xbCeil + 1
                let am = 0.5 * s * xbf * xbf
                a.add(line + ia, d * a0)
                if ib == ia + 2 {
                    a.add(line + ia + 1, d * (1 - a0 - am))
                } else {
                    let a1 = s * (1.5 - xaf)
                    a.add(line + ia + 1, d * (a1 - a0))
                    if ia + 2 < ib - 1 {
                        for xi in (ia + 2)..<(ib - 1) { a.add(line + xi, d * s) }
                    }
                    let a2 = a1 + Double(ib - ia - 3) * s
                    a.add(line + ib - 1, d * (1 - a2 - am))
                }
                a.add(line + ib, d * am)
            }
            x = xnext
        }
    }
}
