import Foundation
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the directories a walk will enter next on other threads while the walk goes through
/// the current one. Discovery runs alone before any file is read, and reading and sorting each
/// directory's names was half of it (a corpus of ten 7,188-file directories: 120 of 219 M
/// instructions), with the second core idle. Most of a listing is the kernel's (an ext4 directory
/// of 7,188 names is read in hash order, each name hashed): with one worker the walk waited for
/// it most of the time, so `workers` directories are listed side by side.
///
/// Requests are a stack in the order the depth-first walk will enter them (a directory's
/// subdirectories go on top of its later siblings), so when the walk takes one, the requests above
/// it are directories it skipped (excluded, ignored, a loop) and are dropped. At most `ahead`
/// listings are being made or wait unconsumed, so memory stays bounded. A listing has no side
/// effect: one not yet started when the walk reaches it is listed by the walk itself, and one
/// nobody takes is dropped.
final class ListingPrefetch: @unchecked Sendable {
    private final class Request {
        let path: String
        var state = State.waiting
        /// Taken by the walk or dropped from the queue: a listing finished after that is not counted.
        var dequeued = false
        var listing: DirectoryReader.Listing?
        /// `errno` after a failed listing (the walk's message names it).
        var error: Int32 = 0
        init(path: String) { self.path = path }
    }
    private enum State { case waiting, listing, done }

    private let condition = NSCondition()
    /// The next one the walk will take last (a stack: a directory of 100,000 subdirectories is
    /// taken from the end, not shifted down at each take).
    private var requests: [Request] = []
    /// How far down the stack `take` looks: a directory the walk reaches another way (a symlink)
    /// is listed in place without a search of every request.
    private static let searchDepth = 64
    /// Requests listed and not yet taken or dropped, and requests being listed: together at most `ahead`.
    private var doneCount = 0
    private var listingCount = 0
    private var workersRunning = 0
    private var stopped = false
    private let ahead: Int
    private let workers: Int

    /// `ahead` is at least `workers`: each worker's listing counts until it is taken.
    init(ahead: Int = 3, workers: Int = 2) {
        self.workers = max(1, workers)
        self.ahead = max(self.workers, ahead)
    }

    /// Queues `paths` (absolute, in walk order) to be entered right after the directory being
    /// walked, before the requests already queued (its later siblings and theirs).
    func request(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        requests.append(contentsOf: paths.reversed().map(Request.init))
        // Up to `workers`, no more than the requests (a worker finding none waiting ends).
        while workersRunning < min(workers, requests.count) {
            workersRunning += 1
            DispatchQueue.global().async { self.work() }
        }
        condition.broadcast()
    }

    /// The listing of `path` (absolute): prefetched when it was requested, listed here otherwise;
    /// nil with `errno` set when the directory cannot be read (as `DirectoryReader.listing`, which
    /// the walk calls instead when it lists ahead nothing).
    func take(_ path: String) -> DirectoryReader.Listing? {
        condition.lock()
        let bottom = max(0, requests.count - Self.searchDepth)
        guard let k = requests[bottom...].lastIndex(where: { $0.path.hasSameBytes(as: path) }) else {
            condition.unlock()
            return DirectoryReader.listing(path)
        }
        let request = requests[k]
        // The walk enters directories in request order: those above this one were skipped.
        for dequeued in requests[k...] {
            dequeued.dequeued = true
            if dequeued.state == .done { doneCount -= 1 }
        }
        requests.removeSubrange(k...)
        condition.broadcast()
        if request.state == .waiting {
            condition.unlock()
            return DirectoryReader.listing(path)
        }
        while request.state == .listing { condition.wait() }
        condition.unlock()
        if request.listing == nil { errno = request.error }
        return request.listing
    }

    /// The paths still queued, next to be taken first (tests).
    package var queuedPaths: [String] {
        condition.lock()
        defer { condition.unlock() }
        return requests.reversed().map(\.path)
    }

    /// Returns once the workers have nothing left to list (tests: a listing then comes from one).
    package func waitForWorker() {
        condition.lock()
        while workersRunning > 0 { condition.wait() }
        condition.unlock()
    }

    /// Drops every request and lets the workers go (the walk is over).
    func stop() {
        condition.lock()
        stopped = true
        for request in requests { request.dequeued = true }
        requests.removeAll()
        doneCount = 0
        condition.broadcast()
        while workersRunning > 0 { condition.wait() }
        condition.unlock()
    }

    /// Lists waiting requests in order while fewer than `ahead` are being listed or wait
    /// unconsumed; returns when none is waiting (the next `request` starts it again).
    private func work() {
        condition.lock()
        while !stopped {
            guard let next = requests.last(where: { $0.state == .waiting }) else { break }
            if doneCount + listingCount >= ahead {
                condition.wait()
                continue
            }
            next.state = .listing
            listingCount += 1
            condition.unlock()
            let listing = DirectoryReader.listing(next.path)
            let error = listing == nil ? errno : 0
            condition.lock()
            next.listing = listing
            next.error = error
            next.state = .done
            listingCount -= 1
            if !next.dequeued { doneCount += 1 }
            condition.broadcast()
        }
        workersRunning -= 1
        condition.broadcast()
        condition.unlock()
    }
}
