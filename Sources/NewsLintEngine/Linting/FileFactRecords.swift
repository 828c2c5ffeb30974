import NewsLintCore

/// One file's cross-file facts as the pass's worker wrote them (`ErasedCrossFileRule.collectRecordErased`):
/// their tagged records back to back in rule order, the bytes their fact columns and the lint
/// cache keep, then an index: where each record ends (u32, little-endian, one per record) and a
/// last byte whose bit r says rule r (by index into the rule set's `crossFile`) has a record.
/// The facts used to leave the worker boxed, one existential each in an array of pairs, and were
/// copied, cast and written into these bytes at delivery (the array's pairs destroyed through the
/// runtime's generic tuple witness), and written again for the cache. One buffer a file, and one
/// reference in `FileOutcome` (an inline index made every copy of the outcome longer: +2.9 M
/// instructions of `memcpy` on a warm run). The index covers the first `capacity` cross-file
/// rules; a later rule's facts take the boxed path (`FileOutcome.facts`).
package struct FileFactRecords: Sendable {
    /// Rules whose facts can be held here (the bits of the index's last byte).
    package static let capacity = 8

    /// Empty when the file has no record.
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package var isEmpty: Bool { bytes.isEmpty }

    /// Collects one file's records as they are written into a `FactRecordWriter`.
    package struct Builder {
        /// Bit r: rule r has a record. Records are in rule order.
        private var rules: UInt8 = 0
        /// Where the k-th record ends (k counts the set bits of `rules`).
        private var ends: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)

        package init() {}

        /// Notes rule `rule`'s record, written into `writer` from `start` to its end, when
        /// anything was written there (rules in increasing order, `rule < capacity`). Returns
        /// whether one was.
        @inline(__always)
        package mutating func noteRecord(rule: Int, from start: Int, in writer: FactRecordWriter) -> Bool {
            let end = writer.bytes.count
            guard end > start else { return false }
            // A file's facts are a few hashes and lines, far below 4 GB.
            precondition(end <= Int(UInt32.max) && rule < FileFactRecords.capacity && rules >> rule == 0,
                         "a fact record out of rule order or of 4 GB")
            let k = rules.nonzeroBitCount
            withUnsafeMutableBytes(of: &ends) { $0.storeBytes(of: UInt32(truncatingIfNeeded: end).littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
            rules |= 1 << rule
            return true
        }

        /// The records in `writer` with their index appended (empty when there are none); takes
        /// `writer`'s bytes (a copy would have copied them again when the index was appended).
        package func seal(_ writer: inout FactRecordWriter) -> FileFactRecords {
            var records = FileFactRecords()
            guard rules != 0 else { return records }
            let k = rules.nonzeroBitCount
            withUnsafeBytes(of: ends) { writer.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<(4 * k)])) }
            writer.bytes.append(rules)
            swap(&records.bytes, &writer.bytes)
            return records
        }
    }

    /// One file's facts as the pass collects them, rule by rule: records written (`Builder`), and
    /// the facts that have none (no record form, or a rule past `capacity`) kept boxed.
    package struct Collector {
        private var writer: FactRecordWriter
        private var index = Builder()
        /// Facts without a record, in rule order (`FileOutcome.boxedFacts`).
        package private(set) var boxed: [(rule: Int, fact: any Sendable)] = []
        /// The lines cross-file findings would point at, where the records' facts say (kept only
        /// with `capturingLines`).
        package private(set) var quotedLines: [Int] = []
        private let capturingLines: Bool

        /// `reservingCapacity`: the records' buffer (0: none until a record is written).
        package init(reservingCapacity capacity: Int, capturingLines: Bool) {
            writer = FactRecordWriter(reservingCapacity: capacity)
            self.capturingLines = capturingLines
        }

        /// Collects `rule`'s fact of `document` (rules in increasing `ruleIndex`). Generic, with the
        /// environment in place: an existential argument and a by-value environment were copied for
        /// each call (+13 M instructions a cold agora run).
        @inline(__always)
        package mutating func collect(_ rule: some ErasedCrossFileRule, index ruleIndex: Int, document: Document,
                                      environment: inout LintEnvironment) {
            guard ruleIndex < FileFactRecords.capacity else {
                if let fact = rule.collectErased(document, environment: environment) { boxed.append((ruleIndex, fact)) }
                return
            }
            var line: Int?
            let start = writer.bytes.count
            rule.collectRecordErased(document, environment: environment, index: ruleIndex, into: &writer, quotedLine: &line, unrecorded: &boxed)
            if index.noteRecord(rule: ruleIndex, from: start, in: writer), capturingLines, let line { quotedLines.append(line) }
        }

        /// The records written, with their index (empty when there are none).
        package mutating func records() -> FileFactRecords {
            writer.bytes.isEmpty ? FileFactRecords() : index.seal(&writer)
        }
    }

    /// A file's facts in the form its cache entry stores, in rule order: the records as written,
    /// and the boxed facts (`FileOutcome.boxedFacts`, in rule order) encoded by `encode`; nil when
    /// one of those cannot be encoded (the file is then not cached).
    package static func cacheForm(records: FileFactRecords, boxed: [(rule: Int, fact: any Sendable)],
                                  encode: (_ rule: Int, _ fact: any Sendable) -> [UInt8]?) -> [(rule: Int, bytes: ArraySlice<UInt8>)]? {
        var out: [(rule: Int, bytes: ArraySlice<UInt8>)] = []
        var rest = boxed[...]
        var encodable = true
        func encodeBoxed(before rule: Int) {
            while let f = rest.first, f.rule < rule {
                rest = rest.dropFirst()
                guard let bytes = encode(f.rule, f.fact) else { encodable = false; continue }
                out.append((f.rule, bytes[...]))
            }
        }
        records.forEach { rule, bytes in
            encodeBoxed(before: rule)
            out.append((rule, bytes))
        }
        encodeBoxed(before: Int.max)
        return encodable ? out : nil
    }

    /// Each fact's rule index and tagged record, in rule order.
    package func forEach(_ body: (_ rule: Int, _ record: ArraySlice<UInt8>) -> Void) {
        guard let rules = bytes.last else { return }
        let k = rules.nonzeroBitCount
        guard bytes.count >= 1 + 4 * k else { return }
        let indexStart = bytes.count - 1 - 4 * k
        var remaining = rules
        var start = 0, at = indexStart
        while remaining != 0 {
            let rule = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            let end = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
            at += 4
            guard start <= end, end <= indexStart else { return }
            body(rule, bytes[start..<end])
            start = end
        }
    }

    /// The entries as (rule, record) pairs, the form cache hits carry (`FileOutcome.cachedFacts`).
    package var pairs: [(rule: Int, bytes: ArraySlice<UInt8>)] {
        var out: [(rule: Int, bytes: ArraySlice<UInt8>)] = []
        forEach { out.append(($0, $1)) }
        return out
    }
}
