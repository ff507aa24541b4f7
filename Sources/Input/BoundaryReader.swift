import Foundation
import Geometry
import Model
import Projection

/// The zones of a boundaries folder, WGS84, each level sorted by id.
public struct Boundaries: Sendable {
    public var streets: [Zone]
    public var communities: [Zone]
    public var posts: [Zone]
    /// Where each post stands, when the posts were given as points (their zones derived by Voronoi).
    public var postLocations: [String: Coordinate]
    /// Problems that did not stop the read: repaired geometries, children mostly outside their parent.
    public var warnings: [String]
    public var gazetteer: URL?
    /// The grid level, when the style asks for one (`ZoneGrid`); set after reading, from the streets.
    public var grid: ZoneGrid?

    public func zones(_ level: ZoneLevel) -> [Zone] {
        switch level {
        case .street: streets
        case .community: communities
        case .post: posts
        case .grid: grid?.zones ?? []
        }
    }
    /// The levels this map has: the nested ones, and the grid when there is one.
    public var levels: [ZoneLevel] { grid == nil ? ZoneLevel.allCases : ZoneLevel.mapLevels }
    public var bounds: BoundingBox? {
        streets.compactMap { $0.geometry.boundingBox }.reduce(nil) { $0?.union($1) ?? $1 }
    }
}

/// Reads `streets.geojson`, `communities.geojson` and `posts.geojson` from a folder.
public struct BoundaryReader {
    public var folder: URL
    /// The CRS of files that carry no legacy `crs` member.
    public var defaultCRS: CRS
    /// Bounds on vertices, point posts and zone extents (see `BoundaryLimits`).
    public var limits: BoundaryLimits
    public init(folder: URL, defaultCRS: CRS = .wgs84, limits: BoundaryLimits = BoundaryLimits()) {
        self.folder = folder
        self.defaultCRS = defaultCRS
        self.limits = limits
    }

    public func read() throws -> Boundaries {
        var warnings: [String] = []
        let streets = try readLevel(.street, parents: nil, warnings: &warnings)
        let communities = try readLevel(.community, parents: streets, warnings: &warnings)
        var posts: [Zone] = []
        var locations: [String: Coordinate] = [:]
        if FileManager.default.fileExists(atPath: path(.post).path) {
            (posts, locations) = try readPosts(communities: communities, warnings: &warnings)
        } else {
            warnings.append("\(path(.post).path): missing: cases are located to streets and communities only")
        }
        try checkNesting(communities, in: streets, warnings: &warnings)
        try checkNesting(posts, in: communities, warnings: &warnings)
        let gazetteer = folder.appendingPathComponent("gazetteer.csv")
        return Boundaries(streets: streets, communities: communities, posts: posts, postLocations: locations,
                          warnings: warnings,
                          gazetteer: FileManager.default.fileExists(atPath: gazetteer.path) ? gazetteer : nil)
    }

    func path(_ level: ZoneLevel) -> URL { folder.appendingPathComponent(level.fileName) }

    /// The zones of one level's file alone, with their shapes (polygons only; parents are not checked):
    /// for the zone GeoJSON of an output folder, whose shapes `stats --emerging` needs.
    public func readZones(_ level: ZoneLevel) throws -> [Zone] {
        var warnings: [String] = []
        return try readLevel(level, parents: nil, warnings: &warnings)
    }

    // MARK: levels

    private func readLevel(_ level: ZoneLevel, parents: [Zone]?, warnings: inout [String]) throws -> [Zone] {
        let file = path(level)
        let features = try GeoJSONFeatureFile(url: file, defaultCRS: defaultCRS)
        var zones: [Zone] = []
        var drawn: [GeoJSONFeature] = []
        for f in features.features {
            guard let geometry = try checkedPolygons(f, allowPoints: false, file: file.path) else { continue }
            let repaired = try repair(geometry, feature: f, file: file.path, warnings: &warnings)
            zones.append(Zone(id: f.id, name: f.name, parent: f.parent, aliases: f.aliases, level: level,
                              geometry: repaired))
            drawn.append(f)
        }
        try checkExtents(zones, features: drawn, level: level, file: file.path)
        try checkIDs(zones.map { ($0.id, $0.parent) }, features: features.features, level: level, parents: parents,
                     file: file.path)
        return zones.sorted { $0.id < $1.id }
    }

