import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Reduce phases on two threads: the receiver sees exactly the sequence one thread would give
/// (phase order, then report order), whatever the relay's bound and however the phases interleave.
@Suite struct OrderedReduceTests {
    /// Receives on one thread at a time (the forwarder): a plain array.
    final class Collected: DiagnosticReceiver, @unchecked Sendable {
        var all: [Diagnostic] = []
        func add(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    }

    static func finding(phase: Int, _ n: Int) -> Diagnostic {
        Diagnostic(rule: "rule-\(phase)", severity: .warning, path: "dir/\(n % 13)-文件.md", line: 1 + n % 7, column: 1,
                   message: "finding \(n) of phase \(phase)")
    }

    /// Phases of very different sizes and speeds; some report nothing, some return leftovers.
    static func phase(_ i: Int, _ receiver: any DiagnosticReceiver) -> [Diagnostic] {
        let sizes = [0, 3, 2_000, 1, 0, 500, 7]
        let n = sizes[i % sizes.count]
        for k in 0..<n {
            if i % 2 == 0 && k % 97 == 0 { usleep(50) }
            receiver.add(finding(phase: i, k))
        }
        return i % 3 == 0 ? [finding(phase: i, -1)] : []
    }

    @Test(arguments: [1, 2, 3, 7, 20])
    func concurrentEqualsSequential(phases: Int) {
        let sequential = Collected()
        let sequentialRest = OrderedReduce.run(count: phases, concurrently: false, into: sequential, phase: Self.phase)
        for _ in 0..<5 {
            let concurrent = Collected()
            let concurrentRest = OrderedReduce.run(count: phases, concurrently: true, into: concurrent, phase: Self.phase)
            #expect(concurrent.all == sequential.all)
            #expect(concurrentRest == sequentialRest)
        }
    }

    @Test(arguments: [1, 100, 1 << 20])
    func relayKeepsOrderWithinItsBound(byteBudget: Int) {
        let relay = FindingRelay(byteBudget: byteBudget)
        let expected = (0..<3_000).map { Self.finding(phase: 0, $0) }
        let received = Collected()
        DispatchQueue.concurrentPerform(iterations: 2) { role in
            if role == 0 {
                for d in expected { relay.add(d) }
                relay.close()
            } else {
                relay.drain(into: received)
            }
        }
        #expect(received.all == expected)
    }

    /// Deferred findings pass through the relay as their recipe, in their place among the others
    /// (none is made on the producer's side).
    @Test func relayForwardsDeferredFindingsAsTheyAre() {
        final class Recorded: DiagnosticReceiver, @unchecked Sendable {
            var sequence: [String] = []
            func add(_ diagnostic: Diagnostic) { sequence.append(diagnostic.message) }
            func add(deferred findings: DeferredFindings) { sequence.append("deferred \(findings.count)") }
        }
        let passes = Locked(0)
        let deferred = DeferredFindings(count: 3, inOutputOrder: true) {
            passes.withLock { $0 += 1 }
            return { [] }
        }
        let relay = FindingRelay(byteBudget: 100)
        let received = Recorded()
        DispatchQueue.concurrentPerform(iterations: 2) { role in
            if role == 0 {
                relay.add(Self.finding(phase: 0, 1))
                relay.add(deferred: deferred)
                relay.add(Self.finding(phase: 0, 2))
                relay.close()
            } else {
                relay.drain(into: received)
            }
        }
        #expect(received.sequence == ["finding 1 of phase 0", "deferred 3", "finding 2 of phase 0"])
        #expect(passes.withLock { $0 } == 0)
    }

    @Test func claimsGiveEachPhaseToOneSide() {
        let claims = PhaseClaims(count: 5)
        #expect(claims.takeFromBack() == 4)
        #expect(claims.takeFromFront(0))
        #expect(claims.takeFromBack() == 3)
        #expect(claims.takeFromFront(1))
        #expect(claims.takeFromFront(2))
        #expect(claims.takeFromBack() == nil)
        #expect(!claims.takeFromFront(3))
        #expect(!claims.takeFromFront(4))
    }

    /// Large phases (facts that went to a temporary file) go only to the forwarder, so two never
    /// run at once; small ones still go to the helper; the findings are those of one thread.
    @Test(arguments: [[true, true, false, true, false, true, false], [false, true, true, true], [true, true, true]])
    func largePhasesRunOneAtATime(large: [Bool]) {
        let sequential = Collected()
        let sequentialRest = OrderedReduce.run(count: large.count, concurrently: false, into: sequential, phase: Self.phase)
        for _ in 0..<5 {
            let running = Locked((large: 0, most: 0, helperRanLarge: false))
            let concurrent = Collected()
            let rest = OrderedReduce.run(count: large.count, concurrently: true, large: large, into: concurrent) { i, receiver in
                if large[i] {
                    running.withLock {
                        $0.large += 1
                        $0.most = max($0.most, $0.large)
                        // The helper reports into a relay, the forwarder into the receiver itself.
                        if receiver as AnyObject !== concurrent { $0.helperRanLarge = true }
                    }
                }
                usleep(200)
                let out = Self.phase(i, receiver)
                if large[i] { running.withLock { $0.large -= 1 } }
                return out
            }
            #expect(concurrent.all == sequential.all)
            #expect(rest == sequentialRest)
            let seen = running.withLock { $0 }
            #expect(seen.most == 1)
            #expect(!seen.helperRanLarge)
        }
    }

    @Test func helperSkipsPhasesItMayNotTake() {
        let claims = PhaseClaims(helperMayTake: [true, true, false, true, false])
        #expect(claims.takeFromBack() == 3)
        #expect(claims.takeFromFront(0))
        #expect(claims.takeFromBack() == 1)
        #expect(claims.takeFromBack() == nil)
        #expect(!claims.takeFromFront(1))
        #expect(claims.takeFromFront(2))
        #expect(!claims.takeFromFront(3))
        #expect(claims.takeFromFront(4))
    }
}
