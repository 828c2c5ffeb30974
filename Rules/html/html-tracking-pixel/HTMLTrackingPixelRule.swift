import Foundation
import NewsLintCore

/// `html-tracking-pixel`: images that are not pictures but beacons: 1×1 or 0×0 `<img>` (by
/// `width`/`height` attributes or an inline style) and images served by known analytics hosts.
/// Scrapers copy them with the article; in a text corpus they are noise and leak readers'
/// requests to trackers. The fix deletes the tag (nothing visible is lost).
public struct HTMLTrackingPixelRule: Rule, RuleWithOptions {
    public static let id = "html-tracking-pixel"
    package let hosts: [String]
    /// The hosts' UTF-8 when every host is ASCII (see `asciiTrackingHost`), else nil.
    private let asciiHosts: [[UInt8]]?
    /// The indices of `asciiHosts` a source may match by the first byte after its `//` (ASCII
    /// folded), in table order: those beginning with that byte and the empty ones; bucket 256 (no
    /// byte left) holds the empty ones alone. Bucket `b` is `hostOrder[hostBucketStarts[b]..<hostBucketStarts[b + 1]]`.
    /// Every host compared per image (21 by default) was ~25 instructions each, 2 M at agora x1.
    private let hostBucketStarts: [Int], hostOrder: [Int]

    public struct Options: Decodable, Sendable { var hosts: [String] }
    private static let imgKey = TagTables.packedName("img")

    public init(options: RuleOptions) throws {
        hosts = try Self.decodeOptions(options).hosts.map { $0.lowercased() }
        asciiHosts = hosts.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? hosts.map { Array($0.utf8) } : nil
        var buckets = [[Int]](repeating: [], count: 257)
        for (index, host) in (asciiHosts ?? []).enumerated() {
            if let first = host.first { buckets[Int(first)].append(index) } else { for b in buckets.indices { buckets[b].append(index) } }
        }
        hostOrder = buckets.flatMap { $0 }
        var starts = [0]
        for bucket in buckets { starts.append((starts.last ?? 0) + bucket.count) }
        hostBucketStarts = starts
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        let view = document.html
        // `isTag(token, named: "img")` as one comparison of the name's key (ASCII case folded),
        // made only for a name of three bytes.
        let imgKey = Self.imgKey
        // Through the buffer, each token's kind and name read in place: copying each token (64 bytes)
        // cost more than the test, over every token of every HTML document, for the few images.
        view.tokens.withUnsafeBufferPointer { tokens in
            for t in 0..<tokens.count where tokens[t].kind == .startTag && tokens[t].name.count == 3
                && tokens[t].key(in: bytes) == imgKey {
                let token = tokens[t]
                var reason: String?
                let a = Self.imageAttributes(token, view, bytes)
                let width = dimension(a.width, bytes) ?? styleDimension(style: a.style, bytes, "width")
                let height = dimension(a.height, bytes) ?? styleDimension(style: a.style, bytes, "height")
                if let width, let height, width <= 1, height <= 1 {
                    reason = "\(width)×\(height) image (a tracking pixel, not a picture)"
                } else if let src = a.src, let host = trackingHost(bytes, src) {
                    reason = "image from the tracking host \(host)"
                }
                guard let reason else { continue }
                sink.report(token.range, reason, fix: Fix(.safe, "delete the tracking image", edit: .delete(HTMLText.deletionRange(bytes, token.range, within: view.range))))
            }
        }
    }

    /// The first host the image source `src` starts with after its `//`: `asciiTrackingHost`, or
    /// `stringTrackingHost` when that cannot answer.
    package func trackingHost(_ bytes: [UInt8], _ src: Range<Int>) -> String? {
        if let answer = asciiTrackingHost(bytes, src) { return answer.map { hosts[$0] } }
        return stringTrackingHost(bytes, src)
    }

    /// The reference: the source lower-cased, cut after its first `//`, compared with each host.
    package func stringTrackingHost(_ bytes: [UInt8], _ src: Range<Int>) -> String? {
        let url = String(decoding: bytes[src], as: UTF8.self).lowercased()
        let afterScheme = url.range(of: "//").map { String(url[$0.upperBound...]) } ?? url
        return hosts.first(where: { afterScheme.hasPrefix($0) })
    }

