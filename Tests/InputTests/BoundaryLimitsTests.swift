import Foundation
import Geometry
import Model
import Testing
@testable import Input

/// Boundary files that once crashed or stalled a run (issue 12): every one is now an `InputError`
/// naming the file and the feature, and every limit has a setting that raises it.
@Suite struct BoundaryLimitsTests {
    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String {
        "[[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]]"
    }
    static func feature(_ id: String, parent: String?, geometry: String, type: String = "Polygon") -> String {
        let p = parent.map { ",\"parent\":\"\($0)\"" } ?? ""
        return "{\"type\":\"Feature\",\"properties\":{\"id\":\"\(id)\"\(p)},\"geometry\":{\"type\":\"\(type)\",\"coordinates\":\(geometry)}}"
    }
    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}"
    }

    /// Three streets side by side, one community and one point post each; `streets`, `communities`,
    /// `posts` replace a file's features.
    static func folder(streets: [String]? = nil, communities: [String]? = nil, posts: [String]? = nil) throws -> URL {
        let folder = try InputFixtures.temporaryFile("", name: "placeholder").deletingLastPathComponent()
        let defaultStreets = (0..<3).map { i in
            feature("S\(i)", parent: nil, geometry: square(114 + 0.05 * Double(i), 22.5, 114.05 + 0.05 * Double(i), 22.55))
        }
        let defaultCommunities = (0..<3).map { i in
            feature("C\(i)", parent: "S\(i)", geometry: square(114 + 0.05 * Double(i), 22.5, 114.05 + 0.05 * Double(i), 22.55))
        }
        let defaultPosts = (0..<3).map { i in
            feature("P\(i)", parent: "C\(i)", geometry: "[\(114.02 + 0.05 * Double(i)),22.52]", type: "Point")
        }
        for (name, list) in [("streets", streets ?? defaultStreets), ("communities", communities ?? defaultCommunities),
                             ("posts", posts ?? defaultPosts)] {
            try Data(collection(list).utf8).write(to: folder.appendingPathComponent("\(name).geojson"))
        }
        return folder
    }

    /// The error of reading `folder`, which must fail.
    static func failure(_ folder: URL, limits: BoundaryLimits = BoundaryLimits()) -> String {
        do {
            _ = try BoundaryReader(folder: folder, limits: limits).read()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    /// The second street with its exterior ring replaced.
    static func streets(secondRing ring: String) -> [String] {
        [feature("S0", parent: nil, geometry: square(114, 22.5, 114.05, 22.55)),
         feature("S1", parent: nil, geometry: "[\(ring)]"),
         feature("S2", parent: nil, geometry: square(114.1, 22.5, 114.15, 22.55))]
    }

    @Test func verticesOffTheGlobeNameFileAndFeature() throws {
        for (vertex, words) in [("[1e308,22.55]", "longitude 1e+308"), ("[1000,22.55]", "longitude 1000"),
                                ("[114.07,95]", "latitude 95"), ("[-180.5,22.55]", "longitude -180.5")] {
            let ring = "[114.05,22.5],\(vertex),[114.1,22.55],[114.05,22.55],[114.05,22.5]"
            let folder = try Self.folder(streets: Self.streets(secondRing: "[\(ring)]"))
            let message = Self.failure(folder)
            #expect(message.contains(folder.appendingPathComponent("streets.geojson").path), "\(message)")
            #expect(message.contains("feature 2 (id 'S1')"), "\(message)")
            #expect(message.contains(words) && message.contains("vertex 2"), "\(message)")
        }
    }

    @Test func pointPostOffTheGlobe() throws {
        let posts = [Self.feature("P0", parent: "C0", geometry: "[1e308,22.52]", type: "Point")]
        let message = Self.failure(try Self.folder(posts: posts))
        #expect(message.contains("posts.geojson: feature 1 (id 'P0')") && message.contains("longitude 1e+308"), "\(message)")
        let unreadable = [Self.feature("P0", parent: "C0", geometry: "[\"a\",22.52]", type: "Point")]
        #expect(Self.failure(try Self.folder(posts: unreadable)).contains("posts.geojson: feature 1 (id 'P0')"))
    }

    @Test func unclosedRingIsRefusedWithFileFeatureAndRing() throws {
        let open = "[[114.05,22.5],[114.1,22.5],[114.1,22.55],[114.05,22.55]]"
        let message = Self.failure(try Self.folder(streets: Self.streets(secondRing: open)))
        #expect(message.contains("streets.geojson: feature 2 (id 'S1')"), "\(message)")
        #expect(message.contains("exterior ring is not closed"), "\(message)")
        let hole = "[[114.06,22.51],[114.07,22.51],[114.07,22.52],[114.06,22.52]]"
        let closed = "[[114.05,22.5],[114.1,22.5],[114.1,22.55],[114.05,22.55],[114.05,22.5]]"
        let withHole = Self.failure(try Self.folder(streets: Self.streets(secondRing: "\(closed),\(hole)")))
        #expect(withHole.contains("hole 1 is not closed"), "\(withHole)")
    }

    /// Errors found when the geometry is read (after the file) once lost the file name: `: feature 3 …`.
    @Test func geometryErrorsNameTheFile() throws {
        let short = "[[114.05,22.5],[114.1,22.5],[114.05,22.5]]"
        let folder = try Self.folder(streets: Self.streets(secondRing: short))
        let message = Self.failure(folder)
        #expect(message.hasPrefix(folder.appendingPathComponent("streets.geojson").path + ": feature 2 (id 'S1')"), "\(message)")
        let line = [Self.feature("C0", parent: "S0", geometry: "[[114,22.5],[114.01,22.51]]", type: "LineString")]
        #expect(Self.failure(try Self.folder(communities: line)).contains("communities.geojson: feature 1 (id 'C0')"))
    }

    @Test func vertexLimitAndItsSetting() throws {
        // A zigzag along the street's south edge: 2,000 vertices.
        var ring = (0..<2_000).map { i in "[\(114.05 + 0.05 * Double(i) / 2_000),\(i % 2 == 0 ? 22.5 : 22.5001)]" }
        ring += ["[114.1,22.55]", "[114.05,22.55]", "[114.05,22.5]"]
        let folder = try Self.folder(streets: Self.streets(secondRing: "[\(ring.joined(separator: ","))]"))
        var limits = BoundaryLimits()
        limits.maxVertices = 1_000
        let message = Self.failure(folder, limits: limits)
        #expect(message.contains("streets.geojson: feature 2 (id 'S1')") && message.contains("2003 vertices"), "\(message)")
        #expect(message.contains("--max-vertices"))
        limits.maxVertices = 3_000
        #expect(try BoundaryReader(folder: folder, limits: limits).read().streets.count == 3)
    }

    @Test func pointPostLimitAndItsSetting() throws {
        let posts = (0..<30).map { i in Self.feature("P\(i)", parent: "C0", geometry: "[\(114.001 + 0.001 * Double(i)),\(22.51 + 0.002 * Double(i % 5))]", type: "Point") }
        let folder = try Self.folder(posts: posts)
        var limits = BoundaryLimits()
        limits.maxPostsPerCommunity = 20
        let message = Self.failure(folder, limits: limits)
        #expect(message.contains("posts.geojson: community 'C0': 30 point posts") && message.contains("--max-posts"), "\(message)")
        limits.maxPostsPerCommunity = 30
        #expect(try BoundaryReader(folder: folder, limits: limits).read().posts.count == 30)
    }

    @Test func worldSizedStreetIsRefusedAtOnce() throws {
        let world = "[[-179,-84],[179,-84],[179,84],[-179,84],[-179,-84]]"
        let folder = try Self.folder(streets: Self.streets(secondRing: world))
        let start = Date()
        let message = Self.failure(folder)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(message.contains("streets.geojson: feature 2 (id 'S1')") && message.contains("--max-zone-span"), "\(message)")
        // Raising the span limit leaves the comparison with the other streets.
        var limits = BoundaryLimits()
        limits.maxZoneSpanDegrees = 360
        let relative = Self.failure(folder, limits: limits)
        #expect(relative.contains("feature 2 (id 'S1')") && relative.contains("median") && relative.contains("--max-zone-ratio"),
                "\(relative)")
        limits.maxZoneAreaRatio = .infinity
        #expect(try BoundaryReader(folder: folder, limits: limits).read().streets.count == 3)
    }

    /// A street 40 × 40 km among 5 × 5 km ones: within the span limit, 64 times the median box.
    @Test func zoneFarLargerThanItsSiblings() throws {
        let big = "[[114.05,22.5],[114.45,22.5],[114.45,22.9],[114.05,22.9],[114.05,22.5]]"
        let folder = try Self.folder(streets: Self.streets(secondRing: big))
        var limits = BoundaryLimits()
        limits.maxZoneAreaRatio = 50
        #expect(Self.failure(folder, limits: limits).contains("feature 2 (id 'S1'): its box is 64×"))
        limits.maxZoneAreaRatio = 100
        #expect(try BoundaryReader(folder: folder, limits: limits).read().streets.count == 3)
    }

    @Test func demoDistrictIsWithinTheDefaults() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("boundaries/demo")
        let b = try BoundaryReader(folder: demo).read()
        #expect(b.streets.count == 10 && b.communities.count == 92)
    }
}
