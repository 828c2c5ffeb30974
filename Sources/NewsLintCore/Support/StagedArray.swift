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
