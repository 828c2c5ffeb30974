extension Array where Element: BitwiseCopyable {
    /// An array of `count` elements, every one of them written by `initialize`.
    ///
    /// Why not `Array(unsafeUninitializedCapacity:)` or `Array(repeating:count:)`: both allocate
    /// through the standard library's `_allocateBufferUninitialized`, which is kept out of line and
    /// unspecialised, so it looks the storage class's generic metadata up at run time on every call
    /// (~440 instructions, ~740 with the allocation; 94,000 calls a cold agora ×1 run). An array made
    /// from a buffer (`Array(UnsafeBufferPointer)`) allocates through the specialised path instead
    /// (~130). So up to 1 KB (what `withUnsafeTemporaryAllocation` keeps on the stack) the elements
    /// are written on the stack and copied once; a larger array takes the standard path, where one
    /// lookup costs less than the copy would.
    ///
    /// `public` and `@inlinable` so that it is specialised in the modules that call it.
    @inlinable
    public init(stagingCount count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        guard count > 0 else {
            self = []
            return
        }
        guard count <= 1024 / MemoryLayout<Element>.stride else {
            self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
                initialize(UnsafeMutableBufferPointer(rebasing: buffer[..<count]))
                initialized = count
            }
            return
        }
        self = withUnsafeTemporaryAllocation(of: Element.self, capacity: count) { staged in
            initialize(staged)
            return Array(UnsafeBufferPointer(staged))
        }
    }
}

/// `zeroedPageBytes` zero bytes: the source `Array(zeroedCount:)` copies from. Written once, by
/// this initialiser (a global's, run once under the runtime's lock), and only read after: arrays
/// made from it copy it, so nothing can write through it.
@usableFromInline nonisolated(unsafe) let zeroedPage: UnsafeRawPointer = {
    let page = UnsafeMutableRawPointer.allocate(byteCount: zeroedPageBytes, alignment: 64)
    page.initializeMemory(as: UInt8.self, repeating: 0, count: zeroedPageBytes)
    return UnsafeRawPointer(page)
}()

/// 64 KB: a file of agora's (5 KB on average) and its per-file tables fit many times over.
@usableFromInline let zeroedPageBytes = 64 << 10

extension Array where Element: BitwiseCopyable {
    /// `count` elements whose bytes are all zero — for element types where that is a value (integers
    /// and `Bool`: 0 and false), never pointers or enums without an all-zero case.
    ///
    /// Made as an array copied from `zeroedPage` when they fit it: `Array(UnsafeBufferPointer)`
    /// allocates through the specialised path, where `Array(repeating:count:)` takes the unspecialised
    /// `_allocateBufferUninitialized` (see `init(stagingCount:)`; ~700 instructions a call more than
    /// the copy of a few KB). Larger arrays are allocated uninitialised and their bytes zeroed.
    @inlinable
    public init(zeroedCount count: Int) {
        precondition(count >= 0, "Can't construct Array with count < 0")
        guard count > 0, count <= zeroedPageBytes / MemoryLayout<Element>.stride else {
            self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableBufferPointer(rebasing: buffer[..<count]).withMemoryRebound(to: UInt8.self) { $0.initialize(repeating: 0) }
                initialized = count
            }
            return
        }
        self = zeroedPage.withMemoryRebound(to: Element.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
