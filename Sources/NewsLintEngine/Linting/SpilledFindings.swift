import Foundation
import NewsLintCore

/// One finding of a spill record, framed but not decoded: where its rule id and message are in
/// its batch's bytes, and the fields a line and the totals need. Plain values: a batch of them
/// is destroyed without a release per string (decoding every finding into a `Diagnostic` and
/// destroying it again was most of a warm run's serial output).
public struct SpilledFinding: Sendable {
    /// Byte ranges in the batch's bytes.
    let rule: Range<Int>
    let message: Range<Int>
    public let line: Int
    public let column: Int
    public let severity: Severity
    public let fix: Applicability?
    /// Where its `Diagnostic.unlisted` is in its batch's `unlisted` (-1: none, nearly every finding).
    let unlistedIndex: Int32

    /// From the stored bytes of its severity and fix kind (`ByteWriter.diagnostic`'s: 0 info,
    /// 1 warning, 2 error; 0 no fix, 1 safe, 2 unsafe), which the framer has checked are ≤ 2.
    init(rule: Range<Int>, message: Range<Int>, line: Int, column: Int, storedSeverity: UInt8, storedFix: UInt8, unlistedIndex: Int32 = -1) {
        self.rule = rule
        self.message = message
        self.line = line
        self.column = column
        severity = Severity(storedByte: storedSeverity) ?? .info
        fix = Applicability(storedByte: storedFix)
        self.unlistedIndex = unlistedIndex
    }
}

/// A spilled finding with its rule id and message as bytes (valid UTF-8: see
/// `DiagnosticSpill.decodeAll`), valid only inside the call that hands it out.
public struct RawFinding {
    public let rule: UnsafeBufferPointer<UInt8>
    public let message: UnsafeBufferPointer<UInt8>
    public let line: Int
    public let column: Int
    public let severity: Severity
    public let fix: Applicability?

    init(_ f: SpilledFinding, in bytes: UnsafeBufferPointer<UInt8>) {
        rule = UnsafeBufferPointer(rebasing: bytes[f.rule])
        message = UnsafeBufferPointer(rebasing: bytes[f.message])
        line = f.line
        column = f.column
        severity = f.severity
        fix = f.fix
    }

    /// `Diagnostic.outputComparison` of two findings of one path, from their keys.
    static func comparison(_ line: Int, _ column: Int, _ rule: UnsafeBufferPointer<UInt8>, _ message: UnsafeBufferPointer<UInt8>,
                           _ otherLine: Int, _ otherColumn: Int, _ otherRule: UnsafeBufferPointer<UInt8>,
                           _ otherMessage: UnsafeBufferPointer<UInt8>) -> Int {
        if line != otherLine { return line < otherLine ? -1 : 1 }
        if column != otherColumn { return column < otherColumn ? -1 : 1 }
        let rules = ruleComparison(rule, otherRule)
        if rules != 0 { return rules }
        return String.bytesCompare(message, otherMessage)
    }

    /// `comparison` of two findings of one path (a record's, or a record's and a stored cross-file one).
    func comparison(with other: RawFinding) -> Int {
        Self.comparison(line, column, rule, message, other.line, other.column, other.rule, other.message)
    }

    /// `Diagnostic.outputOrder(d, self)` (asked as the decoded merge asks it: `String` `<` on rule ids is not total).
    func isPreceded(by d: UnsafePointer<Diagnostic>) -> Bool {
        if line != d.pointee.line { return d.pointee.line < line }
        if column != d.pointee.column { return d.pointee.column < column }
        var otherRule = d.pointee.rule, otherMessage = d.pointee.message
        return otherRule.withUTF8 { r in otherMessage.withUTF8 { m in Self.comparison(line, column, r, m, line, column, rule, message) < 0 } }
    }

    /// Rule ids as `outputComparison` orders them (`String` `==` and `<`): for ASCII ids (every
    /// built-in one) that is byte order; any other is compared as the `String`s.
    private static func ruleComparison(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard isASCII(a) && isASCII(b) else {
            let x = String(decoding: a, as: UTF8.self), y = String(decoding: b, as: UTF8.self)
            return x == y ? 0 : (x < y ? -1 : 1)
        }
        return String.bytesCompare(a, b)
    }

    private static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool { !b.contains { $0 >= 0x80 } }
}

