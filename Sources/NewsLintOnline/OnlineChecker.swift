import Dispatch
import Foundation
import NewsLintCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Checks remote image URLs with URLSession: HEAD, falling back to GET when HEAD is
/// refused; redirect loops reported as such; retries on timeouts,
/// connection failures and 5xx; at most `concurrency` requests in flight and `perHost` per
/// host; every URL checked once per run (memoised) and optionally cached on disk.
public final class OnlineChecker: URLChecker, @unchecked Sendable {
    public let settings: ImageSettings
    private let memo = Locked<[String: URLCheckResult]>([:])
    /// Requests actually sent (for tests and the summary): one per attempt.
    public let requestCount = Locked(0)

    public init(settings: ImageSettings) {
        self.settings = settings
    }

    public func check(_ urls: [String]) -> [String: URLCheckResult] {
        let unique = Array(Set(urls)).sorted()
        var results: [String: URLCheckResult] = [:]
        var todo: [String] = []
        memo.withLock { m in
            for u in unique {
                if let r = m[u] { results[u] = r } else { todo.append(u) }
            }
        }
        var cache = DiskCache.load(settings.cacheFile)
        let now = Date().timeIntervalSince1970
        if cache != nil {
            todo = todo.filter { u in
                if let e = cache?.entries[u], now - e.time <= settings.cacheMaxAge, now >= e.time - 60 {
                    results[u] = URLCheckResult(ok: e.ok, detail: e.detail)
                    return false
                }
                return true
            }
        }
        let fresh = run(todo)
        for (u, r) in fresh {
            results[u] = r.result
            if r.definitive { cache?.entries[u] = DiskCache.Entry(ok: r.result.ok, detail: r.result.detail, time: now) }
        }
        if let cache, !fresh.isEmpty, let file = settings.cacheFile { cache.save(file, maxAge: settings.cacheMaxAge, now: now) }
        memo.withLock { m in for (u, r) in results { m[u] = r } }
        return results
    }

    package struct Outcome: Sendable {
        package var result: URLCheckResult
        /// Worth caching: a success or a client error, not a timeout or a server hiccup.
        package var definitive: Bool
    }

