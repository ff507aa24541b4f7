/// A rectangle in normalised Web Mercator world coordinates ([0, 1], y down): a tile's square widened
/// by the margin the outline and antialiasing reach.
struct WorldBox: Sendable {
    var minX: Double, minY: Double, maxX: Double, maxY: Double

    /// The tile's square widened by `marginPixels` pixels of its own zoom on every side.
    init(tile id: TileID, tileSize: Int, marginPixels: Double) {
        let n = Double(1 << id.z), m = marginPixels / Double(tileSize)
        minX = (Double(id.x) - m) / n; maxX = (Double(id.x + 1) + m) / n
        minY = (Double(id.y) - m) / n; maxY = (Double(id.y + 1) + m) / n
    }

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    var area: Double { (maxX - minX) * (maxY - minY) }

    func meets(_ f: ProjectedFeature) -> Bool {
        f.maxX >= minX && f.minX <= maxX && f.maxY >= minY && f.minY <= maxY
    }
}

extension ProjectedFeature {
    /// The feature cut to `box` (Sutherland–Hodgman against each side, ring by ring), or nil when
    /// nothing of it is left.
    ///
    /// Inside the box the cut rings bound exactly the same area as the feature's, so they fill a tile
    /// exactly as the whole feature would: parts of a ring outside the box become runs along its sides,
    /// which the rasterizer treats like the outside parts they replace (see `EdgeWalker`). Those runs
    /// are not the zone's outline: `real` marks, per point, whether the edge arriving at it is a piece
    /// of the feature's own edges, and only those are stroked. `origin` ties every point to the whole
    /// feature, so that the outline is drawn exactly as along the whole ring (see `origin`). Cutting a
    /// tile's parts again for its children costs what lies in the tile, not what the whole zone has:
    /// this is what keeps a tile's cost independent of the zone's vertex count.
    func clipped(to box: WorldBox) -> ProjectedFeature? {
        guard box.meets(self) else { return nil }
        var out = ProjectedFeature(fill: fill, stroke: stroke, source: source)
        var clipper = RingClipper()
        for r in 0..<(ringStarts.count - 1) {
            clipper.load(self, ring: r)
            clipper.cut(box)
            out.appendClipped(clipper, ring: rings.isEmpty ? Int32(r) : rings[r])
        }
        guard out.ringStarts.count > 1 else { return nil }
        return out
    }

    /// True when some edge of the outline (not a run along a clip box) is left.
    var hasOutline: Bool { real.isEmpty ? ringStarts.count > 1 : real.contains(true) }

    /// The area of all rings in world units, signed like the exteriors (negative, see `init`): a part
    /// without outline covers its box fully (−area of the box) or not at all (0).
    var signedArea: Double {
        var area = 0.0
        for r in 0..<(ringStarts.count - 1) {
            let start = ringStarts[r], end = ringStarts[r + 1]
            var px = xs[end - 1], py = ys[end - 1]
            for i in start..<end {
                area += px * ys[i] - xs[i] * py
                px = xs[i]; py = ys[i]
            }
        }
        return area / 2
    }

    fileprivate mutating func appendClipped(_ c: RingClipper, ring: Int32) {
        guard c.xs.count >= 3 else { return }
        for i in c.xs.indices {
            xs.append(c.xs[i]); ys.append(c.ys[i]); real.append(c.real[i]); origin.append(c.origin[i])
            minX = min(minX, c.xs[i]); maxX = max(maxX, c.xs[i]); minY = min(minY, c.ys[i]); maxY = max(maxY, c.ys[i])
        }
        ringStarts.append(xs.count)
        rings.append(ring)
    }
}

/// One ring being cut, in two buffers swapped per side.
private struct RingClipper {
    var xs: [Double] = [], ys: [Double] = [], real: [Bool] = [], origin: [Int32] = []
    private var nx: [Double] = [], ny: [Double] = [], nreal: [Bool] = [], norigin: [Int32] = []

    mutating func load(_ f: ProjectedFeature, ring r: Int) {
        let start = f.ringStarts[r], end = f.ringStarts[r + 1]
        xs.removeAll(keepingCapacity: true); ys.removeAll(keepingCapacity: true); real.removeAll(keepingCapacity: true)
        origin.removeAll(keepingCapacity: true)
        xs.append(contentsOf: f.xs[start..<end]); ys.append(contentsOf: f.ys[start..<end])
        if f.real.isEmpty {
            real.append(contentsOf: repeatElement(true, count: end - start))
            origin.append(contentsOf: (start..<end).map { Int32($0) })
        } else {
            real.append(contentsOf: f.real[start..<end]); origin.append(contentsOf: f.origin[start..<end])
        }
    }

    mutating func cut(_ b: WorldBox) {
        side(axisX: true, bound: b.minX, keepAbove: true)
        side(axisX: true, bound: b.maxX, keepAbove: false)
        side(axisX: false, bound: b.minY, keepAbove: true)
        side(axisX: false, bound: b.maxY, keepAbove: false)
    }

    /// One side of the box: keeps the points with coordinate ≥ bound (`keepAbove`) or ≤ bound.
    /// real[i] belongs to the edge from point i − 1 to point i (the ring is closed).
    private mutating func side(axisX: Bool, bound: Double, keepAbove: Bool) {
        let n = xs.count
        guard n > 0 else { return }
        nx.removeAll(keepingCapacity: true); ny.removeAll(keepingCapacity: true); nreal.removeAll(keepingCapacity: true)
        norigin.removeAll(keepingCapacity: true)
        @inline(__always) func inside(_ i: Int) -> Bool {
            let v = axisX ? xs[i] : ys[i]
            return keepAbove ? v >= bound : v <= bound
        }
        var s = n - 1
        var sIn = inside(s)
        for e in 0..<n {
            let eIn = inside(e)
            if eIn != sIn {
                // The crossing point, computed from the inside end so that it is the same whichever
                // direction the edge runs (a shared border cut twice gives the same point).
                let (a, b) = sIn ? (s, e) : (e, s)
                let va = axisX ? xs[a] : ys[a], vb = axisX ? xs[b] : ys[b]
                let t = (bound - va) / (vb - va)
                let cx = axisX ? bound : xs[a] + t * (xs[b] - xs[a])
                let cy = axisX ? ys[a] + t * (ys[b] - ys[a]) : bound
                nx.append(cx); ny.append(cy)
                // Leaving: the piece up to the crossing is the edge's own. Entering: the way to the
                // crossing runs along the side.
                nreal.append(sIn ? real[e] : false)
                // The whole feature's vertex at the outside end of the edge (see `ProjectedFeature.origin`).
                let o = origin[sIn ? e : s]
                norigin.append(o < 0 ? o : -o - 1)
            }
            if eIn { nx.append(xs[e]); ny.append(ys[e]); nreal.append(real[e]); norigin.append(origin[e]) }
            s = e; sIn = eIn
        }
        swap(&xs, &nx); swap(&ys, &ny); swap(&real, &nreal); swap(&origin, &norigin)
    }
}
