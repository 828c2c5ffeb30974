@testable import NewsLintCore

extension SpareArrays {
    /// Whether a document made by `make` hands the array `array` reads from it back to this pool
    /// when it ends (`DocumentViews`' deinit). The pool is shared with tests running alongside,
    /// which may take the storage at once: tried until one round sees it kept (a dropped hand-back
    /// never does).
    func receivesStorage<Stored>(of make: () -> Document, _ array: (Document) -> [Stored]) -> Bool {
        for _ in 0..<200 {
            var storage: Int?
            do {
                let document = make()
                storage = array(document).withUnsafeBufferPointer { $0.baseAddress.map { Int(bitPattern: $0) } }
            }
            if let storage, holds(storageAt: storage) { return true }
        }
        return false
    }
}
