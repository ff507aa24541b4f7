/// The days that count: (asOf − days, asOf].
public struct Window: Sendable, Equatable {
    public var asOf: Day
    public var days: Int
    public init(asOf: Day, days: Int) { self.asOf = asOf; self.days = days }
    // Inlinable: asked for every case of a run, from other modules.
    @inlinable public func contains(_ day: Day) -> Bool { day <= asOf && day > asOf - days }
    /// The window of the same length just before this one, for trends.
    @inlinable public var previous: Window { Window(asOf: asOf - days, days: days) }
    /// The first day inside.
    @inlinable public var first: Day { asOf - (days - 1) }
}
