import Foundation
@testable import Output
import Testing

/// Coordinates and other fixed-decimal numbers are written by integer arithmetic (`FixedDecimal`), not
/// by the C library's "%.*f" as before: the text must stay the C library's to the last digit, ties
/// (the exact binary value halfway, rounded to even) and the numbers right beside them included.
@Suite struct FixedDecimalTests {
    /// Reproducible numbers of every kind the writers meet, and the hard ones.
    private func numbers() -> [Double] {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        var xs: [Double] = [0, -0.0, 1, -1, 0.5, -0.5, 1.5, 2.5, 1e-300, 4.5e8, 4.6e8, 1e15, 1e300, -1e300,
                            .nan, .infinity, -.infinity, .ulpOfOne, 0x1p52, 0x1p52 - 1]
        for _ in 0..<200_000 {
            xs.append(unit() * 360 - 180)                      // longitudes and latitudes
            xs.append((unit() - 0.5) * 2e-6)                  // beside zero: "-0" and tiny fractions
            xs.append((unit() - 0.5) * pow(10, Double(next() % 16)))
        }
        // Dyadic numbers: the only exact ties x·10ᵈ = n + ½ there are (e.g. 1/256 = 0.00390625).
        for j in 1...40 {
            for _ in 0..<500 { xs.append(Double(Int64(next() % (1 << 20)) - (1 << 19)) * pow(2, -Double(j))) }
        }
        // Decimal halves, which binary misses by a little, and their neighbours to a few ulps.
        for _ in 0..<20_000 {
            let d = Int(next() % 10)
            let half = (Double(Int64(next() % 4_000_000_000)) - 2e9 + 0.5) / pow(10, Double(d))
            var x = half
            for _ in 0..<3 { x = x.nextDown }
            for _ in 0..<7 { xs.append(x); x = x.nextUp }
        }
        return xs
    }

    @Test func numbersAreTheCLibrarysText() {
        var wrong: [String] = []
        var fast = 0, all = 0
        for x in numbers() {
            for d in 0...9 {
                all += 1
                if FixedDecimal.scaled(x, decimals: d) != nil { fast += 1 }
                let ours = JSONText.number(x, decimals: d), c = JSONText.cNumber(x, decimals: d)
                if ours != c && wrong.count < 10 { wrong.append("\(x) at \(d) decimals: \(ours), C library \(c)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        // The integer path is the one taken: the comparison above is of it, not of the C library with itself.
        #expect(Double(fast) / Double(all) > 0.9)
    }

    @Test func positionsAndOutlinesKeepTheirForm() {
        #expect(JSONText.coordinate([114.05123449999, -22.5]) == "114.0512345,-22.5")
        #expect(JSONText.coordinate([-0.00000004, 3]) == "0,3")
        let square = ZoneGeometry.polygon([[[0, 0], [1e-7, 0], [1e-7, 1.25e-7], [0, 0]]])
        #expect(square.jsonText() == "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[0.0000001,0],[0.0000001,0.0000001],[0,0]]]}")
        let two = ZoneGeometry.multiPolygon([[[[1, 2], [3, 4]]], [[[5, 6]], [[7.5, 8]]]])
        #expect(two.jsonText() == "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[1,2],[3,4]]],[[[5,6]],[[7.5,8]]]]}")
    }
}
