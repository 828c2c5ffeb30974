import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The catalog moved from one JSON file per rule (examples as escaped strings) to one folder per
/// rule (examples as plain files). `Fixtures/catalog-examples-before.tsv` lists a digest of every
/// example as the old JSON held it; the folders must still hold every one of them.
@Suite struct CatalogConversionTests {
    /// One line per example: rule id, kind, and a hash of everything the example test uses
    /// (file paths and bytes, options, expected diagnostics, fixed text, unsafe flag). Files of a
    /// cross-file example are hashed in path order: a folder has no order of its own.
    static func digest(id: String, kind: String, _ ex: RuleExample) -> String {
        var s = kind + "\u{1}"
        for f in ex.files.sorted(by: { $0.path < $1.path }) { s += f.path + "\u{2}" + f.text + "\u{1}" }
        s += ex.rawBytes.map { Data($0).base64EncodedString() } ?? ""
        s += "\u{1}" + ex.options.keys.sorted().map { "\($0)=\(ex.options[$0].map { $0.serialized() } ?? "")" }.joined(separator: ",")
        s += "\u{1}" + ex.expected.map(\.description).sorted().joined(separator: ",")
        s += "\u{1}" + (ex.fixed ?? "<none>") + "\u{1}\(ex.unsafe)"
        return "\(id)\t\(kind)\t\(StableHash.hex(StableHash.fnv1a64(s)))"
    }

    static func digests(_ catalog: Catalog) -> [String] {
        catalog.rules.flatMap { r in
            r.good.map { digest(id: r.id, kind: "good", $0) } + r.bad.map { digest(id: r.id, kind: "bad", $0) }
        }.sorted()
    }

    static let fixture = PackagePaths.fixtures.appendingPathComponent("catalog-examples-before.tsv")

    @Test func everyExampleOfTheOldCatalogIsStillThere() throws {
        let before = try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        var after: [String: Int] = [:]
        for d in Self.digests(.builtin) { after[d, default: 0] += 1 }
        var missing: [String] = []
        for d in before {
            if let n = after[d], n > 0 { after[d] = n - 1 } else { missing.append(d) }
        }
        // The digests no old example matched: what a changed example is now.
        let unmatched = after.filter { $0.value > 0 }.keys.sorted()
        #expect(missing.isEmpty, "examples of the old catalog missing or changed: \(missing); not in the old catalog: \(unmatched)")
    }
}
