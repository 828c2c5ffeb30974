import NewsLintCore

/// A byte-level Aho-Corasick automaton compiled to a dense DFA (256 transitions per state).
///
/// Built once per rule (pattern packs are data); scanning a line is one table lookup per
/// byte, independent of the number of patterns. Patterns are UTF-8 byte strings, so a match
/// can never start or end inside a multi-byte character of a well-formed line.
public struct AhoCorasick: Sendable {
    /// `delta[state << 8 | byte]` is the next state.
    private let delta: [Int32]
    /// Literal ids ending at each state (own outputs plus those of its dictionary suffix links).
    private let outputs: [[Int32]]
    /// Byte length of each literal.
    public let lengths: [Int]

    public init(_ literals: [[UInt8]]) {
        var goto: [[Int32]] = [[Int32](repeating: -1, count: 256)]
        var out: [[Int32]] = [[]]
        for (id, lit) in literals.enumerated() where !lit.isEmpty {
            var s = 0
            for b in lit {
                let next = goto[s][Int(b)]
                if next >= 0 {
                    s = Int(next)
                } else {
                    goto.append([Int32](repeating: -1, count: 256))
                    out.append([])
                    goto[s][Int(b)] = Int32(goto.count - 1)
                    s = goto.count - 1
                }
            }
            out[s].append(Int32(id))
        }
        // Breadth-first: resolve failure links into full transitions.
        var fail = [Int](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for b in 0..<256 {
            let t = goto[0][b]
            if t >= 0 { queue.append(Int(t)); fail[Int(t)] = 0 } else { goto[0][b] = 0 }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            out[s].append(contentsOf: out[fail[s]])
            for b in 0..<256 {
                let t = goto[s][b]
                if t >= 0 {
                    fail[Int(t)] = Int(goto[fail[s]][b])
                    queue.append(Int(t))
                } else {
                    goto[s][b] = goto[fail[s]][b]
                }
            }
        }
        var flat = [Int32](repeating: 0, count: goto.count * 256)
        for (s, row) in goto.enumerated() {
            for b in 0..<256 { flat[s << 8 | b] = row[b] }
        }
        delta = flat
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
                    s = Int(d[s << 8 | Int(buf[i])])
                    i += 1
                    let o = outputs[s]
                    if !o.isEmpty {
                        for id in o {
                            let n = lengths[Int(id)]
                            found(Int(id), i - n, i)
                        }
                    }
                }
            }
        }
    }
}