    /// Runs all checks under the concurrency limits and waits for them.
    private func run(_ urls: [String]) -> [String: Outcome] {
        guard !urls.isEmpty else { return [:] }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = settings.timeout
        // The request timeout is an idle timeout: a body that keeps coming would never end it.
        config.timeoutIntervalForResource = settings.timeout * 2
        config.httpMaximumConnectionsPerHost = settings.perHost
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        // Redirects come back unfollowed (the delegate refuses them) and are followed here,
        // each hop checked against the host policy first.
        let session = URLSession(configuration: config, delegate: NoRedirectDelegate(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let scheduler = Scheduler(urls: urls, concurrency: settings.concurrency, perHost: settings.perHost) { url, done in
            self.checkOne(url, session: session, done: done)
        }
        return scheduler.runAndWait()
    }

    private func checkOne(_ raw: String, session: URLSession, done: @escaping @Sendable (Outcome) -> Void) {
        guard let url = Self.requestURL(raw) else {
            done(Outcome(result: URLCheckResult(ok: false, detail: "not a valid URL"), definitive: true))
            return
        }
        if url.host.map({ !$0.allSatisfy(\.isASCII) }) ?? true {
            // A host `requestURL` could not give an IDNA form (`IDNA.asciiHost`): not checked.
            done(Outcome(result: URLCheckResult(ok: true, detail: "not checked (non-ASCII host)"), definitive: false))
            return
        }
        attempt(url, session: session, method: "HEAD", visited: [url.absoluteString], retriesLeft: settings.retries, done: done)
    }

    /// `waitedForRateLimit`: a 429's `Retry-After` was already honoured once for this URL.
    private func attempt(_ url: URL, session: URLSession, method: String, visited: Set<String>, retriesLeft: Int, waitedForRateLimit: Bool = false,
                         done: @escaping @Sendable (Outcome) -> Void) {
        if let refusal = HostPolicy.refusal(url, allowPrivate: settings.allowPrivateHosts) {
            // Not cached on disk: the answer depends on this run's settings, not on the URL.
            done(Outcome(result: URLCheckResult(ok: false, detail: refusal), definitive: false))
            return
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: settings.timeout)
        request.httpMethod = method
        request.setValue(settings.userAgent, forHTTPHeaderField: "User-Agent")
        // Only the status is wanted: a GET (after a refused HEAD) asks for the first byte, not
        // the whole image, which the data task would hold in memory (a server streaming without
        // end took gigabytes). A server ignoring the range is cut off by the resource timeout.
        if method == "GET" { request.setValue("bytes=0-0", forHTTPHeaderField: "Range") }
        requestCount.withLock { $0 += 1 }
        let task = session.dataTask(with: request) { _, response, error in
            func retryOr(_ outcome: Outcome) {
                if retriesLeft > 0 {
                    let delay = 0.05 * Double(self.settings.retries - retriesLeft + 1)
                    DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                        self.attempt(url, session: session, method: method, visited: visited, retriesLeft: retriesLeft - 1,
                                     waitedForRateLimit: waitedForRateLimit, done: done)
                    }
                } else {
                    done(outcome)
                }
            }
            if let error {
                let code = (error as? URLError)?.code
                switch code {
                case .httpTooManyRedirects?:
                    done(Outcome(result: URLCheckResult(ok: false, detail: "redirect loop"), definitive: true))
                default:
                    // One message for every transport failure (refused, reset, timed out, no such
                    // host): distinct ones would tell a corpus author which ports are open.
                    retryOr(Outcome(result: URLCheckResult(ok: false, detail: Self.noAnswer), definitive: false))
                }
                return
            }
            guard let http = response as? HTTPURLResponse else {
                done(Outcome(result: URLCheckResult(ok: false, detail: "no HTTP response"), definitive: false))
                return
            }
            let status = http.statusCode
            if (300..<400).contains(status), status != 304 {
                guard let location = http.value(forHTTPHeaderField: "Location"), let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                    done(Outcome(result: URLCheckResult(ok: false, detail: "HTTP \(status) without a usable Location"), definitive: true))
                    return
                }
                if visited.contains(next.absoluteString) {
                    done(Outcome(result: URLCheckResult(ok: false, detail: "redirect loop"), definitive: true))
                } else if visited.count > Self.maxManualRedirects {
                    done(Outcome(result: URLCheckResult(ok: false, detail: "more than \(Self.maxManualRedirects) redirects"), definitive: true))
                } else {
                    self.attempt(next, session: session, method: method, visited: visited.union([next.absoluteString]), retriesLeft: retriesLeft,
                                 waitedForRateLimit: waitedForRateLimit, done: done)
                }
                return
            }
            if method == "HEAD", [400, 403, 405, 501].contains(status) {
                // Many image hosts refuse HEAD; ask again with GET before calling it broken.
                self.attempt(url, session: session, method: "GET", visited: visited, retriesLeft: retriesLeft,
                             waitedForRateLimit: waitedForRateLimit, done: done)
                return
            }
            if (200..<300).contains(status) {
                done(Outcome(result: URLCheckResult(ok: true, detail: "HTTP \(status)"), definitive: true))
            } else if status == 429 {
                // Rate limited says nothing about the image. Its `Retry-After` is honoured once when
                // it is within the request timeout (a longer one would hold the run up); otherwise,
                // or when asked again, the URL is not checked rather than broken (and not cached).
                if !waitedForRateLimit, let wait = Self.retryAfter(http.value(forHTTPHeaderField: "Retry-After")), wait <= self.settings.timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + wait) {
                        self.attempt(url, session: session, method: method, visited: visited, retriesLeft: retriesLeft, waitedForRateLimit: true, done: done)
                    }
                } else {
                    done(Outcome(result: URLCheckResult(ok: true, detail: "not checked (rate limited: HTTP 429)"), definitive: false))
                }
            } else if status >= 500 {
                retryOr(Outcome(result: URLCheckResult(ok: false, detail: "HTTP \(status)"), definitive: false))
            } else {
                done(Outcome(result: URLCheckResult(ok: false, detail: "HTTP \(status)"), definitive: true))
            }
        }
        task.resume()
    }

    /// Seconds to wait from a `Retry-After` value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3);
    /// nil when absent or unreadable.
    package static func retryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Double(text) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// The detail of every request that got no HTTP answer.
    package static let noAnswer = "no HTTP answer"

    /// Limit for redirects URLSession hands back unfollowed (it follows ordinary ones itself).
    package static let maxManualRedirects = 10

    package static func seconds(_ t: Double) -> String { t.rounded() == t ? "\(Int(t))s" : "\(t)s" }

    /// An IRI made into a URI: non-ASCII bytes and characters URLs forbid are percent-encoded.
    package static func requestURL(_ iri: String) -> URL? {
        // A host beyond ASCII is looked up by its IDNA form (`xn--…`); percent-encoded, it was no host DNS knows.
        let iri = IDNA.asciiHostURL(iri)
        var out = ""
        out.reserveCapacity(iri.utf8.count)
        let hexDigits = Array("0123456789ABCDEF".utf8)
        for b in iri.utf8 {
            if b >= 0x80 || b <= 0x20 || b == 0x22 || b == 0x3C || b == 0x3E || b == 0x5C || b == 0x5E || b == 0x60 || b == 0x7B || b == 0x7C || b == 0x7D {
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(UnicodeScalar(hexDigits[Int(b >> 4)]))
                out.unicodeScalars.append(UnicodeScalar(hexDigits[Int(b & 0xF)]))
            } else {
                out.unicodeScalars.append(UnicodeScalar(b))
            }
        }
        guard let url = URL(string: out), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else { return nil }
        return url
    }
}

