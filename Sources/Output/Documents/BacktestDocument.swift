import Foundation

/// What `riskmap evaluate --format json` prints: the backtest of the days `from...to`, one object per
/// level under `levels` with the map's measures and the naive baseline's under `baseline` (see
/// `Stats/Backtest.swift` for the definitions). Keys as ../shared/interface.md fixes them.
public struct BacktestDocument: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    /// Days after each evaluated day whose cases are the next period.
    public var horizon: Int
    /// The style's window: the days each day's map was scored from.
    public var windowDays: Int
    /// The style file, or "built-in".
    public var style: String
    /// Level name → its measures.
    public var levels: [String: Level]

    public init(from: String, to: String, horizon: Int, windowDays: Int, style: String, levels: [String: Level]) {
        self.from = from; self.to = to; self.horizon = horizon; self.windowDays = windowDays; self.style = style
        self.levels = levels
    }

    enum CodingKeys: String, CodingKey { case from, to, horizon, windowDays = "window_days", style, levels }

    /// One map's figures summed over the days.
    public struct Measures: Codable, Sendable, Equatable {
        /// hit rate / area share; 0 when nothing was flagged.
        public var pai: Double
        /// hits / the best possible hits for the same area, 0...1.
        public var peiStar: Double
        /// Next-period cases in flagged zones / next-period cases located at the level.
        public var hitRate: Double
        /// Flagged area / the level's area.
        public var areaShare: Double
        public var days: Int
        /// Zones flagged per day, on average (red zones; the baseline flags as many).
        public var redZones: Double
        /// Next-period cases located at the level, summed over the days.
        public var nextCases: Int
        /// Of them, in flagged zones.
        public var hits: Int

        public init(pai: Double, peiStar: Double, hitRate: Double, areaShare: Double, days: Int, redZones: Double,
                    nextCases: Int, hits: Int) {
            self.pai = pai; self.peiStar = peiStar; self.hitRate = hitRate; self.areaShare = areaShare; self.days = days
            self.redZones = redZones; self.nextCases = nextCases; self.hits = hits
        }

        enum CodingKeys: String, CodingKey {
            case pai, peiStar = "pei_star", hitRate = "hit_rate", areaShare = "area_share", days, redZones = "red_zones"
            case nextCases = "next_cases", hits
        }
    }

    /// A level: the map's measures, the baseline's beside them, and those of the day's significant hot
    /// spots (zones of Gi* class hot90/95/99) when the zones' shapes were at hand for their neighbours.
    public struct Level: Codable, Sendable, Equatable {
        public var map: Measures
        public var baseline: Measures
        public var hotSpots: Measures?
        public init(map: Measures, baseline: Measures, hotSpots: Measures? = nil) {
            self.map = map; self.baseline = baseline; self.hotSpots = hotSpots
        }

        enum OtherKeys: String, CodingKey { case baseline, hotSpots = "hot_spots" }

        /// The map's keys at the level's top, `baseline` and `hot_spots` beside them.
        public func encode(to encoder: Encoder) throws {
            try map.encode(to: encoder)
            var container = encoder.container(keyedBy: OtherKeys.self)
            try container.encode(baseline, forKey: .baseline)
            try container.encodeIfPresent(hotSpots, forKey: .hotSpots)
        }

        public init(from decoder: Decoder) throws {
            map = try Measures(from: decoder)
            let c = try decoder.container(keyedBy: OtherKeys.self)
            baseline = try c.decode(Measures.self, forKey: .baseline)
            hotSpots = try c.decodeIfPresent(Measures.self, forKey: .hotSpots)
        }
    }
}