/// Spill records read back as their bytes (the records' whole, copied once from the read
/// buffer) and their findings framed (`SpilledFinding`), as the decoding thread hands them on.
package final class SpilledBatch: @unchecked Sendable {
    package struct Record {
        /// The path's bytes in `bytes`: made a `String` only where one is needed (a `String` a
        /// record, made by the framer and destroyed with the batch, was ~950 instructions a file of
        /// a concise listing that only copies the name's bytes out).
        let path: Range<Int>
        /// Indices in `findings`.
        let findings: Range<Int>
        /// The findings' bytes in `bytes` (decoded when the group must be: `OrderedMerge`).
        let body: Range<Int>
        /// Whether its findings are in output order (else the merge decodes and sorts them).
        let sorted: Bool

        /// No findings (a path with cross-file findings alone).
        static let none = Record(path: 0..<0, findings: 0..<0, body: 0..<0, sorted: true)
    }

    package private(set) var bytes: [UInt8] = []
    package private(set) var records: [Record] = []
    package private(set) var findings: [SpilledFinding] = []
    /// The counts carried by the batch's listing-cap findings (`SpilledFinding.unlistedIndex`):
    /// kept beside the findings so that the rest stay plain values.
    package private(set) var unlisted: [UnlistedFindings] = []
    /// Where the batch's first record starts in the read buffer.
    private var base = 0
    /// Strings (byte ranges) a record spelled out so far, numbered as `SpilledStrings` numbers them.
    private var strings: [Range<Int>] = []

    package var isEmpty: Bool { records.isEmpty }
    /// No record (what a group of cross-file findings alone refers to).
    static let empty = SpilledBatch()
    /// Findings and records held (what the batch's size is measured in).
    package var size: Int { findings.count + records.count }

    /// Frames the record at `range` of `buffer` (its length stepped over); false when malformed
    /// (where `ByteReader.spilledDiagnostics` or `sourceLines` would fail).
    package func frame(_ buffer: [UInt8], _ range: Range<Int>) -> Bool {
        if records.isEmpty { base = range.lowerBound }
        var r = ByteReader(buffer, range: range)
        guard let pathLength = r.int(), let path = r.skip(pathLength), let count = r.int() else { return false }
        let bodyStart = r.position
        let first = findings.count
        strings.removeAll(keepingCapacity: true)
        var sorted = true
        let framed = buffer.withUnsafeBufferPointer { all -> Bool in
            let shifted = UnsafeBufferPointer(rebasing: all[base...])
            for _ in 0..<count {
                guard let f = r.spilledFinding(strings: &strings, base: base, unlisted: &unlisted) else { return false }
                if sorted, let last = findings.last, findings.count > first,
                   RawFinding(f, in: shifted).comparison(with: RawFinding(last, in: shifted)) < 0 {
                    sorted = false
                }
                findings.append(f)
            }
            return true
        }
        guard framed else { findings.removeSubrange(first...); return false }
        let bodyEnd = r.position
        guard r.skipSourceLines() != nil else { return false }
        records.append(Record(path: (path.lowerBound - base)..<(path.upperBound - base), findings: first..<findings.count, body: (bodyStart - base)..<(bodyEnd - base), sorted: sorted))
        return true
    }

    /// The record's path as UTF-8 (valid: this run wrote it from a `String`). Inlined: called, its
    /// closure copied the merge's state on each record.
    @inline(__always)
    func withPath<T>(_ record: Record, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[record.path])) }
    }

    /// The record's path as a `String` (where a name is needed as one).
    func path(_ record: Record) -> String {
        withPath(record) { String(knownValidUTF8: $0) ?? String(decoding: $0, as: UTF8.self) }
    }

    /// Takes the framed records' bytes (through `end`) out of the read buffer: the batch is complete.
    package func seal(_ buffer: [UInt8], end: Int) {
        bytes = Array(buffer[base..<end])
    }
}

extension ByteReader {
    /// A spilled string's byte range (`SpilledStrings`), shifted by `-base`; `strings`: the record's so far.
    @inline(__always)
    fileprivate mutating func spilledRange(_ strings: inout [Range<Int>], base: Int) -> Range<Int>? {
        guard let ref = int() else { return nil }
        if ref > 0 { return ref <= strings.count ? strings[ref - 1] : nil }
        guard let n = int(), let range = skip(n) else { return nil }
        let shifted = (range.lowerBound - base)..<(range.upperBound - base)
        strings.append(shifted)
        return shifted
    }

    /// One finding in the spill's form framed where `spilledDiagnostics` decodes it, with the
    /// same checks (severity, fix kind, edit ranges, string numbers); nil when malformed.
    fileprivate mutating func spilledFinding(strings: inout [Range<Int>], base: Int, unlisted: inout [UnlistedFindings]) -> SpilledFinding? {
        guard let rule = spilledRange(&strings, base: base), var sev = byte() else { return nil }
        var unlistedIndex: Int32 = -1
        if sev & ByteWriter.unlistedFlag != 0 {
            guard let counts = unlistedFindings(), unlisted.count < Int32.max else { return nil }
            unlistedIndex = Int32(unlisted.count)
            unlisted.append(counts)
            sev &= ~ByteWriter.unlistedFlag
        }
        guard sev <= 2, let line = int(), let column = int(),
              int() != nil, int() != nil, let message = spilledRange(&strings, base: base), let hasFix = byte(), hasFix <= 2 else { return nil }
        if hasFix != 0 {
            guard spilledRange(&strings, base: base) != nil, let editCount = int() else { return nil }
            for _ in 0..<editCount {
                guard let lo = int(), let hi = int(), lo <= hi, let n = int(), skip(n) != nil else { return nil }
            }
        }
        return SpilledFinding(rule: rule, message: message, line: line, column: column, storedSeverity: sev, storedFix: hasFix, unlistedIndex: unlistedIndex)
    }
}

