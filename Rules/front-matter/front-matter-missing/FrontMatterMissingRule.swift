import NewsLintCore

/// `front-matter-missing`: the file does not start with a front-matter block.
public struct FrontMatterMissingRule: Rule, RuleWithOptions {
    public static let id = "front-matter-missing"

    /// Repository files that are not articles (a site's README is copied as a static file).
    package let ignoreFiles: [Glob]

    public struct Options: Decodable, Sendable { var ignoreFiles: [String] }

    public init(options: RuleOptions) throws {
        ignoreFiles = try Self.decodeOptions(options).ignoreFiles.map(Glob.init)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.frontMatter == nil else { return }
        if !ignoreFiles.isEmpty {
            let name = document.path.split(separator: "/").last.map(String.init) ?? document.path
            if ignoreFiles.contains(where: { $0.matches(name) }) { return }
        }
        if document.bytes.isEmpty {
            sink.report(line: 1, "file is empty; expected front matter and an article")
            return
        }
        if FrontMatterMalformedRule.misplacedBlock(in: document) != nil { return } // reported as malformed
        sink.report(line: 1, "file has no front matter (expected a '---' block at the top, e.g. with title and date)",
                    fix: MetadataHarvest.fix(for: document))
    }
}
