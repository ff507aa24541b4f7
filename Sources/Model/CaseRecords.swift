/// The records of a run's rows, in chunks: appended as the files are read, and given up a chunk at a
/// time as they are located (`consume`), so that the records and the located cases made of them are
/// never both whole in memory (a gigabyte each at ten million rows).
public struct CaseRecords: RandomAccessCollection, Sendable {
    private static let chunkBits = 16
    private var chunks: [[CaseRecord]] = []
    public private(set) var endIndex = 0
    public var startIndex: Int { 0 }

    public init() {}
    public init(_ records: some Sequence<CaseRecord>) { for r in records { append(r) } }

    public subscript(i: Int) -> CaseRecord { chunks[i >> Self.chunkBits][i & (1 << Self.chunkBits - 1)] }

    public mutating func append(_ record: CaseRecord) {
        if endIndex & (1 << Self.chunkBits - 1) == 0 {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(1 << Self.chunkBits)
        }
        chunks[chunks.count - 1].append(record)
        endIndex += 1
    }

    /// Hands every record to `body` with its position, in order, each chunk released once its records
    /// were handed on; afterwards the collection is empty.
    public mutating func consume<E: Error>(_ body: (Int, CaseRecord) throws(E) -> Void) throws(E) {
        var position = 0
        for c in chunks.indices {
            let chunk = chunks[c]
            chunks[c] = []   // the chunk's storage is freed when `chunk` goes, below
            for record in chunk {
                try body(position, record)
                position += 1
            }
        }
        self = CaseRecords()
    }
}
