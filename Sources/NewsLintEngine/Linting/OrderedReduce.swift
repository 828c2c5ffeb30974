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
///
/// Phases marked `large` (many fact bytes, `LintSettings.reduceAloneBytes`, 32 MB by default) run
/// only on this thread, one after another: two such reduces at once hold both working sets, which
/// grow with the corpus. The helper still takes the small phases beside them. (With every reduce
/// of more than 512 KB of facts marked large, the reduces of agora ×10 ran almost all on this
/// thread; below 32 MB two at once measured no higher peak at 160k synthetic files: see
/// `LintSettings.defaultReduceAloneBytes`.)
package enum OrderedReduce {
    /// `phase(i, receiver)` runs phase `i` reporting into `receiver`, returning what it did not
    /// report there. Phases must not depend on each other. `large[i]` (default: none) keeps phase
    /// `i` off the helper thread.
    package static func run(count: Int, concurrently: Bool, large: [Bool] = [], into receiver: any DiagnosticReceiver,
                    phase: (Int, any DiagnosticReceiver) -> [Diagnostic]) -> [Diagnostic] {
        let helperMayTake = (0..<count).map { !(large.indices.contains($0) && large[$0]) }
        guard concurrently, count >= 2, helperMayTake.contains(true) else {
            var out: [Diagnostic] = []
            for i in 0..<count { out.append(contentsOf: phase(i, receiver)) }
            return out
        }
        let claims = PhaseClaims(helperMayTake: helperMayTake)
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
/// claims from the back the phases it may take (`helperMayTake`), skipping the others; each phase
/// is claimed once. The forwarder waits only for phases the helper has claimed (and so is running or
/// has run), so neither can wait for the other forever, even if the helper starts late or never.
package final class PhaseClaims: @unchecked Sendable {
    private let lock = NSLock()
    private let helperMayTake: [Bool]
    private var takenByHelper: [Bool]
    /// The forwarder's next phase: the helper takes only phases at or after it.
    private var front = 0
    /// The helper's next candidate, counting down.
    private var back: Int

    package init(helperMayTake: [Bool]) {
        self.helperMayTake = helperMayTake
        takenByHelper = Array(repeating: false, count: helperMayTake.count)
        back = helperMayTake.count - 1
    }

    package convenience init(count: Int) { self.init(helperMayTake: Array(repeating: true, count: count)) }

    /// True when the forwarder runs phase `i` itself (the helper has not taken it).
    package func takeFromFront(_ i: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !takenByHelper[i] else { return false }
        front = i + 1
        return true
    }

    /// The next phase for the helper, from the back; nil once none is left that it may take.
    package func takeFromBack() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        while back >= front {
            let i = back
            back -= 1
            if helperMayTake[i] {
                takenByHelper[i] = true
                return i
            }
        }
        return nil
    }
}

/// Findings reported on one thread and forwarded on another in the order they were added. Bounded:
/// a producer more than `byteBudget` (rough bytes: messages and paths) ahead of the consumer waits,
/// so a reduce that reports every file of a large corpus is not held whole. Deferred findings
/// (`DeferredFindings`, content-duplicate's) are forwarded as the recipe they are, in their place
/// among the others (made at once here before, they went through the runs as made findings).
package final class FindingRelay: DiagnosticReceiver, @unchecked Sendable {
    private enum Entry {
        case finding(Diagnostic)
        case deferred(DeferredFindings)
    }
    private let condition = NSCondition()
    private var buffer: [Entry] = []
    private var bufferBytes = 0
    private var closed = false
    package let byteBudget: Int

    package init(byteBudget: Int = 1 << 20) { self.byteBudget = max(1, byteBudget) }

    package func add(_ diagnostic: Diagnostic) {
        put(.finding(diagnostic), size: 64 + diagnostic.path.utf8.count + diagnostic.message.utf8.count)
    }

    /// The recipe, not its findings: the receiver it is drained into decides when they are made.
    package func add(deferred findings: DeferredFindings) {
        put(.deferred(findings), size: 64)
    }

    private func put(_ entry: Entry, size: Int) {
        condition.lock()
        while bufferBytes >= byteBudget && !buffer.isEmpty { condition.wait() }
        buffer.append(entry)
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
        var batch: [Entry] = []
        while true {
            condition.lock()
            while buffer.isEmpty && !closed { condition.wait() }
            swap(&batch, &buffer)
            bufferBytes = 0
            let finished = closed
            condition.broadcast()
            condition.unlock()
            for entry in batch {
                switch entry {
                case let .finding(d): receiver.add(d)
                case let .deferred(findings): receiver.add(deferred: findings)
                }
            }
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
