import Foundation

/// Internationalised host names for a request (the online image check): IDNA's ToASCII for the
/// common case. A host of `例子.香港` is looked up in DNS as `xn--fsqu00a.xn--j6w193g`; without
/// this the checker could only say "not checked (non-ASCII host)".
package enum IDNA {
    /// The ASCII form of `host`: NFKC (full-width letters and digits, as a Chinese input method in
    /// full-width mode types them, are ASCII), lower case, the ideographic and full-width full stops
    /// (`。` `．` `｡`, as a Chinese input method types them) read as dots, and each label holding a
    /// character beyond ASCII written `xn--` and its Punycode (RFC 3492). Nil for a host this cannot
    /// make: an empty label (a trailing dot aside), a label of more than 63 bytes or a host of more
    /// than 253, a non-ASCII label holding an ASCII character a host name cannot (anything but
    /// letters, digits and `-`) or starting or ending with `-`. Not the whole of UTS 46 (no
    /// mapping table, no bidi or joiner rules): a host it gets wrong is one DNS does not find,
    /// reported as unreachable, as any misspelt host is.
    package static func asciiHost(_ host: String) -> String? {
        // Punycode writes at least one byte for each scalar, and its time grows with a label's
        // length times its distinct scalars: a host longer than DNS allows is refused before
        // any of that (a megabyte of ideographs would take some 10¹⁰ steps).
        guard host.unicodeScalars.count <= 4 * maxHostBytes else { return nil }
        let folded = host.precomposedStringWithCompatibilityMapping.lowercased()
        guard folded.unicodeScalars.count <= maxHostBytes + 1 else { return nil }
        var labels: [[Unicode.Scalar]] = [[]]
        for scalar in folded.unicodeScalars {
            switch scalar.value {
            case 0x2E, 0x3002, 0xFF0E, 0xFF61: labels.append([])
            default: labels[labels.count - 1].append(scalar)
            }
        }
        // A trailing dot (a fully qualified name) is kept; any other empty label is no host.
        let fullyQualified = labels.count > 1 && labels[labels.count - 1].isEmpty
        if fullyQualified { labels.removeLast() }
        var out: [String] = []
        for label in labels {
            guard !label.isEmpty else { return nil }
            let ascii: String
            if label.allSatisfy(\.isASCII) {
                ascii = String(String.UnicodeScalarView(label))
            } else {
                guard label.count <= maxLabelBytes - 4, label.allSatisfy({ !$0.isASCII || isHostCharacter($0) }),
                      label.first != "-", label.last != "-", let code = punycode(label.map(\.value)) else { return nil }
                ascii = "xn--" + code
            }
            guard ascii.utf8.count <= maxLabelBytes else { return nil }
            out.append(ascii)
        }
        let joined = out.joined(separator: ".")
        guard joined.utf8.count <= maxHostBytes else { return nil }
        return fullyQualified ? joined + "." : joined
    }

    /// `url` (an IRI: `scheme://authority/…`) with its host in ASCII (`asciiHost`) when the host
    /// has a character beyond ASCII; as it is otherwise, or when no ASCII form can be made (the
    /// checker then says the host was not checked). User info, port and the rest are kept.
    package static func asciiHostURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let authorityStart = schemeEnd.upperBound
        // A browser reads `\` as `/` in an http(s) URL: it ends the authority too.
        let authorityEnd = url[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" }) ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { url.index(after: $0) } ?? authorityStart
        guard hostStart < authorityEnd, url[hostStart] != "[" else { return url }
        let hostEnd = url[hostStart..<authorityEnd].lastIndex(of: ":") ?? authorityEnd
        let host = url[hostStart..<hostEnd]
        guard !host.unicodeScalars.allSatisfy(\.isASCII), let ascii = asciiHost(String(host)) else { return url }
        return String(url[..<hostStart]) + ascii + String(url[hostEnd...])
    }

    /// DNS's limits: 63 bytes a label, 253 a name (without its trailing dot).
    private static let maxLabelBytes = 63, maxHostBytes = 253

    private static func isHostCharacter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "-"
    }

    /// RFC 3492's parameters for Punycode.
    private static let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26, skew: UInt32 = 38, damp: UInt32 = 700
    private static let initialBias: UInt32 = 72, initialN: UInt32 = 0x80

    /// The Punycode of the code points `input` (RFC 3492, 6.3): its ASCII code points as they are,
    /// a `-` after them when there are any, then the others as generalized variable-length
    /// integers. Case is kept (the host is lower-cased before). Nil when a count overflows
    /// (a label far beyond 63 bytes).
    package static func punycode(_ input: [UInt32]) -> String? {
        var output: [UInt8] = input.compactMap { $0 < 0x80 ? UInt8($0) : nil }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(0x2D) }
        var n = initialN, delta: UInt32 = 0, bias = initialBias
        while handled < input.count {
            // The smallest code point not handled yet.
            var m = UInt32.max
            for c in input where c >= n && c < m { m = c }
            let step = (m - n).multipliedReportingOverflow(by: UInt32(handled + 1))
            guard !step.overflow else { return nil }
            let sum = delta.addingReportingOverflow(step.partialValue)
            guard !sum.overflow else { return nil }
            delta = sum.partialValue
            n = m
            for c in input {
                if c < n {
                    guard delta < UInt32.max else { return nil }
                    delta += 1
                }
                guard c == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, points: UInt32(handled + 1), first: handled == basicCount)
                delta = 0
                handled += 1
            }
            guard delta < UInt32.max else { return nil }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 3492, 6.1.
    private static func adapt(_ delta: UInt32, points: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k: UInt32 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// A digit's letter: `a`–`z` for 0–25, `0`–`9` for 26–35.
    private static func digit(_ d: UInt32) -> UInt8 {
        d < 26 ? UInt8(0x61 + d) : UInt8(0x16 + d)
    }
}