/// One path's findings as the ordered merge hands them on undecoded: a spill record's (in output
/// order) and the path's cross-file findings, merged as they are walked (`forEach`). The
/// cross-file ones are decoded (`extras`) or, from a stored result, framed (`crossFile`).
public struct SpilledGroup {
    /// The path when the group has no record (else the record's, in its batch's bytes).
    private let name: String?
    let batch: SpilledBatch
    let record: SpilledBatch.Record
    /// The path's cross-file findings, in output order.
    public let extras: [Diagnostic]
    /// The path's stored cross-file findings, in output order (then `extras` is empty).
    let crossFile: CrossFileSlice?

    init(batch: SpilledBatch, record: SpilledBatch.Record, extras: [Diagnostic] = [], crossFile: CrossFileSlice? = nil) {
        name = nil
        self.batch = batch
        self.record = record
        self.extras = extras
        self.crossFile = crossFile
    }

    /// A path with stored cross-file findings alone.
    init(path: String, crossFile: CrossFileSlice) {
        name = path
        batch = SpilledBatch.empty
        record = SpilledBatch.Record.none
        extras = []
        self.crossFile = crossFile
    }

    /// The path (made from the record's bytes when the group has a record).
    public var path: String { name ?? batch.path(record) }

    /// The path as UTF-8, read where it is (`path` makes a `String` of a record's).
    public func withPathBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard var name else { return batch.withPath(record, body) }
        name.withUTF8(body)
    }

    /// Findings in all.
    public var count: Int { record.findings.count + extras.count + (crossFile?.count ?? 0) }

    /// The record's own findings (their severities and fixes: the totals).
    public var ownFindings: ArraySlice<SpilledFinding> { batch.findings[record.findings] }

    /// Whether any finding of the group's batch is a listing-cap finding (nearly never: then the
    /// totals need not ask each finding `unlisted(_:)`).
    public var mayHaveUnlisted: Bool { !batch.unlisted.isEmpty }

    /// What the listing-cap finding `f` (of `ownFindings`) stands for; nil for any other finding.
    public func unlisted(_ f: SpilledFinding) -> UnlistedFindings? {
        f.unlistedIndex < 0 ? nil : batch.unlisted[Int(f.unlistedIndex)]
    }

    /// The framed cross-file findings (their severities and fixes: the totals).
    public var framedCrossFile: ArraySlice<SpilledFinding> { crossFile?.findings ?? [] }

    /// Every finding in output order, the record's before cross-file ones among equals (as
    /// `OrderedMerge.merging` orders them): `raw` gets a record's or a framed cross-file one,
    /// `decoded` a decoded cross-file one.
    public func forEach(raw: (RawFinding) -> Void, decoded: (UnsafePointer<Diagnostic>) -> Void) {
        batch.bytes.withUnsafeBufferPointer { bytes in
            batch.findings.withUnsafeBufferPointer { findings in
                if let crossFile {
                    forEach(own: record.findings, findings, bytes, crossFile: crossFile, raw)
                    return
                }
                extras.withUnsafeBufferPointer { extras in
                    guard let first = extras.baseAddress else {
                        for i in record.findings { raw(RawFinding(findings[i], in: bytes)) }
                        return
                    }
                    var j = 0
                    for i in record.findings {
                        let f = RawFinding(findings[i], in: bytes)
                        while j < extras.count && f.isPreceded(by: first + j) {
                            decoded(first + j)
                            j += 1
                        }
                        raw(f)
                    }
                    while j < extras.count {
                        decoded(first + j)
                        j += 1
                    }
                }
            }
        }
    }

    /// The record's findings merged with framed cross-file ones, both as bytes.
    private func forEach(own: Range<Int>, _ findings: UnsafeBufferPointer<SpilledFinding>, _ bytes: UnsafeBufferPointer<UInt8>,
                         crossFile: CrossFileSlice, _ body: (RawFinding) -> Void) {
        let crossBytes = crossFile.batch.bytes
        crossFile.batch.findings.withUnsafeBufferPointer { crossFindings in
            var j = crossFile.range.lowerBound
            let end = crossFile.range.upperBound
            for i in own {
                let f = RawFinding(findings[i], in: bytes)
                while j < end, case let x = RawFinding(crossFindings[j], in: crossBytes), x.comparison(with: f) < 0 {
                    body(x)
                    j += 1
                }
                body(f)
            }
            while j < end {
                body(RawFinding(crossFindings[j], in: crossBytes))
                j += 1
            }
        }
    }

    /// The record's findings decoded (nil when malformed: framing checked what decoding checks).
    func decodedOwn(_ recent: inout RecentStrings) -> [Diagnostic]? {
        var r = ByteReader(batch.bytes, range: record.body)
        var strings: [String] = []
        return r.spilledDiagnostics(record.findings.count, path: path, strings: &strings, recent: &recent)
    }
}
