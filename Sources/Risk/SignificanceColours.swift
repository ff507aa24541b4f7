/// The colours of the significance layers (`tiles/hotspots`, `tiles/emerging`) and of their legend:
/// ArcGIS's conventions, so that an analyst reads them as in Hot Spot and Emerging Hot Spot Analysis
/// (reds hot, blues cold, darker more certain). `nil`: not drawn (no class, no pattern).
extension GiClass {
    public var colour: String? {
        switch self {
        case .hot99: "#D62F27"
        case .hot95: "#ED7551"
        case .hot90: "#FAB984"
        case .cold90: "#C0CCBE"   // ArcGIS's pale blue-grey, distinguishable from "no class" (not drawn)
        case .cold95: "#849EBA"
        case .cold99: "#4575B5"
        case .none: nil
        }
    }
}

extension EmergingCategory {
    public var colour: String? {
        switch self {
        case .newHot: "#FFD4D4"
        case .consecutiveHot: "#FFA6A6"
        case .intensifyingHot: "#E60000"
        case .persistentHot: "#A80000"
        case .diminishingHot: "#FF7F7F"
        case .sporadicHot: "#FFBEBE"
        case .oscillatingHot: "#FF5500"
        case .historicalHot: "#730000"
        case .newCold: "#D4E4FF"
        case .consecutiveCold: "#A6C8FF"
        case .intensifyingCold: "#0070FF"
        case .persistentCold: "#004DA8"
        case .diminishingCold: "#73B2FF"
        case .sporadicCold: "#BED2FF"
        case .oscillatingCold: "#00A9E6"
        case .historicalCold: "#002673"
        case .none: nil
        }
    }
}
