import Foundation
import NewsLintCore

/// Classifies an image source: remote URL, local path, or broken (and why).
/// Pure syntax: existence and reachability are checked by the caller through the environment.
public enum ImageSource {
    public enum Verdict: Equatable, Sendable {
        /// A remote URL with a well-formed host; its text (for online checks) is `remoteURL(_:)`.
        case remote
        /// An inline `data:` image.
        case data
        /// A local path (percent-decoded, query and fragment dropped); `rooted` when it starts with `/`.
        case local(path: String, rooted: Bool)
        /// A fragment-only or otherwise unverifiable but valid source.
        case skip
        case broken(String)
    }

    /// The source text as the browser would see it: Markdown backslash escapes removed,
    /// or (for HTML) surrounding whitespace trimmed and character references decoded (numeric ones,
    /// `&#46;` and `&#x2E;`, and the named `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`: a CMS writes
    /// `&#038;` in a query string, a scraper `&#46;&#46;/` for `../`).
    public static func text(_ bytes: ArraySlice<UInt8>, html: Bool) -> [UInt8] {
        var out: [UInt8] = []
        text(bytes, html: html, into: &out)
        return out
    }

    /// `text(bytes, html:)` written into `out` (emptied first, its storage kept): a rule reading a
    /// file's images one after another fills one buffer, not an array an image.
    public static func text(_ bytes: ArraySlice<UInt8>, html: Bool, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(bytes.count)
        if html {
            // Each `&` found by `memchr`, the bytes before it copied as one run: the loop testing
            // every byte for `&` was five instructions a byte, ~2.6 M at agora x1 (sources of ~110 bytes).
            bytes.withUnsafeBufferPointer { b in
                var start = 0, end = b.count
                while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
                while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
                var i = start
                while i < end {
                    let amp = ByteWords.firstIndex(of: 0x26, in: b, from: i, to: end) ?? end
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<amp]))
                    i = amp
                    guard i < end else { break }
                    i += decodeReference(b, at: i, end: end, into: &out)
                }
            }
            return
        }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x5C, i + 1 < bytes.endIndex, isASCIIPunctuation(bytes[i + 1]) {
                out.append(bytes[i + 1])
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
    }

    /// The named references decoded in a source, without `&` and `;`.
    private static let namedReferences: [(name: [UInt8], byte: UInt8)] = [
        (Array("amp".utf8), 0x26), (Array("lt".utf8), 0x3C), (Array("gt".utf8), 0x3E), (Array("quot".utf8), 0x22), (Array("apos".utf8), 0x27),
    ]

    /// Appends what the character reference at `b[i]` (an `&`) stands for and returns its length; an
    /// `&` that starts no reference (or one without its `;`) is appended as itself (length 1). A
    /// numeric reference to no character (zero, a surrogate, past U+10FFFF) is U+FFFD, as in HTML.
    private static func decodeReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, into out: inout [UInt8]) -> Int {
        if i + 1 < end, b[i + 1] == 0x23 { // &#…;
            // Read as the HTML tokenizer reads one, but only with its `;` (the named ones here need theirs too).
            guard let reference = HTMLView.numericReference(b, at: i, end: end), reference.terminated else { out.append(0x26); return 1 }
            let scalar = reference.value.flatMap { Unicode.Scalar($0) } ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(scalar)).utf8)
            return reference.end - i
        }
        let j = i + 1
        for (name, byte) in namedReferences where end - j > name.count && b[j + name.count] == 0x3B
            && name.indices.allSatisfy({ b[j + $0] == name[$0] }) {
            out.append(byte)
            return name.count + 2
        }
        out.append(0x26)
        return 1
    }

    package static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (0x21...0x2F).contains(b) || (0x3A...0x40).contains(b) || (0x5B...0x60).contains(b) || (0x7B...0x7E).contains(b)
    }

    /// The remote sources' schemes a project accepts, lowercase, tested on a source's bytes: a
    /// `String` lowercased and hashed per image cost more than the rest of the classification.
    public struct Schemes: Sendable {
        private let names: [[UInt8]]
        public init(_ lowercased: some Sequence<String>) { names = Set(lowercased).map { Array($0.utf8) } }
        public func contains(_ name: String) -> Bool { names.contains(Array(name.utf8)) }
        /// Whether `scheme` (ASCII letters, digits, `+-.`) is one of them, ignoring ASCII case.
        func contains(asciiCaseInsensitive scheme: ArraySlice<UInt8>) -> Bool {
            names.contains { $0.count == scheme.count && zip($0, scheme).allSatisfy { $0 == $1 | (isAlpha($1) ? 0x20 : 0) } }
        }
    }

    /// The URL a `.remote` source names: the source, with `https:` before a protocol-relative `//host`.
    public static func remoteURL(_ src: [UInt8]) -> String {
        (src.starts(with: protocolRelative) ? "https:" : "") + String(decoding: src, as: UTF8.self)
    }

    private static let protocolRelative: [UInt8] = [0x2F, 0x2F]

    /// Classifies `src` (already unescaped) against the accepted remote `schemes`.
    /// `spacesAllowed`: the source was `<…>`-wrapped or an HTML attribute, where spaces are legal.
    public static func classify(_ src: [UInt8], schemes: Schemes, spacesAllowed: Bool = false) -> Verdict {
        if src.isEmpty { return .broken("empty image source") }
        if containsControl(src) { return .broken("control character in image source") }
        switch SiteTemplate.resolve(src) {
        case .none: break
        case .opaque: return .skip
        case let .unexpanded(tag):
            return .broken("'\(tag)' is a Hugo template action, which Hugo does not expand in content (only shortcodes are): the page gets it as written")
        // What the site generator writes there: a site-root path, classified like one written out
        // (spaces allowed: the generator, not a Markdown parser, produced them).
        case let .siteRooted(path): return classify(path, schemes: schemes, spacesAllowed: true)
        }
        if src.first == 0x23 { return .skip } // #fragment
        // Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        var i = 0
        if isAlpha(src[0]) {
            i = 1
            while i < src.count, isAlpha(src[i]) || (0x30...0x39).contains(src[i]) || src[i] == 0x2B || src[i] == 0x2D || src[i] == 0x2E { i += 1 }
            if i < src.count, src[i] == 0x3A {
                // Strings only for a message: nearly every source is accepted.
                func scheme() -> String { String(decoding: src[0..<i], as: UTF8.self).lowercased() }
                if i == 1 { return .broken("'\(String(decoding: src, as: UTF8.self))' looks like a Windows path, not a URL") }
                guard schemes.contains(asciiCaseInsensitive: src[0..<i]) else { return .broken("unsupported URL scheme '\(scheme())'") }
                if i == 4, src[0..<4].elementsEqual(dataScheme, by: { $0 | 0x20 == $1 }) {
                    return src.contains(0x2C) ? .data : .broken("malformed data: URI (no ',')")
                }
                return checkHierarchical(src, after: i + 1, scheme: scheme, shownAs: { String(decoding: src, as: UTF8.self) }, spacesAllowed: spacesAllowed)
            }
        }
        if src.starts(with: protocolRelative) { // //host/path
            guard schemes.contains("https") || schemes.contains("http") else { return .broken("protocol-relative URL but http(s) is not accepted") }
            return checkHierarchical(src, after: 0, scheme: { "https" }, shownAs: { remoteURL(src) }, spacesAllowed: spacesAllowed)
        }
        if !spacesAllowed && containsSpaceOrTab(src) { return .broken("whitespace in image source") }
        // Local path: drop query and fragment, then percent-decode.
        var end = src.count
        if let q = src.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) { end = q }
        let raw = src[0..<end]
        if raw.isEmpty { return .skip }
        let decoded = percentDecode(raw)
        return .local(path: String(decoding: decoded, as: UTF8.self), rooted: raw.first == 0x2F)
    }

    private static let dataScheme = Array("data".utf8)

    /// Whether `src` holds a byte below 0x20 or DEL (`contains(where:)` of them), eight bytes a
    /// word: every source is asked, and a URL is a hundred bytes or more (the closure per byte was
    /// a third of classifying one). A word holds a byte below 0x20 exactly when
    /// `(w - 0x20…) & ~w & 0x80…` is not zero (a borrow only passes above a byte that is below).
    package static func containsControl(_ src: [UInt8]) -> Bool {
        anyWord(src, { ($0 &- 0x2020_2020_2020_2020) & ~$0 & ByteWords.highs != 0 || ByteWords.has(0x7F, in: $0) }) { $0 < 0x20 || $0 == 0x7F }
    }

    /// Whether `src` holds a space or a tab (`contains(0x20) || contains(0x09)`), eight bytes a word.
    package static func containsSpaceOrTab(_ src: [UInt8]) -> Bool {
        anyWord(src, { ByteWords.has(0x20, in: $0) || ByteWords.has(0x09, in: $0) }) { $0 == 0x20 || $0 == 0x09 }
    }

    /// Whether some eight-byte word of `src` passes `word`, or one of the bytes after the last whole word passes `byte`.
    @inline(__always)
    private static func anyWord(_ src: [UInt8], _ word: (UInt64) -> Bool, byte: (UInt8) -> Bool) -> Bool {
        src.withUnsafeBytes { raw -> Bool in
            var i = 0
            while i &+ 8 <= raw.count {
                if word(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
                i &+= 8
            }
            while i < raw.count {
                if byte(raw[i]) { return true }
                i &+= 1
            }
            return false
        }
    }

    package static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// `scheme://authority/path…` (the `//` at `colon`) with a non-empty, well-formed host.
    /// Non-ASCII is allowed (IRI). `shownAs`: the URL as a message quotes it.
    package static func checkHierarchical(_ src: [UInt8], after colon: Int, scheme: () -> String, shownAs: () -> String, spacesAllowed: Bool) -> Verdict {
        guard colon + 1 < src.count, src[colon] == 0x2F, src[colon + 1] == 0x2F else {
            return .broken("malformed URL '\(shownAs())': expected '\(scheme())://host'")
        }
        if !spacesAllowed && containsSpaceOrTab(src) { return .broken("whitespace in image URL") }
        var i = colon + 2
        let authStart = i
        while i < src.count, src[i] != 0x2F, src[i] != 0x3F, src[i] != 0x23 { i += 1 }
        var auth = src[authStart..<i]
        if let at = auth.lastIndex(of: 0x40) { auth = auth[(at + 1)...] } // userinfo@
        var host = auth
        if auth.first == 0x5B { // [IPv6]
            guard let close = auth.firstIndex(of: 0x5D) else { return .broken("malformed URL '\(shownAs())': unclosed '[' in host") }
            let rest = auth[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == 0x3A, isPort(rest.dropFirst()) else { return .broken("malformed URL '\(shownAs())': bad port") }
            }
            return .remote
        }
        if let colonIdx = auth.lastIndex(of: 0x3A) {
            host = auth[auth.startIndex..<colonIdx]
            guard isPort(auth[(colonIdx + 1)...]) else { return .broken("malformed URL '\(shownAs())': bad port") }
        }
        if host.isEmpty { return .broken("malformed URL '\(shownAs())': empty host") }
        // Forbidden host code points (WHATWG URL): space, # % / : < > ? @ [ \ ] ^ |
        for b in host where b < 0x80 {
            if b <= 0x20 || b == 0x25 || b == 0x3C || b == 0x3E || b == 0x5B || b == 0x5C || b == 0x5D || b == 0x5E || b == 0x7C || b == 0x22 {
                return .broken("malformed URL '\(shownAs())': invalid character '\(String(UnicodeScalar(b)))' in host")
            }
        }
        return .remote
    }

    package static func isPort(_ s: ArraySlice<UInt8>) -> Bool {
        if s.isEmpty { return true }
        guard s.count <= 5, s.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        return (Int(String(decoding: s, as: UTF8.self)) ?? 70000) <= 65535
    }

    /// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept literally.
    public static func percentDecode(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x25, i + 2 < s.endIndex, let h = hex(s[i + 1]), let l = hex(s[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    package static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
