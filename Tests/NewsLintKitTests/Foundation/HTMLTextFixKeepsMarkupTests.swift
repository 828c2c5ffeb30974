import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Fixes of the text rules on HTML documents edit visible text only: every fix (unsafe included) of
/// every rule outside the `html` family leaves the tags, attribute values, comments, doctype and
/// script/style content byte-for-byte as they were, and a second fix changes nothing. (The `html`
/// family's fixes edit markup on purpose; `HTMLFixWellFormedTests` checks they keep it well-formed.
/// So does `archive-residue` deleting a saved Wayback capture's chrome: `WaybackChromeTests`.)
@Suite struct HTMLTextFixKeepsMarkupTests {
    /// The HTML fixtures (`Fixtures/html/`) and every catalog example with an HTML path.
    static let cases: [String] = {
        var names: [String] = []
        let dir = PackagePaths.fixtures.appendingPathComponent("html")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where Document.isHTMLPath(name) {
            names.append("fixture:\(name)")
        }
        for rule in Catalog.builtin.rules {
            guard let meta = Catalog.builtin.metadata(rule.id) else { continue }
            for (i, ex) in (meta.bad + meta.good).enumerated() where ex.files.contains(where: { Document.isHTMLPath($0.path) }) {
                // A saved Wayback capture: `archive-residue` deletes the archive's chrome, markup on
                // purpose (`WaybackChromeTests` checks the page's markup is kept well-formed).
                if ex.files.contains(where: { hasWaybackChrome($0.path, Array($0.text.utf8)) }) { continue }
                names.append("catalog:\(rule.id):\(i)")
            }
        }
        return names.sorted()
    }()

    static func hasWaybackChrome(_ path: String, _ bytes: [UInt8]) -> Bool {
        let document = Document(path: path, bytes: bytes)
        return document.isHTMLFile && !WaybackChrome.blocks(bytes, document.html).isEmpty
    }

    static func input(_ name: String) -> [(path: String, bytes: [UInt8])] {
        let parts = name.split(separator: ":").map(String.init)
        if parts[0] == "fixture" {
            let url = PackagePaths.fixtures.appendingPathComponent("html").appendingPathComponent(parts[1])
            return [(parts[1], [UInt8]((try? Data(contentsOf: url)) ?? Data()))]
        }
        guard let meta = Catalog.builtin.metadata(parts[1]), let i = Int(parts[2]) else { return [] }
        let ex = (meta.bad + meta.good)[i]
        return ex.files.filter { Document.isHTMLPath($0.path) }.map { ($0.path, ex.rawBytes ?? Array($0.text.utf8)) }
    }

    /// Every rule but the `html` family enabled with its defaults, unsafe fixes allowed, nothing written.
    static func fixAll(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = .preview(.unsafe)
        settings.filter = RuleFilter(ignore: ["html"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        return linter.lint([.text(path: path, bytes: bytes)]).files[0].fix?.fixed ?? bytes
    }

    /// Everything of the body that is not visible text, in order.
    static func markup(_ bytes: [UInt8], path: String) -> [String] {
        let document = Document(path: path, bytes: bytes)
        return document.html.tokens.filter { !$0.isVisibleText }.map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    @Test func fixturesExist() {
        #expect(Self.cases.filter { $0.hasPrefix("fixture:") }.count >= 4)
        #expect(Self.cases.contains { $0.hasPrefix("catalog:") })
    }

    @Test("fixes keep the markup and reach a fixpoint", arguments: cases)
    func fixKeepsMarkup(name: String) throws {
        for (path, bytes) in Self.input(name) {
            let fixed = try Self.fixAll(bytes, path: path)
            #expect(Self.markup(fixed, path: path) == Self.markup(bytes, path: path), "\(name): markup changed:\n\(String(decoding: fixed, as: UTF8.self))")
            let again = try Self.fixAll(fixed, path: path)
            #expect(again == fixed, "\(name): a second fix changed the text again")
        }
    }

    /// The fixtures with text defects do get fixed (the test above would pass trivially otherwise);
    /// the others (`*-like.html`) carry markup residue for the `html` family.
    @Test func fixturesAreFixedInTheirText() throws {
        let withTextDefects = ["fixture:aj.html", "fixture:dw.html", "fixture:no-front-matter.htm", "fixture:rfa.html"]
        #expect(withTextDefects.allSatisfy(Self.cases.contains))
        for name in withTextDefects {
            for (path, bytes) in Self.input(name) {
                let fixed = String(decoding: try Self.fixAll(bytes, path: path), as: UTF8.self)
                #expect(fixed != String(decoding: bytes, as: UTF8.self), "\(name) has nothing to fix")
            }
        }
        let (path, bytes) = try #require(Self.input("fixture:rfa.html").first)
        let fixed = String(decoding: try Self.fixAll(bytes, path: path), as: UTF8.self)
        #expect(fixed.contains("密歇根州是關鍵搖擺州之一，密歇根大學"))
        #expect(fixed.contains(#"data-caption="美國大選,密歇根州是關鍵搖擺州之一""#))
        #expect(fixed.contains(#"var caption = "中文,中文";"#))
    }
}