    /// Posts may be zones (polygons) or points; a point post's zone is its share of its community's
    /// Voronoi partition among the community's point posts.
    private func readPosts(communities: [Zone], warnings: inout [String]) throws -> ([Zone], [String: Coordinate]) {
        let file = path(.post)
        let features = try GeoJSONFeatureFile(url: file, defaultCRS: defaultCRS)
        try checkIDs(features.features.map { ($0.id, $0.parent) }, features: features.features, level: .post,
                     parents: communities, file: file.path)
        var zones: [Zone] = []
        var pointsByCommunity: [String: [GeoJSONFeature]] = [:]
        var locations: [String: Coordinate] = [:]
        var drawn: [GeoJSONFeature] = []
        for f in features.features {
            if f.geometryType == "Point" {
                let point = try checkedPoint(f, file: file.path)
                pointsByCommunity[f.parent ?? "", default: []].append(f)
                locations[f.id] = point
            } else if let geometry = try checkedPolygons(f, allowPoints: true, file: file.path) {
                let repaired = try repair(geometry, feature: f, file: file.path, warnings: &warnings)
                zones.append(Zone(id: f.id, name: f.name, parent: f.parent, aliases: f.aliases, level: .post,
                                  geometry: repaired))
                drawn.append(f)
            }
        }
        try checkExtents(zones, features: drawn, level: .post, file: file.path)
        try checkPostCounts(pointsByCommunity, file: file.path)
        let communityByID = Dictionary(uniqueKeysWithValues: communities.map { ($0.id, $0) })
        for (communityID, posts) in pointsByCommunity.sorted(by: { $0.key < $1.key }) {
            guard let community = communityByID[communityID] else { continue }
            let sites = posts.compactMap(\.point)   // all checked by checkedPoint
            let latitude = community.geometry.boundingBox?.center.y ?? 0
            let cells = try voronoiPartition(of: community.geometry, sites: sites, xScale: cos(latitude * .pi / 180))
            for (post, cell) in zip(posts, cells) {
                if cell.isEmpty {
                    warnings.append("\(file.path): \(post.label): the post shares its place with another post "
                                    + "or stands outside its community \(communityID): it gets no zone")
                }
                zones.append(Zone(id: post.id, name: post.name, parent: post.parent, aliases: post.aliases,
                                  level: .post, geometry: cell))
            }
        }
        return (zones.sorted { $0.id < $1.id }, locations)
    }

    // MARK: checks

    /// The feature's polygons, checked (`GeometryChecks.validate`); every error names the file.
    private func checkedPolygons(_ f: GeoJSONFeature, allowPoints: Bool, file: String) throws -> MultiPolygon? {
        do {
            guard let geometry = try f.polygons(allowPoints: allowPoints) else { return nil }
            try GeometryChecks.validate(geometry, maxVertices: limits.maxVertices)
            return geometry
        } catch var e as InputError {
            // Features parse lazily, after the file reader has returned: the file is named here.
            if e.file.isEmpty { e.file = file }
            if e.location.isEmpty { e.location = f.label }
            throw e
        } catch let e as CheckFailure {
            throw InputError(file: file, location: f.label, e.message)
        }
    }

    /// A point post's place, on the globe.
    private func checkedPoint(_ f: GeoJSONFeature, file: String) throws -> Coordinate {
        guard let point = f.point else {
            throw InputError(file: file, location: f.label, "a Point whose coordinates are not [lon, lat]")
        }
        do { try GeometryChecks.validate(point: point) } catch {
            throw InputError(file: file, location: f.label, error.message)
        }
        return point
    }

