import ArgumentParser
import Foundation
import Support
import Input
import Model
import Projection

extension CRS: ExpressibleByArgument {
    public init?(argument: String) {
        guard let crs = try? CRS(parsing: argument) else { return nil }
        self = crs
    }
    public static var defaultCompletionKind: CompletionKind { .list(["wgs84", "cgcs2000", "gcj02", "bd09", "EPSG:4547"]) }
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

/// `LON,LAT`.
struct LonLat: ExpressibleByArgument {
    var x: Double
    var y: Double
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), x.isFinite, y.isFinite else { return nil }
        self.x = x
        self.y = y
    }
}
