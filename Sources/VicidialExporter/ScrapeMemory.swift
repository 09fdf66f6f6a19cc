import CMalloc

/// Makes freed memory go back to the system: large buffers at once, and the heap's free pages
/// after each scrape.
///
/// glibc serves blocks of at least its mmap threshold (128 KiB) with their own mappings,
/// unmapped on free; but the first time such a block is freed it raises the threshold to the
/// block's size (up to 32 MiB), so from then on every scrape's 10-30 MB buffers come from the
/// heap, which keeps the pages after free. Setting the threshold fixes it (and turns the
/// raising off), so resident memory after a scrape is what it was before.
public enum ScrapeMemory {
    static let mmapThreshold: Int32 = 1 << 20

    public static func returnLargeBuffersToTheSystem() {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
        #endif
    }

    /// Gives the free pages inside the heap back to the system (glibc's `malloc_trim` also
    /// releases whole free pages between live blocks, not only at the top). Request bodies and
    /// journal records are allocated and freed on every push, on several threads, between
    /// allocations that live on (agents); without this their pages stay resident.
    static func trim() {
        #if os(Linux)
        _ = malloc_trim(0)
        #endif
    }
}
