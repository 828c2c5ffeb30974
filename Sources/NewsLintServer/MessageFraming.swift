import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// The base protocol's framing: `Content-Length: N\r\n` (other headers allowed) `\r\n`, then
/// exactly N bytes of JSON. Bytes arrive in arbitrary chunks (a header or a body may be split
/// anywhere, several messages may share one read), so the framer buffers and yields whole
/// bodies; it never trusts a length it has not checked against `maxBodySize`.
package struct MessageFramer {
    package enum Event: Equatable {
        case message([UInt8])
        /// A frame that cannot be read; the server answers with a JSON-RPC error (id null).
        case malformed(String)
    }

    /// Bodies larger than this are skipped unread (their bytes are discarded as they arrive).
    package var maxBodySize: Int
    /// A header block longer than this without its blank line is garbage, not a header.
    package var maxHeaderSize = 8 * 1024

    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes of an oversized body still to discard.
    private var discarding = 0

    package init(maxBodySize: Int = 64 * 1024 * 1024) { self.maxBodySize = maxBodySize }

    private static let separator: [UInt8] = Array("\r\n\r\n".utf8)
    private static let lengthName: [UInt8] = Array("content-length".utf8)

    /// Feeds bytes and returns every complete event they finish.
    package mutating func feed<C: Collection>(_ bytes: C) -> [Event] where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while let event = next() { events.append(event) }
        if start > 0 && (start >= buffer.count || start > 65_536) {
            buffer.removeFirst(start)
            start = 0
        }
        return events
    }

    /// What is left when the input ends: a partial frame is reported, never silently dropped.
    package mutating func finish() -> Event? {
        defer { buffer = []; start = 0; discarding = 0 }
        let pending = buffer.count - start
        if discarding > 0 { return nil }
        guard pending > 0, !buffer[start...].allSatisfy({ $0 == 0x0D || $0 == 0x0A }) else { return nil }
        if let header = headerEnd(), case let .success(length) = Self.contentLength(buffer[start..<header]) {
            let got = pending - (header + Self.separator.count - start)
            return .malformed("truncated message: Content-Length \(length) but the input ended after \(got) byte\(got == 1 ? "" : "s") of body")
        }
        return .malformed("truncated message: the input ended inside a header")
    }

    private func headerEnd() -> Int? {
        let sep = Self.separator
        var i = start
        while i + sep.count <= buffer.count {
            if buffer[i] == 0x0D && buffer[i + 1] == 0x0A && buffer[i + 2] == 0x0D && buffer[i + 3] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    private mutating func next() -> Event? {
        if discarding > 0 {
            let take = min(discarding, buffer.count - start)
            start += take
            discarding -= take
            if discarding > 0 { return nil }
        }
        guard start < buffer.count else { return nil }
        guard let end = headerEnd() else {
            if buffer.count - start > maxHeaderSize {
                // Keep a tail that may hold the start of a real header.
                let dropped = buffer.count - start - 16
                start += dropped
                return .malformed("no message header in \(dropped) bytes (expected 'Content-Length: N' and a blank line)")
            }
            return nil
        }
        let header = buffer[start..<end]
        let bodyStart = end + Self.separator.count
        switch Self.contentLength(header) {
        case let .failure(problem):
            // Garbage before a real header (a misaligned body): skip to the header and retry.
            if let resync = Self.lastLengthHeader(in: header), resync > start {
                start = resync
                return .malformed("bytes before the message header skipped (\(problem.message))")
            }
            start = bodyStart
            return .malformed(problem.message)
        case let .success(length):
            if length > maxBodySize {
                start = bodyStart
                discarding = length
                return .malformed("message of \(length) bytes is larger than the limit of \(maxBodySize); skipped")
            }
            guard buffer.count - bodyStart >= length else { return nil }
            start = bodyStart + length
            return .message(Array(buffer[bodyStart..<bodyStart + length]))
        }
    }

    /// The Content-Length of a header block (names are case-insensitive; other headers ignored).
    package static func contentLength(_ header: ArraySlice<UInt8>) -> Result<Int, HeaderProblem> {
        var length: Int?
        for rawLine in header.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var line = rawLine
            if line.last == 0x0D { line = line.dropLast() }
            guard let colon = line.firstIndex(of: 0x3A) else {
                return .failure(HeaderProblem("malformed header line '\(String(decoding: line.prefix(80), as: UTF8.self))'"))
            }
            let name = line[line.startIndex..<colon].map { $0 | 0x20 }
            guard name == lengthName else { continue }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard let n = Int(value), n >= 0 else { return .failure(HeaderProblem("invalid Content-Length '\(value.prefix(40))'")) }
            length = n
        }
        guard let length else { return .failure(HeaderProblem("message header has no Content-Length")) }
        return .success(length)
    }

    /// Offset of the last line starting with `Content-Length` inside a header block.
    private static func lastLengthHeader(in header: ArraySlice<UInt8>) -> Int? {
        var i = header.endIndex - lengthName.count
        while i >= header.startIndex {
            if zip(header[i..<i + lengthName.count], lengthName).allSatisfy({ $0 | 0x20 == $1 }) { return i }
            i -= 1
        }
        return nil
    }

    package struct HeaderProblem: Error, Equatable {
        package var message: String
        package init(_ message: String) { self.message = message }
    }

    /// Frames a body for writing.
    package static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
