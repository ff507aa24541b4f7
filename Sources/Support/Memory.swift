// glibc's `int mallopt(int param, int value)` (malloc.h, which the Glibc module does not bring in).
#if os(Linux)
@_silgen_name("mallopt") private func mallopt(_ param: Int32, _ value: Int32) -> Int32
@_silgen_name("malloc_trim") private func malloc_trim(_ pad: Int) -> Int32
/// malloc.h's M_MMAP_THRESHOLD.
private let M_MMAP_THRESHOLD: Int32 = -3
#endif

/// How the process asks for memory. glibc serves a large block from the heap once a block of that size
/// was freed (its mmap threshold grows with each free, up to 32 MB), and memory freed in the middle of
/// the heap stays with the process: a run that frees a gigabyte of read records, 6 MB at a time, kept
/// it all as resident memory while the located cases grew beside it. A fixed threshold makes every
/// block of 1 MB or more a mapping of its own, returned to the system when freed (at 1e6 cases the
/// peak fell from 890 to 752 MB; the time is the same).
public enum Memory {
    public static func returnLargeBlocksWhenFreed() {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
        #endif
    }

    /// Gives the free pages inside the heap back to the system (glibc's `malloc_trim`): after a stage
    /// that made and freed millions of small blocks (strings, per-group arrays), the pages between
    /// the blocks still in use stay resident otherwise.
    public static func returnFreePages() {
        #if os(Linux)
        _ = malloc_trim(0)
        #endif
    }
}
