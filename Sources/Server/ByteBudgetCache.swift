import Foundation

/// A least-recently-used map bounded by the BYTES of what it holds, not by a number of entries: a
/// server's memory then stays under `budget` however many distinct requests arrive (a count limit lets
/// 4,096 answers of 200 KB each take 800 MB). Adding past the budget drops the entries used longest
/// ago; a value larger than the whole budget is not kept at all. Thread-safe.
final class ByteBudgetCache<Key: Hashable, Value>: @unchecked Sendable {
    /// One entry in the recency list (`newer`/`older` are slot numbers, -1 at the ends).
    private struct Slot {
        var key: Key
        var value: Value
        var cost: Int
        var newer = -1, older = -1
    }

    let budget: Int
    private let lock = NSLock()
    private var slots: [Slot?] = []
    private var freeSlots: [Int] = []
    private var index: [Key: Int] = [:]
    private var newest = -1, oldest = -1
    private var held = 0

    init(budget: Int) { self.budget = max(0, budget) }

    /// The value for `key`, now the most recently used; nil when not held.
    func value(for key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        guard let i = index[key] else { return nil }
        unlink(i)
        linkAsNewest(i)
        return slots[i]?.value
    }

    /// Keeps `value` under `key`, counted as `cost` bytes (replacing what `key` held).
    func insert(_ value: Value, cost: Int, for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        if let i = index[key] { remove(i) }
        guard cost <= budget else { return }
        while held + cost > budget, oldest >= 0 { remove(oldest) }
        let slot = Slot(key: key, value: value, cost: cost)
        let i: Int
        if let reused = freeSlots.popLast() { i = reused; slots[i] = slot } else { i = slots.count; slots.append(slot) }
        index[key] = i
        held += cost
        linkAsNewest(i)
    }

    /// Entries held and the bytes they count (for tests and `/healthz`).
    var usage: (entries: Int, bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (index.count, held)
    }

    private func remove(_ i: Int) {
        guard let slot = slots[i] else { return }
        unlink(i)
        index[slot.key] = nil
        held -= slot.cost
        slots[i] = nil
        freeSlots.append(i)
    }

    private func unlink(_ i: Int) {
        guard let slot = slots[i] else { return }
        if slot.newer >= 0 { slots[slot.newer]?.older = slot.older } else { newest = slot.older }
        if slot.older >= 0 { slots[slot.older]?.newer = slot.newer } else { oldest = slot.newer }
        slots[i]?.newer = -1
        slots[i]?.older = -1
    }

    private func linkAsNewest(_ i: Int) {
        slots[i]?.older = newest
        slots[i]?.newer = -1
        if newest >= 0 { slots[newest]?.newer = i }
        newest = i
        if oldest < 0 { oldest = i }
    }
}
