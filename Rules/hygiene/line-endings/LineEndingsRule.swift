import NewsLintCore

/// `line-endings`: CRLF, lone CR, or a mix of endings. One finding per file with a fix for all lines.
public struct LineEndingsRule: Rule, RuleWithOptions {
    public static let id = "line-endings"
    package let style: String

    public struct Options: Decodable, Sendable { var style: String }

    public init(options: RuleOptions) throws {
        style = try Self.decodeOptions(options).style
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // Fast path (most files): no CR at all and LF wanted.
        if style != "crlf" && !ByteSearch.contains(0x0D, in: bytes) { return }
        var crlf: [Int] = []   // offsets of \r in \r\n
        var loneCR: [Int] = []
        // From CR to CR with memchr: a CRLF file is one CR per line of hundreds of bytes.
        var at = 0
        while let cr = ByteSearch.first(0x0D, in: bytes, from: at) {
            if cr + 1 < bytes.count && bytes[cr + 1] == 0x0A { crlf.append(cr) } else { loneCR.append(cr) }
            at = cr + 1
        }
        // Bare line feeds: every line feed but those of the CRLFs.
        var lf = -crlf.count
        at = 0
        while let next = ByteSearch.first(0x0A, in: bytes, from: at) {
            lf += 1
            at = next + 1
        }
        let target: [UInt8]
        switch style {
        case "crlf": target = [0x0D, 0x0A]
        case "consistent": target = crlf.count > lf ? [0x0D, 0x0A] : [0x0A]
        default: target = [0x0A]
        }
        var edits: [Edit] = []
        var wrong: [Int] = []
        if target == [0x0A] {
            edits += crlf.map { Edit(range: $0..<($0 + 2), replacement: target) }
            wrong += crlf
        } else {
            // Every bare LF gets a CR.
            var j = 0
            while j < bytes.count {
                if bytes[j] == 0x0A && (j == 0 || bytes[j - 1] != 0x0D) {
                    edits.append(Edit(range: j..<(j + 1), replacement: target))
                    wrong.append(j)
                }
                j += 1
            }
        }
        edits += loneCR.map { Edit(range: $0..<($0 + 1), replacement: target) }
        wrong += loneCR
        guard let first = wrong.min() else { return }
        let name = target == [0x0A] ? "LF" : "CRLF"
        var parts: [String] = []
        if !crlf.isEmpty { parts.append("\(crlf.count) CRLF") }
        if lf > 0 && target != [0x0A] { parts.append("\(wrong.count - loneCR.count) LF") }
        if lf > 0 && target == [0x0A] && !(crlf.isEmpty && loneCR.isEmpty) { parts.append("\(lf) LF") }
        if !loneCR.isEmpty { parts.append("\(loneCR.count) lone CR") }
        // Any two kinds of terminator in one file is a mix (RTHK posts: LF front matter, CRLF body).
        let kinds = (crlf.isEmpty ? 0 : 1) + (lf == 0 ? 0 : 1) + (loneCR.isEmpty ? 0 : 1)
        let mixed = kinds > 1
        let message = (mixed ? "mixed line endings" : "line endings are not \(name)") + " (\(parts.joined(separator: ", "))); expected \(name)"
        sink.report(first..<first, message, fix: Fix(.safe, "Convert line endings to \(name)", edits: edits))
    }
}
