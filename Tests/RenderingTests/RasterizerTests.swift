import Foundation
import Testing
@testable import Rendering

typealias Pt = (x: Double, y: Double)

/// Shoelace area (absolute) of a ring.
func shoelace(_ ring: [Pt]) -> Double {
    guard ring.count > 2 else { return 0 }
    var s = 0.0
    for i in ring.indices {
        let p = ring[i], q = ring[(i + 1) % ring.count]
        s += p.x * q.y - q.x * p.y
    }
    return abs(s) / 2
}

/// Sutherland–Hodgman clip of any simple ring to an axis-aligned rectangle. For a concave ring the
/// result may have degenerate bridges, but its shoelace area is exactly the area inside the rectangle —
/// an independent answer for per-pixel coverage and clipping.
func clip(_ ring: [Pt], x0: Double, y0: Double, x1: Double, y1: Double) -> [Pt] {
    func clipEdge(_ pts: [Pt], inside: (Pt) -> Bool, cross: (Pt, Pt) -> Pt) -> [Pt] {
        guard !pts.isEmpty else { return [] }
        var out: [Pt] = []
        var prev = pts[pts.count - 1]
        for p in pts {
            if inside(p) {
                if !inside(prev) { out.append(cross(prev, p)) }
                out.append(p)
            } else if inside(prev) {
                out.append(cross(prev, p))
            }
            prev = p
        }
        return out
    }
    func atX(_ x: Double) -> (Pt, Pt) -> Pt { { a, b in (x, a.y + (x - a.x) / (b.x - a.x) * (b.y - a.y)) } }
    func atY(_ y: Double) -> (Pt, Pt) -> Pt { { a, b in (a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x), y) } }
    var r = clipEdge(ring, inside: { $0.x >= x0 }, cross: atX(x0))
    r = clipEdge(r, inside: { $0.x <= x1 }, cross: atX(x1))
    r = clipEdge(r, inside: { $0.y >= y0 }, cross: atY(y0))
    return clipEdge(r, inside: { $0.y <= y1 }, cross: atY(y1))
}

/// A deterministic generator (SplitMix64), so failures reproduce.
struct SplitMix {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * next() }
}

/// A random simple (star-shaped) polygon: sorted angles, random radii around a centre.
func randomStar(_ rng: inout SplitMix, cx: Double, cy: Double, rMax: Double, n: Int) -> [Pt] {
    let angles = (0..<n).map { _ in rng.uniform(0, 2 * Double.pi) }.sorted()
    return angles.map { a in
        let r = rng.uniform(0.2 * rMax, rMax)
        return (cx + r * cos(a), cy + r * sin(a))
    }
}

/// The area of `ring` inside each pixel of a w×h canvas, by clipping (the independent answer).
func exactCoverage(_ rings: [[Pt]], holes: [[Pt]] = [], w: Int, h: Int) -> [Double] {
    var result = [Double](repeating: 0, count: w * h)
    for y in 0..<h {
        for x in 0..<w {
            let (x0, y0) = (Double(x), Double(y))
            let add = rings.reduce(0) { $0 + shoelace(clip($1, x0: x0, y0: y0, x1: x0 + 1, y1: y0 + 1)) }
            let sub = holes.reduce(0) { $0 + shoelace(clip($1, x0: x0, y0: y0, x1: x0 + 1, y1: y0 + 1)) }
            result[y * w + x] = add - sub
        }
    }
    return result
}

func maxDifference(_ a: [Float], _ b: [Double]) -> Double {
    zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
}

@Suite struct RasterizerTests {
    @Test func coverageSumIsTheExactAreaOfRandomPolygons() {
        var rng = SplitMix(state: 42)
        for trial in 0..<50 {
            let ring = randomStar(&rng, cx: rng.uniform(30, 70), cy: rng.uniform(30, 70),
                                  rMax: rng.uniform(3, 28), n: Int(rng.uniform(3, 40)))
            let r = Rasterizer(width: 100, height: 100)
            r.addRing(trial % 2 == 0 ? ring : ring.reversed())   // either orientation
            let total = r.coverage().reduce(0.0) { $0 + Double($1) }
            let area = shoelace(ring)
            #expect(abs(total - area) < 1e-3 * max(1, area), "trial \(trial): \(total) vs \(area)")
        }
    }

