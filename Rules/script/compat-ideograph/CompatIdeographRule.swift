import NewsLintCore

/// `compat-ideograph`: Kangxi radicals, radical supplements and compatibility ideographs used as
/// text (PDF extraction), replaced one character at a time by their unified ideograph.
/// Compares code points: Swift's `String ==` treats canonical equivalents as equal.
public struct CompatIdeographRule: Rule {
    public static let id = "compat-ideograph"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true
    public init(options: RuleOptions) {}

    /// Compatibility character → unified ideograph, from Rules/script/data/compat.txt (generated from NFKC).
    /// Read as scalar lines (`ScriptTables.forEachScalarLine`): splitting the text into `Substring`s
    /// and filtering each line's scalars into an array was 22.6 M instructions of every run that
    /// met one candidate; a line is a character, a tab and its ideograph.
    package static let table: [UInt32: UInt32] = {
        var t: [UInt32: UInt32] = Dictionary(minimumCapacity: 1024)
        ScriptTables.forEachScalarLine("script/data/compat.txt") { line in
            var pair: (UInt32, UInt32, Int) = (0, 0, 0)
            for s in line where s != 0x09 {
                if pair.2 == 0 { pair.0 = s } else { pair.1 = s }
                pair.2 += 1
            }
            if pair.2 == 2 { t[pair.0] = pair.1 }
        }
        return t
    }()

    @inline(__always)
    package static func isCandidate(_ c: UInt32) -> Bool {
        (0x2E80...0x2FDF).contains(c) || (0xF900...0xFAFF).contains(c) || (0x2F800...0x2FA1F).contains(c)
    }

    /// The bytes the prefilter below acts on (any other byte it passes over).
    package static let leadBytes = ByteSet([0xE2, 0xEF, 0xF0], wordAtATime: true)

    /// The prefilter of `check`, asked of the document's byte-pair census (shared with other rules)
    /// instead of a scan of its own: the lead pairs are exactly the test of `mayHoldCandidate(_:)`.
    package static func mayHoldCandidate(in document: Document) -> Bool {
        let pairs = document.bytePairs
        return pairs.contains(0xE2, followedByAnyOf: 0xBA...0xBF) || pairs.contains(0xEF, followedByAnyOf: 0xA4...0xAB) || pairs.contains(0xF0, 0xAF)
    }

    /// Whether `bytes` may hold a character this rule reports (the scan the census replaces).
    package static func mayHoldCandidate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf -> Bool in
            let n = buf.count
            var i = Self.leadBytes.firstIndex(in: buf, from: 0, to: n - 1)
            while i + 1 < n {
                let b = buf[i], b1 = buf[i + 1]
                if (b == 0xE2 && b1 >= 0xBA && b1 <= 0xBF) || (b == 0xEF && b1 >= 0xA4 && b1 <= 0xAB) || (b == 0xF0 && b1 == 0xAF) { return true }
                i = Self.leadBytes.firstIndex(in: buf, from: i + 1, to: n - 1)
            }
            return false
        }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Lead bytes: E2 BA–BF (U+2E80–U+2FFF), EF A4–AB (U+F900–U+FAFF), F0 AF (U+2F800–).
        // Check the second byte too: E2 and EF alone also start `“` and `，`, found in nearly every file.
        guard Self.mayHoldCandidate(in: document) else { return }
        let run = ScalarRun(wholeFile: document.scalars)
        let c = run.cps
        var code = CodeMask(document)
        for i in 0..<c.count where Self.isCandidate(c[i]) {
            // In code (a fence, a code span, a script or comment block) the character is the
            // program's or the sample's text, as in an HTML page's `<code>`, which the sink keeps
            // this rule out of: not reported.
            if code.contains(bytes: run.byteRange(i..<(i + 1))) { continue }
            let shown = String(Character(Unicode.Scalar(c[i]) ?? "?"))
            if let u = Self.table[c[i]], let scalar = Unicode.Scalar(u) {
                let range = run.byteRange(i..<(i + 1))
                let target = String(Character(scalar))
                let kind = (0x2F00...0x2FDF).contains(c[i]) ? "Kangxi radical" : (0x2E80...0x2EFF).contains(c[i]) ? "CJK radical" : "compatibility ideograph"
                // In a URL, a link destination or a Liquid tag the character is what the server or
                // the template reads: replacing it names another page or file (offered, not safe).
                let fix = ProseMask.overlapsNonProse(document, bytes: range)
                    ? Fix(.unsafe, "Replace with '\(target)' (inside a link or a template tag: check what it names)", edit: Edit(range: range, replacement: target))
                    : Fix(.safe, "Replace with '\(target)'", edit: Edit(range: range, replacement: target))
                sink.report(range, "\(kind) '\(shown)' (\(codePointName(c[i]))) used as text; use the unified ideograph '\(target)' (\(codePointName(u)))",
                            fix: fix)
            } else if (0x2E80...0x2EFF).contains(c[i]), CJK.isHan(run[i - 1]) || CJK.isHan(run[i + 1]) {
                // A radical between Han characters is text, but it has no unified form to offer.
                sink.report(run.byteRange(i..<(i + 1)), "CJK radical '\(shown)' (\(codePointName(c[i]))) used as text; replace it with the ideograph it stands for")
            }
        }
    }
}
