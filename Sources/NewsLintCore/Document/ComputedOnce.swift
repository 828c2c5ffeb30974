import Synchronization

/// A value of a document computed on first use and then shared (the scalar decode, the HTML
/// tokens, the HTML element structure): rules that never ask do not pay, and the first rule that
/// asks pays for all the others in the pass. The mutex makes the fill safe even if a document were
/// shared across threads; the engine runs one document's rules on one thread, so it is not contended.
package final class ComputedOnce<Value: Sendable>: Sendable {
    private let state = Mutex<Value?>(nil)

    package func value(_ compute: () -> Value) -> Value {
        state.withLock { stored in
            if let stored { return stored }
            let computed = compute()
            stored = computed
            return computed
        }
    }
}
