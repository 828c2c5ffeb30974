import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A monotonic clock read from the kernel's last tick (a few milliseconds' resolution) instead of
/// the hardware counter: the engine asks the time after every rule on every file only to compare
/// it with a budget of seconds, and the precise clock was about 0.5% of a run (on virtual machines
/// its counter is slow to read). Nanoseconds from an arbitrary origin; never goes back.
package enum CoarseClock {
    /// Inlined: the engine reads it after every rule on every file (230,000 calls at agora ×1),
    /// from another module; `@inlinable` alone left a call there (~10 instructions a read on top
    /// of the clock's own). The kernel's monotonic time is never negative, so its fields are
    /// converted without the checks for a negative value.
    @inlinable @inline(__always)
    package static func nanoseconds() -> UInt64 {
        #if canImport(Glibc)
        var now = timespec()
        if clock_gettime(CLOCK_MONOTONIC_COARSE, &now) == 0 {
            return UInt64(truncatingIfNeeded: now.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: now.tv_nsec)
        }
        #endif
        return DispatchTime.now().uptimeNanoseconds
    }

    /// Budgets below this are checked with the precise clock (a budget of 0 means "after the
    /// first rule", which a clock that has not ticked yet would not see).
    package static let smallestBudget = 1.0
}
