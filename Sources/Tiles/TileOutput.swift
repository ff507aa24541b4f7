import Archives

/// Where a run puts its tiles (`run --tiles`): one PNG file per tile under `tiles/{layer}/{z}/{x}/{y}.png`,
/// or one archive per layer, `tiles/{layer}.pmtiles` or `.mbtiles`, and no tile files at all.
public enum TileOutput: Sendable, Equatable, CustomStringConvertible {
    case folder
    case archive(TileArchiveKind)

    /// `folder`, `pmtiles` or `mbtiles`.
    public init?(_ text: String) {
        if text == "folder" { self = .folder; return }
        guard let kind = TileArchiveKind(rawValue: text) else { return nil }
        self = .archive(kind)
    }

    public var description: String {
        switch self {
        case .folder: "folder"
        case .archive(let kind): kind.rawValue
        }
    }

    public static let names = ["folder"] + TileArchiveKind.allCases.map(\.rawValue)
}
