import Support
import Foundation
import Geometry
import Model
import Risk

/// Writes RFC 7946 GeoJSON: WGS84 lon/lat, counter-clockwise exterior rings and clockwise holes,
/// 7 decimals (about 1 cm), no `crs` member.
public enum GeoJSONWriter {
    /// The same text as `ZoneCollection(...).jsonText()`, its features formatted in chunks on all cores:
    /// a province's zones are tens of megabytes of coordinates, each formatted alone.
    public static func zones(_ stats: [ZoneStats], style: Style) -> String {
        let numbers = FeatureNumber.of(stats.map(\.zone.id))
        let ranges = chunks(of: stats.count, parts: ProcessInfo.processInfo.activeProcessorCount * 4)
        let parts = parallelMap(ranges.count) { c in
            ranges[c].map { i in
                ZoneFeature(id: numbers[i], geometry: ZoneGeometry(stats[i].zone.geometry),
                            properties: ZoneProperties(stats[i], style: style)).jsonText()
            }
        }
        return collection(Array(parts.joined()))
    }

    /// The density peaks of the cases as points, strongest first.
    public static func hotspots(_ hotspots: [Hotspot]) -> String {
        HotspotCollection(hotspots).jsonText()
    }

    /// Located cases as points; no address text (it can identify the person who complained).
    /// `points`: exact, snapped to a grid, or none (`run --case-points`).
    /// `warnings`: case id → why its address disagrees with its coordinates (a `warning` property, only
    /// with exact points: it names the place the address matched).
    /// A million cases take tens of seconds to format on one core: the features are formatted in
    /// chunks on all cores, then joined in order (the text is the same as one core's).
    public static func cases<Cases: RandomAccessCollection<LocatedCase> & Sendable>(
        _ cases: Cases, window: Window, points: CasePoints = .exact, warnings: [String: String] = [:]
    ) -> String where Cases.Index == Int {
        var text = ""
        Self.cases(cases, window: window, points: points, warnings: warnings) { text += $0 }
        return text
    }

    /// The same text as `cases(_:window:points:warnings:)`, handed to `append` piece by piece: the
    /// features are formatted in chunks of 8,192 on all cores, a batch of chunks at a time, so that
    /// memory holds one batch, not the whole file (gigabytes at ten million cases).
    public static func cases<Cases: RandomAccessCollection<LocatedCase> & Sendable, E: Error>(
        _ cases: Cases, window: Window, points: CasePoints = .exact, warnings: [String: String] = [:],
        append: (String) throws(E) -> Void
    ) throws(E) where Cases.Index == Int {
        let warnings = points == .exact ? warnings : [:]
        let numbers = FeatureNumber.of(cases.lazy.map(\.record.id))
        let chunk = 8192, chunks = (cases.count + chunk - 1) / chunk, batch = 32
        try append("{\"type\":\"FeatureCollection\",\"features\":[\n")
        for first in stride(from: 0, to: chunks, by: batch) {
            let parts = parallelMap(min(batch, chunks - first)) { j in
                let k = first + j
                return ((k * chunk)..<min(cases.count, (k + 1) * chunk))
                    .map { caseFeature(cases[$0], number: numbers[$0], points: points, window: window, warnings: warnings) }
                    .joined(separator: ",\n")
            }
            for (j, part) in parts.enumerated() {
                try append(first + j == 0 ? part : ",\n" + part)
            }
        }
        try append("\n]}\n")
    }

    static func caseFeature(_ c: LocatedCase, number: UInt64, points: CasePoints, window: Window,
                            warnings: [String: String]) -> String {
        let geometry = c.point.flatMap(points.place).map { "{\"type\":\"Point\",\"coordinates\":[\(coord($0))]}" } ?? "null"
        let warning = warnings[c.record.id].map { [("warning", JSONText.string($0))] } ?? []
        return feature(id: number, geometry: geometry, properties: [
            ("id", JSONText.string(c.record.id)),
            ("street", JSONText.optional(c.street)),
            ("community", JSONText.optional(c.community)),
            ("post", JSONText.optional(c.post)),
            ("method", JSONText.string(c.method.rawValue)),
            ("confidence", JSONText.number(c.confidence, decimals: 3)),
            ("date", JSONText.string(c.record.day.description)),
            ("category", JSONText.string(c.record.category)),
            ("counted", window.contains(c.record.day) ? "true" : "false"),
        ] + warning)
    }

    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    static func feature(id: UInt64, geometry: String, properties: [(String, String)]) -> String {
        "{\"type\":\"Feature\",\"id\":\(id),\"geometry\":\(geometry),\"properties\":\(JSONText.object(properties))}"
    }

    static func coord(_ c: Coordinate) -> String {
        JSONText.number(c.x, decimals: 7) + "," + JSONText.number(c.y, decimals: 7)
    }
}
