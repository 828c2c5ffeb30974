import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Faster forms from issue 16 (session 7) against the plain forms they replaced: the tag tables
/// of `HTMLElements`, `HTMLView.tagName` without an array per tag, and the title separator search
/// in one walk (`TitleSplits`, tested against `plainFind` in `TitleBytesEquivalenceTests`).
@Suite struct TagAndSeparatorEquivalenceTests {

    /// Every name of the sets, and names in none, answer from the tables as from the sets.
    @Test func tagTablesAnswerLikeTheNameSets() {
        typealias E = HTMLElements
        let tables = TagTables.shared
        var names = E.voidElements.union(E.optionalEnd).union(E.closesParagraph).union(E.scopeBoundaries)
            .union(E.paragraphBoundaries).union(E.formatting).union(E.closedBySibling.keys).union(E.endTagScope.keys)
        names.formUnion(["span", "my-widget", "", "P", "svg", "math", "button"])
        func contains(_ mask: TagMask, _ name: String) -> Bool { mask & (tables.info[name] ?? tables.unknown).bit != 0 }
        let everyName = names.union(tables.searched)
        for name in names {
            let info = tables.info[name] ?? tables.unknown
            #expect(info.isVoid == E.voidElements.contains(name), "\(name)")
            #expect(info.hasOptionalEnd == E.optionalEnd.contains(name), "\(name)")
            #expect(info.closesParagraph == E.closesParagraph.contains(name), "\(name)")
            let endScope = E.endTagScope[name] ?? (name == "p" ? E.paragraphBoundaries : E.scopeBoundaries)
            for other in everyName { #expect(contains(info.endBoundaries, other) == endScope.contains(other), "\(name) \(other)") }
            if let rule = E.closedBySibling[name] {
                #expect(info.sibling >= 0)
                let masks = tables.sibling[Int(info.sibling)]
                for other in everyName {
                    #expect(contains(masks.closes, other) == rule.closes.contains(other), "\(name) \(other)")
                    #expect(contains(masks.boundaries, other) == (E.siblingBoundaries[name] ?? []).contains(other), "\(name) \(other)")
                }
            } else {
                #expect(info.sibling == -1)
            }
        }
        // The two bytes and the unpacked name's index kept per element fit in its padding beside the
        // name's key (session 17); since session 33 it holds no String and is plain data.
        #expect(MemoryLayout<HTMLElements.Element>.stride == MemoryLayout<(Int, Int?, Int?, UInt64)>.stride)
        #expect(_isPOD(HTMLElements.Element.self))
        for other in everyName {
            #expect(contains(tables.paragraph, other) == (other == "p"))
            #expect(contains(tables.paragraphBoundaries, other) == E.paragraphBoundaries.contains(other))
        }
    }

    @Test func tagNameEqualsTheMappedDecode() {
        var random = SeededRandom(seed: 7)
        let alphabet: [UInt8] = Array("aZdivSPANh1-_:".utf8) + [0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xFF, 0x80]
        for _ in 0..<3_000 {
            let bytes = (0..<random.below(40)).map { _ in alphabet[random.below(alphabet.count)] }
            let token = HTMLToken(kind: .startTag, range: 0..<bytes.count, name: 0..<bytes.count, selfClosing: false, attributeIndices: 0..<0)
            let plain = String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            #expect(view.tagName(token, in: bytes) == plain)
            #expect(Array(view.tagName(token, in: bytes).utf8) == Array(plain.utf8))
        }
    }

    /// The search as it was: each separator's first (last) occurrence, then the earliest (latest), longest.
    static func plainFind(_ t: [UInt8], _ seps: [[UInt8]], last: Bool) -> Range<Int>? {
        var best: Range<Int>?
        for sep in seps where !sep.isEmpty && sep.count <= t.count {
            var i = last ? t.count - sep.count : 0
            while last ? i >= 0 : i + sep.count <= t.count {
                if t[i] == sep[0] && t[i..<(i + sep.count)].elementsEqual(sep) {
                    let r = i..<(i + sep.count)
                    if let b = best {
                        if last ? r.lowerBound > b.lowerBound || (r.lowerBound == b.lowerBound && r.count > b.count)
                                : r.lowerBound < b.lowerBound || (r.lowerBound == b.lowerBound && r.count > b.count) { best = r }
                    } else { best = r }
                    break
                }
                i += last ? -1 : 1
            }
        }
        return best
    }
}
