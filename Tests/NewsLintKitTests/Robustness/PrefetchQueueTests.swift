import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// `PrefetchQueue` wakes a producer that found it full only once it has drained to half, and a
/// consumer only when it waits: every batch must still arrive, once and in order, whatever the
/// depth and whichever side is the faster, and a consumer that goes must release a waiting producer.
@Suite struct PrefetchQueueTests {
    @Test(arguments: [1, 2, 3, 4, 8])
    func everyBatchArrivesInOrder(depth: Int) {
        for round in 0..<6 {
            let queue = PrefetchQueue<Int>(depth: depth)
            let count = 2_000
            // Rounds alternate which side is slower (a few microseconds a batch).
            let slowProducer = round % 2 == 0
            let producer = Thread {
                var random = SeededRandom(seed: UInt64(round + 1))
                for k in 0..<count {
                    if slowProducer && random.chance(0.3) { usleep(5) }
                    guard queue.push(k) else { return }
                }
                queue.close(complete: true)
            }
            producer.start()
            var random = SeededRandom(seed: UInt64(100 + round))
            var received: [Int] = []
            while let k = queue.pop() {
                received.append(k)
                if !slowProducer && random.chance(0.3) { usleep(5) }
            }
            #expect(received == Array(0..<count), "depth \(depth), round \(round)")
            #expect(queue.complete)
        }
    }

    @Test func aConsumerThatGoesReleasesAWaitingProducer() {
        let queue = PrefetchQueue<Int>(depth: 4)
        let refused = Locked(false)
        let done = DispatchSemaphore(value: 0)
        Thread {
            var k = 0
            while queue.push(k) { k += 1 }
            refused.withLock { $0 = true }
            done.signal()
        }.start()
        // Two taken: the producer, waiting on a full queue, is not woken until half is drained.
        #expect(queue.pop() == 0)
        #expect(queue.pop() == 1)
        queue.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success, "the producer was released")
        #expect(refused.withLock { $0 })
    }

    @Test func aProducerThatStopsShortClosesIncomplete() {
        let queue = PrefetchQueue<Int>(depth: 2)
        Thread {
            for k in 0..<5 { _ = queue.push(k) }
            queue.close(complete: false)
        }.start()
        var received: [Int] = []
        while let k = queue.pop() { received.append(k) }
        #expect(received == [0, 1, 2, 3, 4])
        #expect(!queue.complete)
    }
}
