import Foundation
import NewsLintCore

/// `image-link-broken` (per-file part): syntax, empty sources, bad URLs, undefined
/// references and missing local files. Remote URLs are checked by `ImageLinkOnlineRule`
/// in online mode, once per unique URL across the corpus.
public struct ImageLinkBrokenRule: Rule {
    public static let id = "image-link-broken"
    package let schemes: Set<String>
    package let checkLocal: Bool

    public init(options: RuleOptions) throws {
        let list = options.strings("schemes", ["http", "https", "data"]).map { $0.lowercased() }
        for s in list where s.isEmpty || !s.utf8.allSatisfy({ ImageSource.isAlpha($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) {
            throw RuleOptionError(option: "schemes", message: "'\(s)' is not a URL scheme")
        }
        schemes = Set(list)
        checkLocal = options.bool("checkLocal", true)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let links = ImageScanner.scan(document)
        guard !links.isEmpty else { return }
        let env = sink.environment
        let location = env.location(of: document.path)
        let directory = location.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        var reportedSources = Set<Int>() // a reference definition used by several images is reported once
        for (i, link) in links.enumerated() {
            if sink.budgetSpent(step: i + 1) { return }
            if let problem = link.syntaxProblem {
                sink.report(link.range, problem)
                continue
            }
            guard let src = link.source else {
                sink.report(link.range, "image has no source")
                continue
            }
            let text = ImageSource.text(document.bytes[src], html: link.kind == .html)
            let shown = String(decoding: text, as: UTF8.self)
            let at = src.isEmpty ? link.range : src
            switch ImageSource.classify(text, schemes: schemes, spacesAllowed: link.kind == .html || (src.lowerBound > 0 && document.bytes[src.lowerBound - 1] == 0x3C)) {
            case let .broken(message):
                if reportedSources.insert(at.lowerBound).inserted { sink.report(at, message) }
            case let .local(path, rooted):
                guard checkLocal else { continue }
                if rooted {
                    // Without configured roots a site-absolute path cannot be resolved: not checked.
                    guard !env.images.roots.isEmpty else { continue }
                    if !env.images.roots.contains(where: { env.probe.fileExists(($0.hasSuffix("/") ? String($0.dropLast()) : $0) + path) }),
                       reportedSources.insert(at.lowerBound).inserted {
                        sink.report(at, "local image '\(shown)' not found under the image roots")
                    }
                } else if !env.probe.fileExists(directory + "/" + path), reportedSources.insert(at.lowerBound).inserted {
                    sink.report(at, "local image '\(shown)' does not exist")
                }
            case .remote, .data, .skip:
                continue
            }
        }
    }
}

/// `image-link-broken` (online part): remote images that answer 4xx/5xx, loop or time out.
/// Collects each file's remote sources only in online mode; `finish` checks every unique
/// URL once through the environment's `URLChecker` (bounded concurrency, per-host limit, cache).
public struct ImageLinkOnlineRule: CrossFileRule {
    public static let id = "image-link-broken"
    public struct RemoteImage: Codable, Sendable, Equatable {
        public var url: String
        public var line: Int
        public var column: Int
    }
    package let schemes: Set<String>

    public init(options: RuleOptions) throws {
        schemes = Set(options.strings("schemes", ["http", "https", "data"]).map { $0.lowercased() })
    }

    public func collect(_ document: Document) -> [RemoteImage]? { nil }

    public func collect(_ document: Document, environment: LintEnvironment) -> [RemoteImage]? {
        guard environment.isOnline else { return nil }
        var out: [RemoteImage] = []
        for link in ImageScanner.scan(document) where link.syntaxProblem == nil {
            guard let src = link.source else { continue }
            let text = ImageSource.text(document.bytes[src], html: link.kind == .html)
            if case let .remote(url) = ImageSource.classify(text, schemes: schemes, spacesAllowed: link.kind == .html || (src.lowerBound > 0 && document.bytes[src.lowerBound - 1] == 0x3C)),
               url.lowercased().hasPrefix("http") {
                let p = document.position(ofByte: src.lowerBound)
                out.append(RemoteImage(url: url, line: p.line, column: p.column))
            }
        }
        return out.isEmpty ? nil : out
    }

    public func finish(_ facts: [FileFact<[RemoteImage]>], into sink: inout CrossFileSink) {
        guard let checker = sink.environment.urlChecker, !facts.isEmpty else { return }
        var unique = Set<String>()
        for f in facts { for r in f.fact { unique.insert(r.url) } }
        let results = checker.check(unique.sorted())
        for f in facts {
            for r in f.fact {
                guard let result = results[r.url], !result.ok else { continue }
                sink.report(path: f.path, line: r.line, column: r.column, "remote image '\(r.url)' is unreachable: \(result.detail)")
            }
        }
    }
}

/// `image-alt-missing`: empty or placeholder alt text (`图`, `image`, `""`), useless to
/// screen readers and search.
public struct ImageAltMissingRule: Rule {
    public static let id = "image-alt-missing"
    package let placeholders: Set<String>

    public init(options: RuleOptions) {
        placeholders = Set(options.strings("placeholders", ["图", "圖", "图片", "圖片", "image", "img", "photo", "picture", "\"\"", "''"]).map { $0.lowercased() })
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        for (i, link) in ImageScanner.scan(document).enumerated() where link.syntaxProblem == nil && !link.isAlternate {
            if sink.budgetSpent(step: i + 1) { return }
            guard let alt = link.alt else {
                sink.report(link.range, "<img> has no alt attribute")
                continue
            }
            let text = String(decoding: document.bytes[alt], as: UTF8.self).trimmingWhitespaces()
            if text.isEmpty {
                sink.report(link.range, "image has empty alt text")
            } else if placeholders.contains(text.lowercased()) {
                sink.report(link.range, "alt text '\(text)' is a placeholder; describe the image")
            }
        }
    }
}
