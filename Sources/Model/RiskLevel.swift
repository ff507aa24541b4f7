/// A zone's risk level.
public enum RiskLevel: String, CaseIterable, Sendable, Codable, Comparable {
    case green, yellow, red
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
