/// riskmap's version: what `riskmap --version` prints and `report.json` records as `tool_version`.
/// The one place it is written; change it here on a release.
public enum ToolVersion {
    public static let current = "0.11.0"
}
