import Foundation
import Testing
@testable import NewsLintCore

/// Session 40: a document's HTML tokens, attributes, elements, blocks and prose units, and its
/// scalar decode's line starts, are written into storage the last documents gave back
/// (`HTMLStorage`, `ProseUnitStorage`, `LineStartStorage`). Each view equals the same view of a
/// second document of the same bytes built while the first is held (so the two never share kept
/// storage: left-over entries of an earlier file would make them differ), the tokenizer's
/// byte-by-byte reference, and the line starts counted from the bytes; documents held across
/// later ones keep their views (compared with element-wise copies made when they were built).
@Suite struct PooledHTMLStorageTests {
    /// A view's values as plain tuples, copied element by element (never sharing the view's storage).
    struct Snapshot: Equatable {
        var tokens: [HTMLToken]
        var attributes: [HTMLAttribute]
        var elements: [[Int]]
        var blocks: [HTMLView.BlockRange]
        var units: [[Int]]
        var scalarLines: [Int]

        init(_ document: Document) {
            tokens = document.isHTMLFile ? document.html.tokens.map { $0 } : []
            attributes = document.isHTMLFile ? document.html.attributes.map { $0 } : []
            elements = document.isHTMLFile ? document.htmlElements.elements.map { [$0.start, $0.end ?? -1, $0.parent ?? -1, Int($0.packedName)] } : []
            blocks = document.isHTMLFile ? document.htmlBlockRanges.map { $0 } : []
            units = document.proseUnits().map { [$0.line, $0.range.lowerBound, $0.range.upperBound] }
            scalarLines = document.scalars.lineStarts.map { $0 }
        }
    }

    @Test func viewsInKeptStorageAreTheFreshOnes() {
        var rng = SeededRandom(seed: 40)
        var held: [(Document, Snapshot)] = []
        var htmlRounds = 0
        for round in 0..<400 {
            var bytes = PooledDocumentStorageTests.randomText(&rng)
            if round % 11 == 5 { bytes = [] }
            let path = round % 3 == 0 ? "a.md" : "a.html"
            let document = Document(path: path, bytes: bytes)
            let snapshot = Snapshot(document)
            let second = Document(path: path, bytes: bytes)
            #expect(Snapshot(second) == snapshot, "round \(round)")
            if document.isHTMLFile {
                htmlRounds += 1
                let reference = HTMLView(bytes: bytes, range: document.bodyStart..<bytes.count, skipsText: false)
                #expect(reference.tokens == snapshot.tokens && reference.attributes == snapshot.attributes, "round \(round)")
            }
            // The scalar index of each line start: the scalars of the lines before it, each decoded
            // alone (a line ends at an ASCII line feed, which no sequence continues across).
            let decode = document.scalars
            var counted: [Int] = []
            var before = 0
            for (n, start) in document.lineStarts.enumerated() {
                counted.append(before)
                let end = n + 1 < document.lineStarts.count ? document.lineStarts[n + 1] : bytes.count
                before += ScalarDecode(Array(bytes[start..<end]), lineStarts: [0], isValidUTF8: nil).cps.count
            }
            #expect(decode.lineStarts == counted, "round \(round)")
            if round % 9 == 0 { held.append((document, snapshot)) }
        }
        #expect(htmlRounds > 200)
        for (document, snapshot) in held { #expect(Snapshot(document) == snapshot, "a held document's views were overwritten") }
    }

    /// A finished HTML document's tokens are kept for the next one (tried until one round sees it:
    /// tests running alongside share the pool).
    @Test func aFinishedDocumentsTokensAreKept() {
        #expect(HTMLStorage.tokens.receivesStorage(of: { Document(path: "k.html", text: "<p>中文</p>\n<div>字</div>\n") }, { $0.html.tokens }))
    }
}
