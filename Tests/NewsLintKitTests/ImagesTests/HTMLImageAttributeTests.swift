import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `HTMLImageScanner.links(of:)` reads each attribute's name once a pass (issue 16, session 23):
/// the same links as the lookups it replaced, on random `<img>` and `<picture><source>` tags.
struct HTMLImageAttributeTests {

    /// Each name's role against the lists the scanner documents, in any letter case.
    @Test func rolesMatchTheAttributeLists() {
        let names = HTMLImageScanner.singleURLAttributes + HTMLImageScanner.candidateListAttributes + ["alt", "width", "height", "class",
            "decoding", "loading", "data-srcsets", "data-origin", "srcse", "sr", "data-lazy-sr", "title", "style"]
        for name in names {
            for spelled in [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst()] {
                let bytes = Array(spelled.utf8)
                let role = HTMLImageScanner.attributeRole(bytes, 0..<bytes.count)
                #expect((role & HTMLImageScanner.singleURL != 0) == HTMLImageScanner.singleURLAttributes.contains(name), "\(spelled)")
                #expect((role & HTMLImageScanner.candidateList != 0) == HTMLImageScanner.candidateListAttributes.contains(name), "\(spelled)")
                #expect((role & HTMLImageScanner.alt != 0) == (name == "alt"), "\(spelled)")
                let lazyIndex = HTMLImageScanner.lazyAttributes.firstIndex(of: name)
                #expect((role & HTMLImageScanner.lazy != 0) == (lazyIndex != nil), "\(spelled)")
                if let lazyIndex { #expect(Int(role >> 4) == lazyIndex, "\(spelled)") }
            }
        }
    }

    /// The links as the scanner found them before: each lazy attribute and the alt text looked up
    /// by name (`attributeValue`), each attribute compared with every listed name (the links made
    /// from the sources as the scanner makes them).
    static func referenceLinks(of token: HTMLToken, isImg: Bool, view: HTMLView, bytes: [UInt8]) -> [ImageLink] {
        var sources: [Range<Int>] = []
        // A lazy attribute counts when it has a value that is not blank (a blank one loads nothing).
        let hasLazy = HTMLImageScanner.lazyAttributes.contains {
            view.attributeValue(token, named: $0, in: bytes).map { !HTMLImageScanner.isBlank(bytes, $0) } ?? false
        }
        var sawAttribute = false
        for attribute in view.attributes(of: token) {
            let name = attribute.name
            if isImg, HTMLImageScanner.singleURLAttributes.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, name, $0.utf8) }) {
                sawAttribute = true
                let value = attribute.value ?? (name.upperBound..<name.upperBound)
                if hasLazy && HTMLImageScanner.isBlank(bytes, value) { continue }
                sources.append(value)
            } else if HTMLImageScanner.candidateListAttributes.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, name, $0.utf8) }) {
                sawAttribute = true
                guard let value = attribute.value else { continue }
                sources += HTMLImageScanner.candidateURLs(bytes, value)
            }
        }
        var alt: Range<Int>?
        if isImg {
            for attribute in view.attributes(of: token) where HTMLView.equalsIgnoringASCIICase(bytes, attribute.name, "alt".utf8) {
                alt = attribute.value ?? (attribute.name.upperBound..<attribute.name.upperBound)
                break
            }
        }
        return HTMLImageScanner.imageLinks(of: token, isImg: isImg, sources: sources, sawAttribute: sawAttribute, alt: alt)
    }

    @Test func linksEqualTheLookups() {
        var random = SeededRandom(seed: 23)
        let names = ["src", "SRC", "data-src", "Data-Src", "data-original", "data-lazy-src", "srcset", "data-srcset", "alt", "ALT",
                     "width", "height", "class", "loading", "data-srcsets", "title"]
        let values = ["", " ", "a.jpg", "\"\"", "\" \"", "\"a.jpg 1x, b.jpg 2x\"", "'c.png'", "\"d.jpg?w=1,2 300w\"", "\"圖\""]
        var tags = 0, links = 0
        for _ in 0..<3_000 {
            var html = ""
            for _ in 0..<(1 + random.below(3)) {
                var attributes = ""
                for _ in 0..<random.below(6) {
                    let name = names[random.below(names.count)]
                    let value = values[random.below(values.count)]
                    attributes += random.below(5) == 0 ? " \(name)" : " \(name)=\(value.isEmpty ? "\"\"" : value)"
                }
                switch random.below(3) {
                case 0: html += "<picture><source\(attributes)><img\(attributes)></picture>"
                case 1: html += "<p>文字<img\(attributes)/></p>"
                default: html += "<source\(attributes)><IMG\(attributes)>"
                }
            }
            let document = Document(path: "a.html", text: "<html><body>\(html)</body></html>\n")
            let view = document.html
            let bytes = document.bytes
            // The whole scan (one scratch source list and one link list for every tag) is the
            // reference links of each `<img>` and each `<source>` inside `<picture>`, in order.
            var expected: [ImageLink] = [], pictureDepth = 0
            for token in view.tokens where token.kind == .startTag || token.kind == .endTag {
                let key = TagNameKey.of(bytes, token.name)
                if key == TagTables.packedName("picture") {
                    pictureDepth = token.kind == .startTag ? pictureDepth + 1 : max(0, pictureDepth - 1)
                } else if token.kind == .startTag, key == TagTables.packedName("img") || (pictureDepth > 0 && key == TagTables.packedName("source")) {
                    expected += Self.referenceLinks(of: token, isImg: key == TagTables.packedName("img"), view: view, bytes: bytes)
                }
            }
            #expect(HTMLImageScanner.scan(document) == expected, "\(html)")
            for token in view.tokens where token.kind == .startTag {
                let key = TagNameKey.of(bytes, token.name)
                guard key == TagTables.packedName("img") || key == TagTables.packedName("source") else { continue }
                let isImg = key == TagTables.packedName("img")
                let found = HTMLImageScanner.links(of: token, isImg: isImg, view: view, bytes: bytes)
                #expect(found == Self.referenceLinks(of: token, isImg: isImg, view: view, bytes: bytes), "\(html)")
                tags += 1
                links += found.count
            }
        }
        #expect(tags > 3_000 && links > 3_000, "\(tags) tags, \(links) links")
    }
}
