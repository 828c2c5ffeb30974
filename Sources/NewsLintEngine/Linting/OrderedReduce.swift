import Foundation
import NewsLintCore

/// Runs a run's cross-file reduce phases on two threads while their findings still reach the
/// receiver in rule order, exactly as one thread would report them (the lint cache records the
/// cross-file result in that order). This thread takes phases from the front of the list, a
/// helper takes them from the back; a phase the helper runs reports into a `FindingRelay`, which
/// this thread drains when it reaches that phase. With one job (or one phase) it is the plain loop.
///
/// Why: the reduce phases ran one after another on one thread after the parallel pass, so with
/// `--jobs 2` one core idled through all of them (content-near-duplicate's alone is about 5% of an
/// agora-pen run's wall time).
package enum OrderedReduce {
    /// `phase(i, receiver)` runs phase `i` reporting into `receiver`, returning what it did not
    /// report there. Phases must not depend on each other.
    package static func run(count: Int, concurrently: Bool, into receiver: any DiagnosticReceiver,
                    phase: (Int, any DiagnosticReceiver) -> [Diagnostic]) -> [Diagnostic] {
        guard concurrently, count >= 2 else {
            var out: [Diagnostic] = []
            for i in 0..<count { out.append(contentsOf: phase(i, receiver)) }
            return out
        }
        let claims = PhaseClaims(count: count)
        let relays = (0..<count).map { _ in FindingRelay() }
        let leftovers = Locked([[Diagnostic]](repeating: [], count: count))
        withoutActuallyEscaping(phase) { phase in
            let shared = UncheckedPhase(phase: phase, receiver: receiver)
            DispatchQueue.concurrentPerform(iterations: 2) { role in
                if role == 1 {
                    // The helper: phases from the back, each into its relay.
                    while let i = claims.takeFromBack() {
                        let rest = shared.phase(i, relays[i])
                        leftovers.withLock { $0[i] = rest }
                        relays[i].close()
                    }
                    return
                }
                // The forwarder: phases in order, running those the helper has not taken.
                for i in 0..<count {
                    if claims.takeFromFront(i) {
                        let rest = shared.phase(i, shared.receiver)
                        leftovers.withLock { $0[i] = rest }
                    } else {
                        relays[i].drain(into: shared.receiver)
                    }
                }
            }
        }
        return leftovers.withLock { $0.flatMap { $0 } }
    }
}

/// Which thread runs each phase: the forwarder claims phase `i` when it reaches it, the helper
/// claims from the back; each phase is claimed once. The forwarder waits only for phases the
/// helper has claimed (and so is running or has run), so neither can wait for the other forever,
/// even if the helper starts late or never.
package final class PhaseClaims: @unchecked Sendable {
    private let lock = NSLock()
    private var front = 0
    private var back: Int

    package init(count: Int) { back = count }

    /// True when the forwarder runs phase `i` itself (the helper has not taken it).
    package func takeFromFront(_ i: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard i < back else { return false }
        front = i + 1
        return true
    }

    /// The next phase for the helper, from the back; nil once the two have met.
    package func takeFromBack() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard back - 1 >= front else { return nil }
        back -= 1
        return back
    }
}

/// Findings reported on one thread and forwarded on another in the order they were added. Bounded:
/// a producer more than `byteBudget` (rough bytes: messages and paths) ahead of the consumer waits,
/// so a reduce that reports every file of a large corpus is not held whole.
package final class FindingRelay: DiagnosticReceiver, @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [Diagnostic] = []
    private var bufferBytes = 0
    private var closed = false
    package let byteBudget: Int

    package init(byteBudget: Int = 1 << 20) { self.byteBudget = max(1, byteBudget) }

    package func add(_ diagnostic: Diagnostic) {
        let size = 64 + diagnostic.path.utf8.count + diagnostic.message.utf8.count
        condition.lock()
        while bufferBytes >= byteBudget && !buffer.isEmpty { condition.wait() }
        buffer.append(diagnostic)
        bufferBytes += size
        condition.broadcast()
        condition.unlock()
    }

    /// No more findings: `drain` returns once it has forwarded what is buffered.
    package func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Forwards every finding, in order, until the producer has closed the relay and nothing is left.
    package func drain(into receiver: any DiagnosticReceiver) {
        var batch: [Diagnostic] = []
        while true {
            condition.lock()
            while buffer.isEmpty && !closed { condition.wait() }
            swap(&batch, &buffer)
            bufferBytes = 0
            let finished = closed
            condition.broadcast()
            condition.unlock()
            for d in batch { receiver.add(d) }
            batch.removeAll(keepingCapacity: true)
            if finished {
                // Closed before this batch was taken: nothing can have been added since.
                return
            }
        }
    }
}

/// The phase closure and the receiver, used by the two roles of `OrderedReduce.run`: the receiver
/// only by the forwarder, each phase by exactly one role.
private struct UncheckedPhase: @unchecked Sendable {
    let phase: (Int, any DiagnosticReceiver) -> [Diagnostic]
    let receiver: any DiagnosticReceiver
}
