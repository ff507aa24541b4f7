import Foundation

/// Every distinct value of one kind a process has made, each once, by a 4-byte handle. A run holds
/// millions of values drawn from a few distinct ones (the zone ids of a case, its category, its file):
/// a handle is four bytes where the value is 16 (a string) to 64 (four optional strings).
///
/// Entries are never removed or moved: they live in fixed-size chunks, so a handle is read without a
/// lock; a handle reaches another thread only through the synchronisation that hands over the value
/// holding it, which orders the entry's write before the read. Interning takes the lock. Handle 0 is
/// the value the table was made with (nil, none), interned without the lock.
final class InternTable<Value: Hashable & Sendable>: @unchecked Sendable {
    private static var chunkBits: UInt32 { 16 }
    private static var chunkCount: Int { 1 << 16 }
    private let chunks = UnsafeMutablePointer<UnsafeMutablePointer<Value>?>.allocate(capacity: InternTable.chunkCount)
    private let lock = NSLock()
    private var handles: [Value: UInt32] = [:]
    private var count: UInt32 = 0
    private let empty: Value
    private let what: String

    /// `empty`: the value of handle 0. `what`: the values' name, for the one error (4 billion of them).
    init(empty: Value, of what: String) {
        self.empty = empty
        self.what = what
        chunks.initialize(repeating: nil, count: Self.chunkCount)
        _ = insert(empty)
    }

    subscript(handle: UInt32) -> Value {
        chunks[Int(handle >> Self.chunkBits)].unsafelyUnwrapped[Int(handle & (1 << Self.chunkBits - 1))]
    }

    func intern(_ value: Value) -> UInt32 {
        if value == empty { return 0 }
        lock.lock()
        defer { lock.unlock() }
        return handles[value] ?? insert(value)
    }

    /// Appends an entry (under the lock, or from `init`).
    private func insert(_ value: Value) -> UInt32 {
        let handle = count
        let chunk = Int(handle >> Self.chunkBits)
        precondition(chunk < Self.chunkCount, "more than 4 billion distinct \(what)")
        if chunks[chunk] == nil {
            chunks[chunk] = UnsafeMutablePointer<Value>.allocate(capacity: 1 << Int(Self.chunkBits))
        }
        (chunks[chunk].unsafelyUnwrapped + Int(handle & (1 << Self.chunkBits - 1))).initialize(to: value)
        handles[value] = handle
        count += 1
        return handle
    }
}