    /// `stringTrackingHost` (as an index into `hosts`, `.some(nil)` for none) on the bytes, when every
    /// host is ASCII and the source's head up to its first byte above 0x7F or carriage return (`head`:
    /// all of it for most sources) holds its first `//` and decides each host: then lower-casing is
    /// ASCII folding there, `//` is found as two bytes (ASCII text matches it only as those), and a
    /// `String` prefix is a byte prefix (each byte of the head is a `Character`; CR LF would be one). A
    /// host is decided in the head when it differs from the bytes there, or ends before the head's
    /// last byte (the `Character` after it is then ASCII too, and extends nothing). Nil: ask the
    /// `String` form. Foundation's search per image was most of this rule, and a source with non-ASCII
    /// after its host (`…/uploads/2024/11/سش-….jpg`) took it: some 100,000 instructions each.
    package func asciiTrackingHost(_ bytes: [UInt8], _ src: Range<Int>) -> Int?? {
        guard let asciiHosts, src.lowerBound >= 0, src.upperBound <= bytes.count else { return nil }
        let head = Self.asciiWithoutCREnd(bytes, src)
        let whole = head == src.upperBound
        var start = src.lowerBound
        var i = src.lowerBound
        var foundScheme = false
        while i + 1 < head {
            if bytes[i] == 0x2F && bytes[i + 1] == 0x2F { start = i + 2; foundScheme = true; break }
            i += 1
        }
        // Past the head, the first `//` and the text after it are the `String` form's to find.
        guard whole || (foundScheme && start < head) else { return nil }
        let bucket = start < src.upperBound ? Int(Self.asciiLowercased(bytes[start])) : 256
        hosts: for j in hostBucketStarts[bucket]..<hostBucketStarts[bucket + 1] {
            let index = hostOrder[j], host = asciiHosts[index]
            let undecided = !whole && start + host.count >= head
            if !undecided { guard host.count <= src.upperBound - start else { continue } }
            for k in 0..<min(host.count, head - start) {
                var b = bytes[start + k]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != host[k] { continue hosts }
            }
            if undecided { return nil }
            return .some(index)
        }
        return .some(nil)
    }

    /// The first offset of `range` holding a byte above 0x7F or a carriage return (`range.upperBound`
    /// when none does): eight bytes at a time up to the word holding it.
    package static func asciiWithoutCREnd(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        bytes.withUnsafeBytes { raw in
            var i = range.lowerBound
            while i &+ 8 <= range.upperBound {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & ByteWords.highs != 0 || ByteWords.has(0x0D, in: w) { break }
                i &+= 8
            }
            while i < range.upperBound {
                if raw[i] >= 0x80 || raw[i] == 0x0D { return i }
                i &+= 1
            }
            return range.upperBound
        }
    }

    /// `b` with an ASCII capital made lower case, as the host comparison folds each byte.
    @inline(__always)
    private static func asciiLowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// Whether no byte of `range` is above 0x7F or a carriage return: eight bytes at a time (a
    /// source URL is some hundred bytes, tested byte by byte for each image before).
    package static func isASCIIWithoutCR(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        return bytes.withUnsafeBytes { raw in
            var i = range.lowerBound
            while i &+ 8 <= range.upperBound {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & ByteWords.highs != 0 || ByteWords.has(0x0D, in: w) { return false }
                i &+= 8
            }
            while i < range.upperBound {
                if raw[i] >= 0x80 || raw[i] == 0x0D { return false }
                i &+= 1
            }
            return true
        }
    }

    /// `1`, `1px`, `0` → the number; percentages and other units are not pixels.
    package func dimension(_ range: Range<Int>?, _ bytes: [UInt8]) -> Int? {
        guard let range else { return nil }
        if let answer = Self.asciiDimension(bytes, range) { return answer }
        var text = String(decoding: bytes[range], as: UTF8.self).trimmingWhitespaces().lowercased()
        if text.hasSuffix("px") { text.removeLast(2) }
        return Int(text)
    }

