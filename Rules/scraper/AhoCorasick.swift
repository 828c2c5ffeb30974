import NewsLintCore

/// A byte-level Aho-Corasick automaton compiled to a dense DFA (256 transitions per state).
///
/// Built once per rule (pattern packs are data); scanning a line is one table lookup per
/// byte, independent of the number of patterns. Patterns are UTF-8 byte strings, so a match
/// can never start or end inside a multi-byte character of a well-formed line.
public struct AhoCorasick: Sendable {
    /// `delta[state << 8 | byte]` is the next state times 2, plus 1 when that state has outputs:
    /// scanning a byte is one load (reading each state's output list to see that it is empty was
    /// a second, dependent load into another heap object per byte).
    private let delta: [Int32]
    /// Literal ids ending at each state (own outputs plus those of its dictionary suffix links).
    private let outputs: [[Int32]]
    /// Byte length of each literal.
    public let lengths: [Int]

    public init(_ literals: [[UInt8]]) {
        // One flat table from the start: a nested array per state made building the automaton
        // the largest part of the boilerplate rule's startup. -1 marks a missing trie edge until
        // the failure links fill it in.
        var delta = [Int32](repeating: -1, count: 256)
        var out: [[Int32]] = [[]]
        for (id, lit) in literals.enumerated() where !lit.isEmpty {
            var s = 0
            for b in lit {
                let next = delta[s << 8 | Int(b)]
                if next >= 0 {
                    s = Int(next)
                } else {
                    let added = out.count
                    delta.append(contentsOf: repeatElement(-1, count: 256))
                    out.append([])
                    delta[s << 8 | Int(b)] = Int32(added)
                    s = added
                }
            }
            out[s].append(Int32(id))
        }
        // Breadth-first: resolve failure links into full transitions.
        var fail = [Int](repeating: 0, count: out.count)
        var queue: [Int] = []
        queue.reserveCapacity(out.count)
        for b in 0..<256 {
            let t = delta[b]
            if t >= 0 { queue.append(Int(t)); fail[Int(t)] = 0 } else { delta[b] = 0 }
        }
        delta.withUnsafeMutableBufferPointer { d in
            var head = 0
            while head < queue.count {
                let s = queue[head]
                head += 1
                let f = fail[s]
                out[s].append(contentsOf: out[f])
                for b in 0..<256 {
                    let t = d[s << 8 | b]
                    if t >= 0 {
                        fail[Int(t)] = Int(d[f << 8 | b])
                        queue.append(Int(t))
                    } else {
                        d[s << 8 | b] = d[f << 8 | b]
                    }
                }
            }
        }
        self.delta = delta.map { $0 << 1 | (out[Int($0)].isEmpty ? 0 : 1) }
        outputs = out
        lengths = literals.map(\.count)
    }

    /// Calls `found(literalID, start, end)` for every occurrence in `bytes[range]` (overlaps included).
    public func scan(_ bytes: [UInt8], _ range: Range<Int>, _ found: (Int, Int, Int) -> Void) {
        bytes.withUnsafeBufferPointer { buf in
            delta.withUnsafeBufferPointer { d in
                var s = 0
                var i = range.lowerBound
                while i < range.upperBound {
                    let next = Int(d[s << 8 | Int(buf[i])])
                    s = next >> 1
                    i += 1
                    if next & 1 != 0 {
                        for id in outputs[s] {
                            let n = lengths[Int(id)]
                            found(Int(id), i - n, i)
                        }
                    }
                }
            }
        }
    }
}
