/// Values appended in chunks, and given up a chunk at a time (`consume`): the records of a run's rows
/// as the files are read, and the located cases made of them, so that the records and the cases, or
/// the cases and what is made of them (the map's cases, the repeat finder's), are never both whole in
/// memory (each nearly a gigabyte at ten million rows).
public struct Chunked<Element>: RandomAccessCollection {
    private static var chunkBits: Int { 16 }
    private var chunks: [[Element]] = []
    public private(set) var endIndex = 0
    public var startIndex: Int { 0 }

    public init() {}
    public init(_ elements: some Sequence<Element>) { for e in elements { append(e) } }

    public subscript(i: Int) -> Element { chunks[i >> Self.chunkBits][i & (1 << Self.chunkBits - 1)] }

    public mutating func append(_ element: Element) {
        if endIndex & (1 << Self.chunkBits - 1) == 0 {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(1 << Self.chunkBits)
        }
        chunks[chunks.count - 1].append(element)
        endIndex += 1
    }

    /// Hands every element to `body` with its position, in order, each chunk released once its elements
    /// were handed on; afterwards the collection is empty.
    public mutating func consume<E: Error>(_ body: (Int, Element) throws(E) -> Void) throws(E) {
        var position = 0
        for c in chunks.indices {
            let chunk = chunks[c]
            chunks[c] = []   // the chunk's storage is freed when `chunk` goes, below
            for element in chunk {
                try body(position, element)
                position += 1
            }
        }
        self = Chunked()
    }

    /// Sorted; for the rare out-of-order input only, as it holds the elements twice for a moment.
    public mutating func sort(by areInIncreasingOrder: (Element, Element) -> Bool) {
        var all = Array(self)
        self = Chunked()
        all.sortByMoving(by: areInIncreasingOrder)
        self = Chunked(all)
    }
}

extension Chunked: Sendable where Element: Sendable {}

/// The records of a run's rows, in chunks: appended as the files are read, and given up a chunk at a
/// time as they are located (`CaseLocator.locateAll(consuming:)`).
public typealias CaseRecords = Chunked<CaseRecord>
