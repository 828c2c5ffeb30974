import NewsLintCore

/// `email-obfuscated`: what Cloudflare's e-mail address obfuscation leaves in scraped text —
/// `[email protected]` (and its `&#160;`/`&nbsp;`, Markdown-escaped and translated forms), links
/// to `/cdn-cgi/l/email-protection`, `data-cfemail` attributes and the `__cf_email__` class.
///
/// The page showed the address through a script the scraper did not run, so the text holds a
/// placeholder. No fix: when the link still carries the XOR-encoded address (`#…` or
/// `data-cfemail`), the message decodes it so an editor can restore it by hand.
public struct EmailObfuscatedRule: Rule {
    public static let id = "email-obfuscated"
    /// Does not read prose: on an HTML page the residue is mostly markup (`href="/cdn-cgi/l/…"`,
    /// `data-cfemail`), which the sink would hide from a prose rule. `check` keeps on HTML the hits
    /// in visible text or in a start tag outside code (`HTMLView.isProseOrStartTag`).

    public init(options: RuleOptions) {}

    package enum Kind { case placeholder, protectionLink, attribute }

    package struct Needle {
        package let bytes: [UInt8]
        package let kind: Kind
        package init(_ text: String, _ kind: Kind) {
            bytes = Array(text.utf8)
            self.kind = kind
        }
    }

    package static let needles: [Needle] = [
        Needle("[email protected", .placeholder), Needle("[email\u{A0}protected", .placeholder),
        Needle("[email&#160;protected", .placeholder), Needle("[email&nbsp;protected", .placeholder),
        Needle("[email&#xa0;protected", .placeholder), Needle("[email&#xA0;protected", .placeholder),
        Needle("[emailprotected", .placeholder),
        // What machine translation of a Cloudflare page makes of the placeholder.
        Needle("[电子邮件保护", .placeholder), Needle("[電子郵件保護", .placeholder),
        Needle("[电子邮件受保护", .placeholder), Needle("[電子郵件受保護", .placeholder),
        Needle("/cdn-cgi/l/email-protection", .protectionLink),
        Needle("data-cfemail", .attribute), Needle("__cf_email__", .attribute),
    ]

