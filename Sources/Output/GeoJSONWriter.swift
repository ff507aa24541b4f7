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
        // Chunks of at most 8,192 features, and at least eight chunks when there are 2,048 features or
        // more, so that both cores have work to the end (the demo's 20,000 cases made three).
        let chunk = min(8192, max(256, (cases.count + 7) / 8)), chunks = (cases.count + chunk - 1) / chunk, batch = 32
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

    /// One case's feature, written into one string: its keys are fixed ASCII, its strings escaped by
    /// `JSONText.appendString`, its numbers by `JSONText.appendNumber`. (Built from an array of property
    /// pairs it took 7.6 µs a case, three quarters of `write_cases`: 0.15 s of the demo's run.)
    static func caseFeature(_ c: LocatedCase, number: UInt64, points: CasePoints, window: Window,
                            warnings: [String: String]) -> String {
        var text = "{\"type\":\"Feature\",\"id\":"
        text.reserveCapacity(256 + c.record.id.utf8.count + c.record.category.utf8.count)
        text += String(number)
        text += ",\"geometry\":"
        if let p = c.point.flatMap(points.place) {
            text += "{\"type\":\"Point\",\"coordinates\":["
            JSONText.appendNumber(p.x, decimals: 7, to: &text)
            text += ","
            JSONText.appendNumber(p.y, decimals: 7, to: &text)
            text += "]}"
        } else {
            text += "null"
        }
        text += ",\"properties\":{\"id\":"
        JSONText.appendString(c.record.id, to: &text)
        text += ",\"street\":"
        JSONText.appendOptional(c.street, to: &text)
        text += ",\"community\":"
        JSONText.appendOptional(c.community, to: &text)
        text += ",\"post\":"
        JSONText.appendOptional(c.post, to: &text)
        text += ",\"method\":"
        JSONText.appendString(c.method.rawValue, to: &text)
        text += ",\"confidence\":"
        JSONText.appendNumber(c.confidence, decimals: 3, to: &text)
        text += ",\"date\":"
        JSONText.appendString(c.record.day.description, to: &text)
        text += ",\"category\":"
        JSONText.appendString(c.record.category, to: &text)
        text += window.contains(c.record.day) ? ",\"counted\":true" : ",\"counted\":false"
        if let warning = warnings[c.record.id] {
            text += ",\"warning\":"
            JSONText.appendString(warning, to: &text)
        }
        text += "}}"
        return text
    }

    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }
}
