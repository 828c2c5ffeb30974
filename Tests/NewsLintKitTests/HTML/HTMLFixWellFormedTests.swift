import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 14: fixes of the HTML rules leave the markup well-formed. Every fixed fixture (the
/// catalog's bad examples and `Fixtures/html/*.html`) is tokenized again: the tag sequence
/// after the fix is the sequence before minus the tags the fix meant to remove (balanced
/// elements, stray end tags), nothing else (`html-bare-text` only adds `<p>` and `</p>` pairs around
/// paragraphs); fixing again changes nothing.
@Suite struct HTMLFixWellFormedTests {
    static let htmlRules = Catalog.builtin.rules.filter { $0.family == "html" }.map(\.id)

    static func fixtures() throws -> [(name: String, text: String)] {
        var out: [(String, String)] = []
        for meta in Catalog.builtin.rules where meta.family == "html" {
            for (i, ex) in meta.bad.enumerated() {
                for file in ex.files { out.append(("\(meta.id) bad[\(i)]", file.text)) }
            }
        }
        let dir = PackagePaths.root.appendingPathComponent("Tests/NewsLintKitTests/Fixtures/html")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".html") {
            out.append((name, try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)))
        }
        return out
    }

    struct Tag: Equatable, CustomStringConvertible {
        var isEnd: Bool
        var name: String
        var description: String { isEnd ? "</\(name)>" : "<\(name)>" }
    }

    static func tags(_ text: String) -> [Tag] {
        let doc = Document(path: "x.html", text: text)
        let view = doc.html
        return view.tokens.filter { $0.kind == .startTag || $0.kind == .endTag }.map { Tag(isEnd: $0.kind == .endTag, name: view.tagName($0, in: doc.bytes)) }
    }

    /// The tags of `before` missing from `after` when `after` is a subsequence of `before`; nil otherwise.
    static func removed(_ before: [Tag], _ after: [Tag]) -> [Tag]? {
        var out: [Tag] = []
        var j = 0
        for tag in before {
            if j < after.count && after[j] == tag { j += 1 } else { out.append(tag) }
        }
        return j == after.count ? out : nil
    }

    /// Structural problems by kind and element name, counted.
    static func problemKeys(_ text: String) -> [String: Int] {
        let doc = Document(path: "x.html", text: text)
        let view = doc.html
        let structure = HTMLElements(view, bytes: doc.bytes)
        var out: [String: Int] = [:]
        for problem in structure.problems {
            switch problem {
            case let .strayEnd(t, _): out["stray " + view.tagName(view.tokens[t], in: doc.bytes), default: 0] += 1
            case let .unclosed(e, closer): out["unclosed " + structure.name(e) + (closer == nil ? " at end" : ""), default: 0] += 1
            }
        }
        return out
    }

    @Test(arguments: htmlRules) func fixesKeepMarkupWellFormedAndAreIdempotent(rule: String) throws {
        for (name, text) in try Self.fixtures() {
            let fixed = try RuleHarness.fixed(rule: rule, text: text, path: "x.html", unsafe: true)
            let again = try RuleHarness.fixed(rule: rule, text: fixed, path: "x.html", unsafe: true)
            #expect(again == fixed, "\(rule) on \(name): not idempotent")
            let before = Self.tags(text), after = Self.tags(fixed)
            if rule == "html-tag-unbalanced" {
                // Stray end tags go, `</br>` becomes `<br>`, end tags of elements open at the end are written there.
                let afterStructure = HTMLElements(Document(path: "x.html", text: fixed).html, bytes: Array(fixed.utf8))
                let strays = afterStructure.problems.filter { if case .strayEnd = $0 { return true } else { return false } }
                #expect(strays.isEmpty, "\(rule) on \(name): stray end tags left")
                let atEnd = afterStructure.problems.filter { if case .unclosed(_, nil) = $0 { return true } else { return false } }
                #expect(atEnd.isEmpty, "\(rule) on \(name): elements left open at the end")
                let normalized = before.map { $0 == Tag(isEnd: true, name: "br") ? Tag(isEnd: false, name: "br") : $0 }
                let beforeStructure = HTMLElements(Document(path: "x.html", text: text).html, bytes: Array(text.utf8))
                let strayCount = beforeStructure.problems.filter { if case let .strayEnd(t, _) = $0 { return Document(path: "x.html", text: text).html.tagName(Document(path: "x.html", text: text).html.tokens[t], in: Array(text.utf8)) != "br" } else { return false } }.count
                let appended = after.count - (before.count - strayCount)
                #expect(appended >= 0 && after.suffix(max(0, appended)).allSatisfy(\.isEnd), "\(rule) on \(name): \(before) → \(after)")
                let gone = Self.removed(normalized, Array(after.dropLast(max(0, appended))))
                #expect(gone != nil && gone!.allSatisfy(\.isEnd) && gone!.count == strayCount, "\(rule) on \(name): \(before) → \(after)")
                continue
            }
            if rule == "html-bare-text" {
                // Paragraphs wrapped: the tags before, `<p>` and `</p>` pairs added between them, nothing else.
                let added = Self.removed(after, before)
                #expect(added != nil && added!.allSatisfy { $0.name == "p" } && added!.filter(\.isEnd).count * 2 == added!.count,
                        "\(rule) on \(name): \(before) → \(after)")
                let problemsBefore = Self.problemKeys(text), problemsAfter = Self.problemKeys(fixed)
                for (key, count) in problemsAfter {
                    #expect(count <= problemsBefore[key, default: 0], "\(rule) on \(name): the fix added '\(key)'")
                }
                continue
            }
            guard let gone = Self.removed(before, after) else {
                Issue.record("\(rule) on \(name): the fix changed tags instead of removing them: \(before) → \(after)")
                continue
            }
            // Removing whole elements cannot add a structural problem; half an element would.
            let problemsBefore = Self.problemKeys(text), problemsAfter = Self.problemKeys(fixed)
            for (key, count) in problemsAfter {
                #expect(count <= problemsBefore[key, default: 0], "\(rule) on \(name): the fix added '\(key)' (removed \(gone))")
            }
            if rule == "html-inline-style" || rule == "html-double-escaped" { #expect(gone.isEmpty, "\(rule) on \(name) removed tags: \(gone)") }
        }
    }
}