/// Starts checks while respecting the global and per-host limits, and waits for all of them.
package final class Scheduler: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String]
    private var inFlight = 0
    private var perHostCount: [String: Int] = [:]
    private var results: [String: OnlineChecker.Outcome] = [:]
    private let concurrency: Int
    private let perHost: Int
    private let finished = DispatchSemaphore(value: 0)
    private let launch: @Sendable (String, @escaping @Sendable (OnlineChecker.Outcome) -> Void) -> Void

    package init(urls: [String], concurrency: Int, perHost: Int,
         launch: @escaping @Sendable (String, @escaping @Sendable (OnlineChecker.Outcome) -> Void) -> Void) {
        pending = urls
        self.concurrency = concurrency
        self.perHost = perHost
        self.launch = launch
    }

    package static func host(_ url: String) -> String {
        guard let r = url.range(of: "://") else { return "" }
        let rest = url[r.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }).lowercased()
    }

    package func runAndWait() -> [String: OnlineChecker.Outcome] {
        let total = pending.count
        pump()
        if total > 0 { finished.wait() }
        return lock.withLock { results }
    }

    private func pump() {
        var toStart: [String] = []
        lock.withLock {
            var i = 0
            while inFlight < concurrency && i < pending.count {
                let h = Self.host(pending[i])
                if perHostCount[h, default: 0] < perHost {
                    toStart.append(pending.remove(at: i))
                    inFlight += 1
                    perHostCount[h, default: 0] += 1
                } else {
                    i += 1
                }
            }
        }
        for url in toStart {
            launch(url) { outcome in self.complete(url, outcome) }
        }
    }

    private func complete(_ url: String, _ outcome: OnlineChecker.Outcome) {
        let allDone: Bool = lock.withLock {
            results[url] = outcome
            inFlight -= 1
            perHostCount[Self.host(url), default: 1] -= 1
            return pending.isEmpty && inFlight == 0
        }
        if allDone { finished.signal() } else { pump() }
    }
}

/// The on-disk result cache: `{"version":1,"entries":{url:{ok,detail,time}}}`.
package struct DiskCache: Codable {
    package struct Entry: Codable {
        package var ok: Bool
        package var detail: String
        package var time: Double
    }
    package var version = 1
    package var entries: [String: Entry] = [:]

    /// The cache at `file` (empty when there is no file yet, or an empty one), or nil when caching
    /// is off: also when the file holds something else, which is never written over (a mistyped
    /// `--image-cache post.md` replaced the article with an empty cache).
    package static func load(_ file: String?) -> DiskCache? {
        guard let file else { return nil }
        guard FileManager.default.fileExists(atPath: file) else { return DiskCache() }
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        if data.isEmpty { return DiskCache() }
        guard let cache = try? JSONDecoder().decode(DiskCache.self, from: data), cache.version == 1 else { return nil }
        return cache
    }

    /// Writes atomically, dropping expired entries. A failed write only loses the cache.
    package func save(_ file: String, maxAge: Double, now: Double) {
        var copy = self
        copy.entries = entries.filter { now - $0.value.time <= maxAge }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(copy) else { return }
        let url = URL(fileURLWithPath: file)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }
}