    /// `dimension` on the bytes of an ASCII value (nil: not ASCII, ask the `String` form; `.some(nil)`:
    /// no number): `.whitespaces` holds only space and tab among ASCII, lower-casing folds `PX`,
    /// each byte is a `Character` (a CR is no digit, so CR LF never parses either way), and `Int`
    /// takes an optional sign and decimal digits that fit. Foundation's trimming was a tenth of the rule.
    package static func asciiDimension(_ bytes: [UInt8], _ range: Range<Int>) -> Int?? {
        for i in range where bytes[i] >= 0x80 { return nil }
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        if hi - lo >= 2, bytes[hi - 2] | 0x20 == 0x70, bytes[hi - 1] | 0x20 == 0x78 { hi -= 2 }
        var negative = false
        if lo < hi, bytes[lo] == 0x2B || bytes[lo] == 0x2D {
            negative = bytes[lo] == 0x2D
            lo += 1
        }
        guard lo < hi else { return .some(nil) }
        var value = 0
        for i in lo..<hi {
            let digit = bytes[i] &- 0x30
            guard digit < 10 else { return .some(nil) }
            let (scaled, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? scaled.subtractingReportingOverflow(Int(digit)) : scaled.addingReportingOverflow(Int(digit))
            guard !o1, !o2 else { return .some(nil) }
            value = next
        }
        return .some(value)
    }

    /// The values `view.attributeValue(token, named:)` gives for `width`, `height`, `src` and `style`
    /// (each attribute's first occurrence, nil when absent or bare), found in one pass over the
    /// tag's attributes: four lookups per image each walked them all, comparing every name.
    package static func imageAttributes(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8])
        -> (width: Range<Int>?, height: Range<Int>?, src: Range<Int>?, style: Range<Int>?) {
        var width: Range<Int>??, height: Range<Int>??, src: Range<Int>??, style: Range<Int>??
        // Each name of 3, 5 or 6 bytes compared as its `TagNameKey` (ASCII case folded; nil for a
        // non-ASCII name, which equals none of these): the same answer as `equalsIgnoringASCIICase`,
        // without stepping a `String`'s UTF-8 view per byte (an image has some ten attributes).
        for k in token.attributeIndices {
            let name = view.attributes[k].name
            switch name.count {
            case 3, 5, 6:
                switch TagNameKey.of(bytes, name) {
                case Self.srcKey: if src == nil { src = .some(view.attributes[k].value) }
                case Self.widthKey: if width == nil { width = .some(view.attributes[k].value) }
                case Self.styleKey: if style == nil { style = .some(view.attributes[k].value) }
                case Self.heightKey: if height == nil { height = .some(view.attributes[k].value) }
                default: continue
                }
            default:
                continue
            }
        }
        return (width ?? nil, height ?? nil, src ?? nil, style ?? nil)
    }

    /// The `TagNameKey`s of `src`, `width`, `style` and `height` (first byte lowest), as literals.
    private static var srcKey: UInt64? { 0x63_72_73 }
    private static var widthKey: UInt64? { 0x68_74_64_69_77 }
    private static var styleKey: UInt64? { 0x65_6C_79_74_73 }
    private static var heightKey: UInt64? { 0x74_68_67_69_65_68 }

    package func styleDimension(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], _ property: String) -> Int? {
        styleDimension(style: view.attributeValue(token, named: "style", in: bytes), bytes, property)
    }

    /// `styleDimension` of the `style` attribute's value (`imageAttributes`), nil without one.
    package func styleDimension(style: Range<Int>?, _ bytes: [UInt8], _ property: String) -> Int? {
        guard let style else { return nil }
        let text = String(decoding: bytes[style], as: UTF8.self).lowercased().replacingOccurrences(of: " ", with: "")
        for declaration in text.split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == property else { continue }
            var value = String(parts[1])
            if value.hasSuffix("px") { value.removeLast(2) }
            return Int(value)
        }
        return nil
    }
}
