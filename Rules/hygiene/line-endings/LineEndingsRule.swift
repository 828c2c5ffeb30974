import NewsLintCore

/// `line-endings`: CRLF, lone CR, or a mix of endings. One finding per file with a fix for all lines.
public struct LineEndingsRule: Rule, RuleWithOptions {
    public static let id = "line-endings"
    package let style: String

    public struct Options: Decodable, Sendable { var style: String }

    public init(options: RuleOptions) throws {
        style = try Self.decodeOptions(options).style
    }

    private static let lf: [UInt8] = [0x0A]
    private static let crlf: [UInt8] = [0x0D, 0x0A]

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // Fast path (most files): no CR at all and LF wanted.
        if style != "crlf" && !ByteSearch.contains(0x0D, in: bytes) { return }
        // Counted first, edits made after in one walk in file order (a Fix sorts its edits anyway):
        // offset arrays per kind, joined and sorted, and the message's pieces cost 14,000
        // instructions a finding, and nearly half of agora's files have one.
        var crlfCount = 0, loneCRCount = 0
        // From CR to CR with memchr: a CRLF file is one CR per line of hundreds of bytes.
        var at = 0
        while let cr = ByteSearch.first(0x0D, in: bytes, from: at) {
            if cr + 1 < bytes.count && bytes[cr + 1] == 0x0A { crlfCount += 1 } else { loneCRCount += 1 }
            at = cr + 1
        }
        // Bare line feeds: every line feed (each starts a line of the document) but those of the CRLFs.
        let lf = document.lineStarts.count - 1 - crlfCount
        let toLF: Bool
        switch style {
        case "crlf": toLF = false
        case "consistent": toLF = !(crlfCount > lf)
        default: toLF = true
        }
        let target = toLF ? Self.lf : Self.crlf
        // The wrong terminators in file order: with LF wanted, every CR (a CRLF's two bytes, a lone
        // CR's one); with CRLF wanted, every bare LF and lone CR.
        let bareLF = toLF ? 0 : lf
        let wrongCount = toLF ? crlfCount + loneCRCount : bareLF + loneCRCount
        guard wrongCount > 0 else { return }
        var edits: [Edit] = []
        edits.reserveCapacity(wrongCount)
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            if toLF {
                var at = 0
                while let cr = ByteSearch.first(0x0D, in: bytes, from: at) {
                    let length = cr + 1 < n && b[cr + 1] == 0x0A ? 2 : 1
                    edits.append(Edit(range: cr..<(cr + length), replacement: target))
                    at = cr + 1
                }
            } else {
                for j in 0..<n {
                    let c = b[j]
                    if c == 0x0A ? (j == 0 || b[j - 1] != 0x0D) : (c == 0x0D && !(j + 1 < n && b[j + 1] == 0x0A)) {
                        edits.append(Edit(range: j..<(j + 1), replacement: target))
                    }
                }
            }
        }
        guard let first = edits.first?.range.lowerBound else { return }
        // Any two kinds of terminator in one file is a mix (RTHK posts: LF front matter, CRLF body).
        let kinds = (crlfCount == 0 ? 0 : 1) + (lf == 0 ? 0 : 1) + (loneCRCount == 0 ? 0 : 1)
        var message = ""
        message.reserveCapacity(96)  // one buffer for the pieces below
        message += kinds > 1 ? "mixed line endings (" : (toLF ? "line endings are not LF (" : "line endings are not CRLF (")
        var firstPart = true
        func part(_ count: Int, _ kind: String) {
            if !firstPart { message += ", " }
            firstPart = false
            message += String(count)
            message += kind
        }
        if crlfCount > 0 { part(crlfCount, " CRLF") }
        if lf > 0 && !toLF { part(bareLF, " LF") }
        if lf > 0 && toLF && !(crlfCount == 0 && loneCRCount == 0) { part(lf, " LF") }
        if loneCRCount > 0 { part(loneCRCount, " lone CR") }
        message += toLF ? "); expected LF" : "); expected CRLF"
        sink.report(first..<first, message, fix: Fix(.safe, toLF ? "Convert line endings to LF" : "Convert line endings to CRLF", edits: edits))
    }
}
