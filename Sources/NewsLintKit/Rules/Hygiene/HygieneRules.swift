/// `final-newline`: a non-empty file must end with a line terminator.
public struct FinalNewlineRule: Rule {
    public static let id = "final-newline"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let last = document.bytes.last, last != 0x0A else { return }
        let end = document.bytes.count
        sink.report(end..<end, "file does not end with a newline",
                    fix: Fix(.safe, "Add a final newline", edits: [Edit(range: end..<end, replacement: document.preferredNewline)]))
    }
}

/// `trailing-whitespace`: spaces or tabs at the end of a line.
/// Exactly two spaces after text is a Markdown hard line break and is kept when `allowHardBreak` is on.
public struct TrailingWhitespaceRule: Rule {
    public static let id = "trailing-whitespace"
    let allowHardBreak: Bool

    public init(options: RuleOptions) {
        allowHardBreak = options.bool("allowHardBreak", true)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        for n in stride(from: 1, through: document.lineCount, by: 1) {
            let range = document.contentRange(ofLine: n)
            var start = range.upperBound
            while start > range.lowerBound && (bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09) { start -= 1 }
            guard start < range.upperBound else { continue }
            let run = start..<range.upperBound
            let isBlank = start == range.lowerBound
            if allowHardBreak && !isBlank && run.count == 2 && bytes[start] == 0x20 && bytes[start + 1] == 0x20 && !document.isCode(line: n) {
                continue
            }
            let message = isBlank ? "whitespace-only line" : "trailing whitespace"
            sink.report(run, message, fix: Fix(.safe, "Remove trailing whitespace", edits: [.delete(run)]))
        }
    }
}

/// `line-endings`: CRLF, lone CR, or a mix of endings. One finding per file with a fix for all lines.
public struct LineEndingsRule: Rule {
    public static let id = "line-endings"
    let style: String

    public init(options: RuleOptions) {
        style = options.string("style", "lf")
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // Fast path (most files): no CR at all and LF wanted.
        if style != "crlf" && !ByteSearch.contains(0x0D, in: bytes) { return }
        var crlf: [Int] = []   // offsets of \r in \r\n
        var loneCR: [Int] = []
        var lf = 0
        var i = 0
        bytes.withUnsafeBufferPointer { buf in
            while i < buf.count {
                if buf[i] == 0x0D {
                    if i + 1 < buf.count && buf[i + 1] == 0x0A { crlf.append(i); i += 2; continue }
                    loneCR.append(i)
                } else if buf[i] == 0x0A {
                    lf += 1
                }
                i += 1
            }
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
        if !loneCR.isEmpty { parts.append("\(loneCR.count) lone CR") }
        let mixed = (!crlf.isEmpty && lf > crlf.count) || !loneCR.isEmpty
        let message = (mixed ? "mixed line endings" : "line endings are not \(name)") + " (\(parts.joined(separator: ", "))); expected \(name)"
        sink.report(first..<first, message, fix: Fix(.safe, "Convert line endings to \(name)", edits: edits))
    }
}

/// `leading-blank-lines`: blank lines before the first content of the file.
public struct LeadingBlankLinesRule: Rule {
    public static let id = "leading-blank-lines"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Displaced front matter is reported (and fixed) by front-matter-malformed.
        if let fm = document.frontMatter, fm.openLine > 1 { return }
        var n = 1
        while n <= document.lineCount && document.lineBytes(n).dropFirst(n == 1 ? document.bomLength : 0).allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            n += 1
        }
        guard n > 1, n <= document.lineCount else { return }
        let start = document.bomLength
        let end = document.lineStarts[n - 1]
        sink.report(line: 1, n == 2 ? "file starts with a blank line" : "file starts with \(n - 1) blank lines",
                    fix: Fix(.safe, "Remove leading blank lines", edits: [.delete(start..<end)]))
    }
}
