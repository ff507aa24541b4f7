import Foundation
import Output

/// `serve --public`: what a public dashboard must not get. `rejects.csv` is never served (see
/// `RiskServer.private_`); a `cases.geojson` (or a variant `cases.*.geojson`) is refused unless the
/// run that wrote it placed the cases on a grid or left the points out — its `report.json` (the one
/// in the same folder, so day folders are judged by their own run) says so in `case_points`:
/// `snap:METRES` or `none`. Absent (a run before `--case-points`) or `exact`: refused.
enum PublicPolicy {
    static func isCaseFile(_ name: String) -> Bool {
        name == "cases.geojson" || (name.hasPrefix("cases.") && name.hasSuffix(".geojson"))
    }

    /// Whether a report's `case_points` value (`CasePoints`, as `run --case-points` wrote it) lets the
    /// cases be published: snapped or none.
    static func publishable(_ casePoints: String?) -> Bool {
        guard let points = casePoints.flatMap(CasePoints.init(parsing:)) else { return false }
        return points != .exact
    }

    static func check(_ segments: [String], root: Snapshot, files: FileCache) throws(APIError) {
        guard let name = segments.last, isCaseFile(name) else { return }
        let report = (segments.dropLast() + ["report.json"]).joined(separator: "/")
        var casePoints: String?
        if case .found(let entry) = files.file(report, in: root, cacheControl: RiskServer.fileCacheControl) {
            casePoints = RunReport.casePoints(in: Data(entry.body.readableBytesView))
        }
        guard publishable(casePoints) else {
            throw APIError(.forbidden, "\(segments.joined(separator: "/")) holds every case's exact point (report.json: case_points "
                           + "\(casePoints ?? "absent, i.e. exact")), which can point at a complainant's door; serve --public does not "
                           + "publish it. Re-run with --case-points snap:METRES (e.g. snap:100) or --case-points none, or serve without --public.")
        }
    }
}
