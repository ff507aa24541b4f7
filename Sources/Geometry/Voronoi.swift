import Foundation

/// Divides `area` among `sites`: cell `i` is the part of `area` nearer to `sites[i]` than to any
/// other site (how a sentinel post given as a point gets its zone inside its community).
///
/// Distances are measured after stretching x by `xScale` (pass cos(latitude) for lon/lat input, so
/// that "nearer" means metres, not degrees). Two sites at the same place: the first gets the cell,
/// the second an empty one.
public func voronoiPartition(of area: MultiPolygon, sites: [Coordinate], xScale: Double = 1) throws -> [MultiPolygon] {
    if sites.isEmpty { return [] }
    if sites.count == 1 { return [area] }
    let geos = GEOSContext()
    let stretch = { (c: Coordinate) in Coordinate(c.x * xScale, c.y) }
    let unstretch = { (c: Coordinate) in Coordinate(c.x / xScale, c.y) }
    let region = try geos.geometry(area.mapCoordinates(stretch))
    let stretchedSites = sites.map(stretch)
    guard let box = area.boundingBox else { return sites.map { _ in MultiPolygon([]) } }
    let envelope = try geos.rectangle(BoundingBox(minX: box.minX * xScale, minY: box.minY,
                                                   maxX: box.maxX * xScale, maxY: box.maxY)
                                        .expanded(by: max(box.width * xScale, box.height)))
    let diagram = try geos.multiPoint(stretchedSites).voronoiCells(envelope: envelope)
    var cells = [MultiPolygon](repeating: MultiPolygon([]), count: sites.count)
    for cell in diagram.polygons().polygons {
        // Each cell holds exactly one distinct site; give it to the first site inside.
        let cellGeometry = try geos.geometry(cell)
        guard let owner = stretchedSites.indices.first(where: { i in
            cells[i].isEmpty && ((try? cellGeometry.intersects(geos.point(stretchedSites[i]))) ?? false)
        }) else { continue }
        cells[owner] = try cellGeometry.intersection(region).polygons().mapCoordinates(unstretch)
    }
    return cells
}
