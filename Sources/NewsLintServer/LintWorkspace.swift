import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// The server's view of the project: which `.lint.json` applies to a file (the same resolution
/// as the command line, via `ConfigResolver`) and one `Linter` per configuration, built on first
/// use and dropped on reload. Documents are linted as `lint -` lints stdin: `Linter.process`
/// with a `.text` input named by the file's path, so rules, overrides, suppressions and caps
/// behave exactly as on the command line. Confined to the server's queue.
package final class LintWorkspace {
    package let root: String
    package private(set) var resolver: ConfigResolver
    private var linters: [Int: Linter] = [:]
    /// Configuration problems met since the last reload (shown to the user once each).
    package private(set) var problems: [String] = []
    private var reported = 0

    package init(root: String) {
        self.root = root
        (resolver, problems) = Self.makeResolver(root)
    }

    private static func makeResolver(_ root: String) -> (ConfigResolver, [String]) {
        do {
            return (try ConfigResolver(hierarchicalFrom: root, catalog: .builtin), [])
        } catch {
            let messages = (error as? ConfigError)?.all.map { "\($0)" } ?? ["\(error)"]
            return (ConfigResolver(fixed: Configuration(directory: root), catalog: .builtin), messages)
        }
    }

    /// Forgets every configuration (a `.lint.json` changed).
    package func reload() {
        (resolver, problems) = Self.makeResolver(root)
        reported = 0
        linters = [:]
    }

    /// Problems not yet shown.
    package func takeNewProblems() -> [String] {
        let all = problems + resolver.errors.map { "\($0)" }
        defer { reported = all.count }
        return Array(all.dropFirst(reported))
    }

    /// The absolute path the engine sees for a document (untitled buffers lint as files in the root).
    package func location(uri: String) -> String {
        if let path = FileURI.path(uri) { return PathResolver.standardized(path) }
        let name = uri.split(separator: "/").last.map(String.init) ?? "untitled"
        return root + "/" + name.replacingOccurrences(of: ":", with: "-")
    }

    package func linter(forFile location: String) -> Linter {
        let index = resolver.index(forDirectory: PathComponents.deletingLastComponent(location))
        if let known = linters[index] { return known }
        var settings = LintSettings()
        settings.jobs = 1
        settings.baseDirectory = root
        let config = resolver.configurations[index]
        let linter: Linter
        do {
            linter = try Linter(catalog: resolver.catalog, config: config, settings: settings)
        } catch {
            problems.append("\(config.file ?? "configuration"): \(error)")
            // The defaults still lint; the problem is shown to the user.
            linter = (try? Linter(catalog: .builtin, config: Configuration(directory: config.directory), settings: settings))
                ?? { fatalError("the built-in defaults do not build: \(error)") }()
        }
        linters[index] = linter
        return linter
    }

    /// Whether a document is one newslint reads: Markdown, HTML or text by language or extension,
    /// and not excluded by its configuration.
    package func shouldLint(location: String, languageID: String) -> Bool {
        if location.hasSuffix("/" + Configuration.fileName) { return false }
        let linter = linter(forFile: location)
        let ext = "." + PathComponents.pathExtension(location).lowercased()
        let known = ["markdown", "html", "plaintext", "text", "txt"].contains(languageID.lowercased())
        guard known || linter.config.extensions.contains(ext) || ext == ".html" || ext == ".htm" else { return false }
        return linter.config.excludingPattern(location) == nil
    }

    /// Per-file diagnostics for one document's text: the stdin path of the engine.
    package func lint(location: String, bytes: [UInt8]) -> [Diagnostic] {
        linter(forFile: location).process(.text(path: location, bytes: bytes)).diagnostics
    }

    /// All safe fixes applied to a fixpoint, with the engine's fixer and the file's rules.
    package func fixAllSafe(location: String, bytes: [UInt8]) -> [UInt8] {
        let linter = linter(forFile: location)
        let rules = linter.rules(for: location)
        let document = Document(path: location, bytes: bytes)
        let initial = linter.check(document, rules: rules)
        return Fixer.fix(document: document, initial: initial, allowed: .safe) { linter.check($0, rules: rules) }.bytes
    }
}

/// Cross-file rules over the whole workspace (open documents as the editor has them, the rest
/// from disk), as `newslint lint ROOT` runs them; builds its own resolver so it can run on a
/// background queue while the server keeps answering.
package enum WorkspaceCrossFile {
    /// Keyed by path bytes: two files whose names differ only in Unicode normalization stay apart.
    package static func run(root: String, openDocuments: [String: [UInt8]]) throws -> [PathKey: [Diagnostic]] {
        let resolver = try ConfigResolver(hierarchicalFrom: root, catalog: .builtin)
        var discovery = FileDiscovery(config: resolver.root, base: root)
        discovery.resolver = resolver
        discovery.respectIgnoreFiles = true
        let found = discovery.expand([root]).files.map { PathResolver.absolute($0, base: root) }
        var inputs: [LintInput] = []
        var seen = Set<PathKey>()
        for path in found {
            let location = PathResolver.standardized(path)
            seen.insert(PathKey(location))
            inputs.append(openDocuments[exactPath: location].map { .text(path: location, bytes: $0) } ?? .file(location))
        }
        for (location, bytes) in openDocuments.sorted(by: { $0.key.bytesPrecede($1.key) }) where !seen.contains(PathKey(location))
            && location.hasPrefix(root.hasSuffix("/") ? root : root + "/") && resolver.root.isIncluded(location) {
            inputs.append(.text(path: location, bytes: bytes))
        }
        var settings = LintSettings()
        settings.jobs = 1
        settings.baseDirectory = root
        let linter = try Linter(catalog: resolver.catalog, config: resolver.root, settings: settings, configurations: resolver.snapshot())
        guard !linter.baseRules.crossFile.isEmpty else { return [:] }
        let run = linter.lintStreaming(inputs) { _ in }
        let completed = linter.completing(run.crossFile, problems: [], inMemory: openDocuments, base: root)
        var byFile: [PathKey: [Diagnostic]] = [:]
        for d in completed.diagnostics { byFile[PathKey(PathResolver.absolute(d.path, base: root)), default: []].append(d) }
        return byFile
    }
}
