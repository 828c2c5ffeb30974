import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for online-mode tests.
/// Routes: /ok.jpg 200, /missing.jpg 404, /error.jpg 500, /redirect.jpg 302 -> /ok.jpg,
/// /loop-a <-> /loop-b, /slow.jpg (answers after 6 s), /no-head.jpg (405 to HEAD, 200 to GET),
/// /flaky.jpg (503 once, then 200), /delay-*.jpg (200 after 150 ms), /redirect-file and
/// /redirect-gopher (redirects to schemes online mode refuses), /endless.jpg and
/// /endless-no-range.jpg (405 to HEAD; GET streams a body without end, the first only without a
/// `Range: bytes=0-0`).
/// It stops by itself after `lifetime` seconds or when released; it never connects anywhere.
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let stopped = Locked(false)
    /// "METHOD /path" of every request, in arrival order.
    let log = Locked<[String]>([])
    private let active = Locked((now: 0, max: 0))
    private let flakyServed = Locked(false)
    private let rateLimitServed = Locked(false)

    var base: String { "http://127.0.0.1:\(port)" }
    func url(_ path: String) -> String { base + path }
    func requests(_ path: String) -> Int { log.withLock { $0.filter { $0.hasSuffix(" " + path) }.count } }
    var maxConcurrent: Int { active.withLock { $0.max } }

    init(lifetime: TimeInterval = 60) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listener = fd
        port = UInt16(bigEndian: addr.sin_port)
        let deadline = Date().addingTimeInterval(lifetime)
        Thread.detachNewThread { [self] in acceptLoop(until: deadline) }
    }

    deinit { stop() }

    func stop() {
        let wasStopped = stopped.withLock { s -> Bool in
            defer { s = true }
            return s
        }
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
    }

    private func acceptLoop(until deadline: Date) {
        while !stopped.withLock({ $0 }) && Date() < deadline {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, 100)
            if r <= 0 { continue }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            Thread.detachNewThread { [self] in handle(client) }
        }
        stop()
    }

    /// `send` that returns -1 instead of raising SIGPIPE when the peer has closed.
    private static func sendQuietly(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        #if canImport(Glibc)
        return send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        #else
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        return send(fd, bytes.baseAddress, bytes.count, 0)
        #endif
    }

    private func handle(_ fd: Int32) {
        defer { close(fd) }
        // In flight from accept to the moment the response is written (not to close: the
        // client may already start its next request while this thread is closing).
        active.withLock { $0.now += 1; $0.max = max($0.max, $0.now) }
        var counted = true
        defer { if counted { active.withLock { $0.now -= 1 } } }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsCRLFCRLF {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return }
            request.append(contentsOf: buffer[0..<n])
            if request.count > 65536 { return }
        }
        let firstLine = String(decoding: request.prefix { $0 != 0x0D }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        let method = String(parts[0]), path = String(parts[1])
        log.withLock { $0.append("\(method) \(path)") }
        var status = 200
        var headers: [String] = []
        switch path {
        case "/ok.jpg", "/%E5%9B%BE%E7%89%87/ok.jpg": status = 200
        case "/missing.jpg": status = 404
        case "/error.jpg": status = 500
        case "/redirect.jpg": status = 302; headers.append("Location: /ok.jpg")
        case "/redirect-file": status = 302; headers.append("Location: file:///etc/passwd")
        case "/redirect-gopher": status = 301; headers.append("Location: gopher://127.0.0.1:\(port)/ok.jpg")
        case "/loop-a": status = 302; headers.append("Location: \(base)/loop-b")
        case "/loop-b": status = 301; headers.append("Location: /loop-a")
        case "/slow.jpg":
            for _ in 0..<60 where !stopped.withLock({ $0 }) { usleep(100_000) }
        case "/no-head.jpg": status = method == "HEAD" ? 405 : 200
        case "/endless.jpg", "/endless-no-range.jpg":
            // HEAD refused; GET answers a first-byte range with it, and otherwise streams a body
            // without end (until the server stops).
            let asksFirstByte = String(decoding: request, as: UTF8.self).lowercased().contains("\r\nrange: bytes=0-0\r\n")
            if method == "HEAD" { status = 405; break }
            if path == "/endless.jpg" && asksFirstByte {
                let partial = "HTTP/1.1 206 Partial Content\r\nContent-Type: image/jpeg\r\nContent-Range: bytes 0-0/1000000000\r\nContent-Length: 1\r\nConnection: close\r\n\r\nJ"
                active.withLock { $0.now -= 1 }
                counted = false
                _ = Array(partial.utf8).withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
                return
            }
            active.withLock { $0.now -= 1 }
            counted = false
            let head = Array("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n".utf8)
            guard head.withUnsafeBufferPointer({ Self.sendQuietly(fd, $0) }) > 0 else { return }
            let chunk = [UInt8](repeating: 0x4A, count: 65536)
            for _ in 0..<6000 where !stopped.withLock({ $0 }) {
                // The client hangs up mid-body: `send` without SIGPIPE (which would end the tests).
                guard chunk.withUnsafeBufferPointer({ Self.sendQuietly(fd, $0) }) > 0 else { return }
                usleep(10_000)
            }
            return
        case "/rate-limited.jpg": status = 429
        case "/rate-limited-long.jpg": status = 429; headers.append("Retry-After: 3600")
        case "/rate-limited-once.jpg":
            // 429 with a short Retry-After, then 200: a checker that waits as told gets the image.
            status = rateLimitServed.withLock { s -> Int in defer { s = true }; return s ? 200 : 429 }
            if status == 429 { headers.append("Retry-After: 1") }
        case "/flaky.jpg":
            status = flakyServed.withLock { s -> Int in defer { s = true }; return s ? 200 : 503 }
        default:
            if path.hasPrefix("/delay-") { usleep(150_000) } else { status = 404 }
        }
        let body = status == 200 ? "JPEG" : "status \(status)"
        var response = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Type: image/jpeg\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        for h in headers { response += h + "\r\n" }
        response += "\r\n"
        if method != "HEAD" { response += body }
        let bytes = Array(response.utf8)
        active.withLock { $0.now -= 1 }
        counted = false
        _ = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
    }
}

private extension Array where Element == UInt8 {
    var containsCRLFCRLF: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 0x0D && self[i + 1] == 0x0A && self[i + 2] == 0x0D && self[i + 3] == 0x0A { return true }
        return false
    }
}
