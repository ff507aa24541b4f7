import Foundation

/// Where the viewer's Leaflet comes from: a folder with `leaflet.js` (or `leaflet.min.js`) and
/// `leaflet.css`, as Debian's libjs-leaflet installs it. It is looked for, in this order:
///
/// 1. `$RISKMAP_LEAFLET` (a folder), for any other installation;
/// 2. `<binary dir>/../share/riskmap/leaflet` and `<binary dir>/../share/javascript/leaflet`, for a
///    riskmap installed under a prefix that brings its own copy;
/// 3. `/usr/share/javascript/leaflet` (Debian's libjs-leaflet), `/usr/local/share/javascript/leaflet`.
///
/// A run without Leaflet still publishes everything; its viewer says that Leaflet is missing and
/// the run warns with the fix (see `missingMessage`): a daily job should not fail for the viewer.
public enum Leaflet {
    public static let environmentVariable = "RISKMAP_LEAFLET"

    /// The folders looked in, in order.
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  binary: URL? = runningBinary) -> [URL] {
        var list: [URL] = []
        if let folder = environment[environmentVariable], !folder.isEmpty { list.append(URL(fileURLWithPath: folder)) }
        if let prefix = binary?.deletingLastPathComponent().deletingLastPathComponent() {
            list.append(prefix.appendingPathComponent("share/riskmap/leaflet"))
            list.append(prefix.appendingPathComponent("share/javascript/leaflet"))
        }
        list += ["/usr/share/javascript/leaflet", "/usr/local/share/javascript/leaflet"].map { URL(fileURLWithPath: $0) }
        return list
    }

    /// The first candidate that holds Leaflet, or nil.
    public static func find(in candidates: [URL] = candidates()) -> URL? {
        candidates.first(where: holdsLeaflet)
    }

    static func holdsLeaflet(_ folder: URL) -> Bool {
        let fm = FileManager.default
        return ["leaflet.js", "leaflet.min.js"].contains { fm.fileExists(atPath: folder.appendingPathComponent($0).path) }
            && fm.fileExists(atPath: folder.appendingPathComponent("leaflet.css").path)
    }

    /// The warning of a run that found no Leaflet: where it looked and how to fix it.
    public static func missingMessage(_ candidates: [URL] = candidates()) -> String {
        "Leaflet not found (looked in \(candidates.map(\.path).joined(separator: ", "))): the viewer (index.html) "
            + "only says that it is missing; install it with `apt-get install libjs-leaflet`, or set "
            + "\(environmentVariable) to a folder holding leaflet.js and leaflet.css, and run again"
    }

    /// This program's file, symlinks resolved (`/proc/self/exe` on Linux), so that a binary linked
    /// into a `bin` folder on PATH finds the `share` folder of its real installation.
    public static var runningBinary: URL? {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }
}