    /// No zone out of proportion with the district (see `GeometryChecks.extentProblem`); posts are
    /// compared by span only, as a post may be a doorway or a park.
    private func checkExtents(_ zones: [Zone], features: [GeoJSONFeature], level: ZoneLevel, file: String) throws {
        guard let (i, message) = GeometryChecks.extentProblem(zones.map(\.geometry), limits: limits,
                                                             relative: level != .post) else { return }
        throw InputError(file: file, location: features[i].label, message)
    }

    /// Point posts per community within the limit: each community's posts make one Voronoi partition.
    private func checkPostCounts(_ posts: [String: [GeoJSONFeature]], file: String) throws {
        for (community, list) in posts.sorted(by: { $0.key < $1.key }) where list.count > limits.maxPostsPerCommunity {
            throw InputError(file: file, location: "community '\(community)'",
                             "\(list.count) point posts, more than the limit of \(limits.maxPostsPerCommunity) per "
                             + "community (raise it with --max-posts)")
        }
    }

    /// Unique ids within the level, and every parent present one level up.
    private func checkIDs(_ ids: [(id: String, parent: String?)], features: [GeoJSONFeature], level: ZoneLevel,
                          parents: [Zone]?, file: String) throws {
        var seen: [String: Int] = [:]
        for (i, entry) in ids.enumerated() {
            if let first = seen[entry.id] {
                let kinds = features[first].idIsNumber != features[i].idIsNumber
                    ? "; the number \(entry.id) and the string \"\(entry.id)\" are the same id" : ""
                throw InputError(file: file, location: features[i].label,
                                 "duplicate id '\(entry.id)' (first used by \(features[first].label)\(kinds))")
            }
            seen[entry.id] = i
        }
        guard let parents else { return }
        let parentIDs = Set(parents.map(\.id))
        for (i, entry) in ids.enumerated() {
            guard let parent = entry.parent else {
                throw InputError(file: file, location: features[i].label,
                                 "no 'parent' property (the id of its \(level.parentLevel!.rawValue))")
            }
            if !parentIDs.contains(parent) {
                throw InputError(file: file, location: features[i].label,
                                 "parent '\(parent)' is not a \(level.parentLevel!.rawValue) id in "
                                 + level.parentLevel!.fileName)
            }
        }
    }

    /// Invalid geometry is repaired with MakeValid (with a warning); what cannot be repaired into a
    /// polygon stops the run.
    private func repair(_ geometry: MultiPolygon, feature: GeoJSONFeature, file: String,
                        warnings: inout [String]) throws -> MultiPolygon {
        guard let reason = try geometry.invalidityReason() else { return geometry }
        let fixed = try geometry.madeValid()
        if fixed.isEmpty {
            throw InputError(file: file, location: feature.label,
                             "invalid polygon (\(reason)) that MakeValid cannot repair into a polygon")
        }
        warnings.append("\(file): \(feature.label): invalid polygon (\(reason)) repaired with MakeValid")
        return fixed
    }

    /// A child should lie mostly inside its parent; less than half inside is a warning.
    private func checkNesting(_ children: [Zone], in parents: [Zone], warnings: inout [String]) throws {
        let parentByID = Dictionary(uniqueKeysWithValues: parents.map { ($0.id, $0) })
        for child in children where !child.geometry.isEmpty {
            guard let parentID = child.parent, let parent = parentByID[parentID] else { continue }
            let inside = try child.geometry.intersectionArea(with: parent.geometry)
            let total = try child.geometry.planarArea()
            if total > 0, inside / total < 0.5 {
                warnings.append("\(child.level.fileName): \(child.level.rawValue) '\(child.id)': only "
                                + "\(Int((inside / total * 100).rounded()))% inside its parent '\(parentID)'")
            }
        }
    }
}