    @Test func perPixelCoverageIsTheClippedArea() {
        var rng = SplitMix(state: 7)
        for trial in 0..<20 {
            let ring = randomStar(&rng, cx: rng.uniform(6, 10), cy: rng.uniform(6, 10), rMax: 7,
                                  n: Int(rng.uniform(3, 25)))
            let r = Rasterizer(width: 16, height: 16)
            r.addRing(ring)
            let diff = maxDifference(r.coverage(), exactCoverage([ring], w: 16, h: 16))
            #expect(diff < 1e-4, "trial \(trial): max pixel error \(diff)")
        }
    }

    @Test func polygonWithHole() {
        let outer: [Pt] = [(1.3, 1.2), (14.6, 1.7), (14.1, 14.4), (1.8, 13.9)]
        let hole: [Pt] = [(5.25, 5.5), (10.7, 5.1), (9.9, 10.35), (5.6, 9.8)]
        let expected = exactCoverage([outer], holes: [hole], w: 16, h: 16)
        // Nonzero: the hole wound against the exterior.
        let r = Rasterizer(width: 16, height: 16)
        r.addRing(outer); r.addRing(hole.reversed())
        #expect(maxDifference(r.coverage(rule: .nonZero), expected) < 1e-4)
        // Even-odd: orientation does not matter.
        r.addRing(outer); r.addRing(hole)
        #expect(maxDifference(r.coverage(rule: .evenOdd), expected) < 1e-4)
        // And the hole really is empty: its centre pixel has no coverage.
        r.addRing(outer); r.addRing(hole.reversed())
        #expect(r.coverage()[7 * 16 + 7] < 1e-6)
    }

    @Test func squaresSharingAFractionalEdgeLeaveNoSeam() {
        // Edge at x = 5.37: each square covers a part of column 5; their sum must be exactly 1.
        let left: [Pt] = [(1, 2), (5.37, 2), (5.37, 12), (1, 12)]
        let right: [Pt] = [(5.37, 2), (11.5, 2), (11.5, 12), (5.37, 12)]
        let r = Rasterizer(width: 16, height: 16)
        r.addRing(left)
        let a = r.coverage()
        r.addRing(right)
        let b = r.coverage()
        #expect(abs(Double(a[5 * 16 + 5]) - 0.37) < 1e-5)
        for y in 2..<12 {
            for x in 1..<11 {
                #expect(abs(a[y * 16 + x] + b[y * 16 + x] - 1) < 1e-5, "pixel \(x),\(y)")
            }
        }
    }

    @Test func polygonsPartlyOutsideAreClipped() {
        var rng = SplitMix(state: 99)
        // Random polygons centred near or beyond each side, some much larger than the canvas.
        for trial in 0..<30 {
            let ring = randomStar(&rng, cx: rng.uniform(-15, 31), cy: rng.uniform(-15, 31),
                                  rMax: rng.uniform(5, 40), n: Int(rng.uniform(3, 30)))
            let r = Rasterizer(width: 16, height: 16)
            r.addRing(ring)
            let diff = maxDifference(r.coverage(), exactCoverage([ring], w: 16, h: 16))
            #expect(diff < 1e-4, "trial \(trial): max pixel error \(diff)")
        }
    }

    @Test func fullAndNoCoverage() {
        let r = Rasterizer(width: 8, height: 8)
        r.addRing([(-50, -40), (60, -45), (70, 55), (-45, 60)])   // encloses the whole canvas
        #expect(r.coverage().allSatisfy { abs($0 - 1) < 1e-5 })
        r.addRing([(-30, 1), (-2, 1), (-2, 7), (-30, 7)])         // wholly left of the canvas
        #expect(r.isEmpty == false)
        #expect(r.coverage().allSatisfy { $0 == 0 })
        r.addRing([(9, 1), (30, 1), (30, 7), (9, 7)])             // wholly right
        r.addRing([(1, -9), (7, -9), (7, -1), (1, -1)])           // wholly above
        #expect(r.coverage().allSatisfy { $0 == 0 })
        #expect(r.isEmpty)
    }
}
