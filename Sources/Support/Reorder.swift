extension Array {
    /// Sorts the array in place without a second buffer of elements: the positions are sorted, then
    /// the elements moved along the permutation's cycles. `sort()` allocates half the array again as
    /// scratch (and copies the whole of it when the buffer is shared) — at ten million located cases
    /// of ~270 bytes that is gigabytes; this takes 8 bytes an element.
    public mutating func sortByMoving(by areInIncreasingOrder: (Element, Element) -> Bool) {
        let order: [Int] = withUnsafeBufferPointer { elements in
            let sorted = elements.indices.dropFirst().allSatisfy { !areInIncreasingOrder(elements[$0], elements[$0 - 1]) }
            return sorted ? [] : elements.indices.sorted { areInIncreasingOrder(elements[$0], elements[$1]) }
        }
        guard !order.isEmpty else { return }
        withUnsafeMutableBufferPointer { elements in
            // order[i]: where the element that belongs at i is now. Each cycle is walked once; a
            // position is marked done by setting its entry to itself.
            var order = order
            for start in order.indices where order[start] != start {
                let first = elements[start]
                var at = start
                while order[at] != start {
                    let from = order[at]
                    elements[at] = elements[from]
                    order[at] = at
                    at = from
                }
                elements[at] = first
                order[at] = at
            }
        }
    }
}