    /// Needles by first byte, so one pass over a line tests only the needles that can start there.
    package static let byFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (k, needle) in needles.enumerated() { table[Int(needle.bytes[0])].append(k) }
        return table
    }()

    package struct Hit {
        package var range: Range<Int>
        package var kind: Kind
        package var address: String?
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        guard Self.mayContainResidue(in: document) else { return }
        for n in stride(from: 1, through: document.lineCount, by: 1) where !document.isCode(line: n) {
            if sink.budgetSpent(step: n, bytes: document.contentRange(ofLine: n).count) { return }
            var hits = lineHits(bytes, document.contentRange(ofLine: n))
            if document.isHTMLFile, !hits.isEmpty {
                let html = document.html
                hits.removeAll { $0.range.lowerBound >= document.bodyStart && !html.isProseOrStartTag(at: $0.range.lowerBound) }
            }
            for group in merged(hits, bytes) { report(group, into: &sink) }
        }
    }

    /// The file-level test, asked first of the document's byte-pair census (shared with other
    /// rules): most files lack a pair of `email` and both `[电` and `[電`, and skip the scan below.
    package static func mayContainResidue(in document: Document) -> Bool {
        let pairs = document.bytePairs
        let maybe = pairs.mayContain(Self.emailBytes) || pairs.contains(0x5B, 0xE7) || pairs.contains(0x5B, 0xE9)
        return maybe && mayContainResidue(document.bytes)
    }

    private static let emailBytes = Array("email".utf8)

    /// Every needle contains `email` or `cf_email` or an East Asian `电/電`: a cheap file-level test.
    /// As a scan from every byte answers (a match must start at least five bytes before the end);
    /// only at an `m` (second byte of `email`) or a `[` can one be: the text between them is skipped
    /// eight bytes per step.
    package static func mayContainResidue(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var j = 0
            while j < n {
                j = ByteWords.firstIndex(of: 0x6D, or: 0x5B, in: raw, from: j, to: n)
                guard j < n else { return false }
                if raw[j] == 0x6D {
                    let i = j - 1
                    if i >= 0, i + 4 < n, raw[i] == 0x65, raw[i + 2] == 0x61, raw[i + 3] == 0x69, raw[i + 4] == 0x6C { return true }  // email
                } else if j + 4 < n, raw[j + 1] == 0xE7 || raw[j + 1] == 0xE9 {                                                       // [电 [電
                    return true
                }
                j += 1
            }
            return false
        }
    }

    private func lineHits(_ bytes: [UInt8], _ range: Range<Int>) -> [Hit] {
        var hits: [Hit] = []
        var i = range.lowerBound
        while i < range.upperBound {
            var matched = false
            for k in Self.byFirstByte[Int(bytes[i])] {
                let needle = Self.needles[k]
                let end = i + needle.bytes.count
                guard end <= range.upperBound, bytes[i..<end].elementsEqual(needle.bytes) else { continue }
                var start = i, stop = end
                switch needle.kind {
                case .placeholder:
                    // `\[email protected\]` (Markdown-escaped) and the closing bracket.
                    if start > range.lowerBound, bytes[start - 1] == 0x5C { start -= 1 }
                    if stop < range.upperBound, bytes[stop] == 0x5C { stop += 1 }
                    if stop < range.upperBound, bytes[stop] == 0x5D { stop += 1 }
                    hits.append(Hit(range: start..<stop, kind: .placeholder))
                case .protectionLink:
                    var address: String?
                    if stop < range.upperBound, bytes[stop] == 0x23 {
                        let hexEnd = Self.hexEnd(bytes, from: stop + 1, limit: range.upperBound)
                        address = Self.decodeCloudflare(bytes[(stop + 1)..<hexEnd])
                        stop = hexEnd
                    }
                    hits.append(Hit(range: start..<stop, kind: .protectionLink, address: address))
                case .attribute:
                    var address: String?
                    // data-cfemail="…"
                    if needle.bytes.first == 0x64, stop + 1 < range.upperBound, bytes[stop] == 0x3D, bytes[stop + 1] == 0x22 || bytes[stop + 1] == 0x27 {
                        let hexEnd = Self.hexEnd(bytes, from: stop + 2, limit: range.upperBound)
                        address = Self.decodeCloudflare(bytes[(stop + 2)..<hexEnd])
                        stop = min(range.upperBound, hexEnd + 1)
                    }
                    hits.append(Hit(range: start..<stop, kind: .attribute, address: address))
                }
                i = stop
                matched = true
                break
            }
            if !matched { i += 1 }
        }
        return hits
    }

    /// Hits of one obfuscated address (`[[email protected]](/cdn-cgi/l/email-protection#…)`, or an
    /// `<a href=… data-cfemail=…>[email protected]</a>`) become one finding: neighbours joined by
    /// markup only, and never two placeholders (two addresses) in one group.
    private func merged(_ hits: [Hit], _ bytes: [UInt8]) -> [[Hit]] {
        var groups: [[Hit]] = []
        for hit in hits {
            if var last = groups.last, let prev = last.last, hit.range.lowerBound - prev.range.upperBound <= 200,
               bytes[prev.range.upperBound..<hit.range.lowerBound].allSatisfy({ $0 < 0x80 }),
               !(hit.kind == .placeholder && last.contains { $0.kind == .placeholder }) {
                last.append(hit)
                groups[groups.count - 1] = last
            } else {
                groups.append([hit])
            }
        }
        return groups
    }

    private func report(_ group: [Hit], into sink: inout DiagnosticSink) {
        guard let first = group.first, let last = group.last else { return }
        let range = first.range.lowerBound..<last.range.upperBound
        let what: String
        if group.contains(where: { $0.kind == .placeholder }) {
            what = "Cloudflare e-mail obfuscation: the address was replaced by a placeholder"
        } else if group.contains(where: { $0.kind == .protectionLink }) {
            what = "Cloudflare e-mail obfuscation: a link to /cdn-cgi/l/email-protection instead of the address"
        } else {
            what = "Cloudflare e-mail obfuscation markup (data-cfemail / __cf_email__)"
        }
        if let address = group.lazy.compactMap(\.address).first {
            sink.report(range, "\(what); the link still encodes '\(address)': restore the address by hand")
        } else {
            sink.report(range, "\(what); the address is lost")
        }
    }

    package static func hexEnd(_ bytes: [UInt8], from: Int, limit: Int) -> Int {
        var j = from
        while j < limit, hexValue(bytes[j]) != nil { j += 1 }
        return j
    }

    @inline(__always)
    package static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x61...0x66: return b - 0x61 + 10
        case 0x41...0x46: return b - 0x41 + 10
        default: return nil
        }
    }

    /// Cloudflare's encoding: hex pairs, the first is a key XORed into the rest. Returns the address
    /// when it decodes to printable ASCII with an `@`.
    package static func decodeCloudflare(_ hex: ArraySlice<UInt8>) -> String? {
        guard hex.count >= 6, hex.count % 2 == 0, hex.count <= 512 else { return nil }
        var values: [UInt8] = []
        var i = hex.startIndex
        while i + 1 < hex.endIndex {
            guard let hi = hexValue(hex[i]), let lo = hexValue(hex[i + 1]) else { return nil }
            values.append(hi << 4 | lo)
            i += 2
        }
        let key = values[0]
        let decoded = values.dropFirst().map { $0 ^ key }
        guard decoded.contains(0x40), decoded.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: decoded, as: UTF8.self)
    }
}
