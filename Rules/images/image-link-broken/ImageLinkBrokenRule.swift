import Foundation
import NewsLintCore

/// `image-link-broken` (per-file part): syntax, empty sources, bad URLs, undefined
/// references and missing local files. Remote URLs are checked by `ImageLinkOnlineRule`
/// in online mode, once per unique URL across the corpus.
public struct ImageLinkBrokenRule: Rule, RuleWithOptions {
    public static let id = "image-link-broken"

    /// A local source whose `..` segments leave the site: reported, never looked for on the machine.
    private func outside(_ source: [UInt8]) -> String {
        "local image '\(String(decoding: source, as: UTF8.self))' points outside the site"
    }
    package let schemes: ImageSource.Schemes
    package let checkLocal: Bool

    /// The message for a local source with no file where there is something to say: a directory,
    /// or a file under another normalization or letter case (found on macOS, missing on a Linux
    /// web server, which compares names byte for byte). Nil: plainly missing.
    package static func missing(_ source: String, _ miss: ResourceMiss?) -> String? {
        switch miss {
        case nil:
            return nil
        case .directory:
            return "local image '\(source)' is a directory, not an image file"
        case let .otherSpelling(written, actual, normalization):
            if normalization {
                // By bytes: `==` on strings is canonical equivalence, under which every form is equal.
                let form = { (s: String) in
                    s.utf8.elementsEqual(s.precomposedStringWithCanonicalMapping.utf8) ? "NFC"
                        : s.utf8.elementsEqual(s.decomposedStringWithCanonicalMapping.utf8) ? "NFD" : "mixed"
                }
                return "local image '\(source)' does not exist as written: '\(written)' is on disk in another Unicode normalization "
                    + "(the source has \(form(written)), the file name \(form(actual)), as macOS makes names); a Linux web server will not find it"
            }
            return "local image '\(source)' does not exist as written: '\(written)' is on disk as '\(actual)', in another letter case; "
                + "a case-sensitive web server will not find it"
        }
    }

    /// Shared with the online half (`ImageLinkOnlineRule`).
    public struct Options: Decodable, Sendable {
        package var schemes: [String]
        package var checkLocal: Bool
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        let list = o.schemes.map { $0.lowercased() }
        for s in list where s.isEmpty || !s.utf8.allSatisfy({ ImageSource.isAlpha($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) {
            throw RuleOptionError(option: "schemes", message: "'\(s)' is not a URL scheme")
        }
        schemes = ImageSource.Schemes(list)
        checkLocal = o.checkLocal
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let links = ImageScanner.scan(document)
        guard !links.isEmpty else { return }
        let env = sink.environment
        // The file's directory only for a relative local image (most files have none), found on bytes.
        func directory() -> Substring { PathName.directory(env.location(of: document.path)) }
        var reportedSources = Set<Int>() // a reference definition used by several images is reported once
        // Each image's source text, in one buffer for the file's images (an array each was an
        // allocation and a free an image).
        var text: [UInt8] = []
        for (i, link) in links.enumerated() {
            if sink.budgetSpent(step: i + 1) { return }
            if let problem = link.syntaxProblem {
                sink.report(link.problemRange ?? link.range, problem)
                continue
            }
            guard let src = link.source else {
                sink.report(link.range, "image has no source")
                continue
            }
            ImageSource.text(document.bytes[src], html: link.kind == .html, into: &text)
            let at = src.isEmpty ? link.range : src
            switch ImageSource.classify(text, schemes: schemes, spacesAllowed: link.kind == .html || (src.lowerBound > 0 && document.bytes[src.lowerBound - 1] == 0x3C)) {
            case let .broken(message):
                if reportedSources.insert(at.lowerBound).inserted { sink.report(at, message) }
            case let .local(path, rooted):
                guard checkLocal else { continue }
                if rooted {
                    // Without configured roots a site-absolute path cannot be resolved: not checked.
                    guard !env.images.roots.isEmpty else { continue }
                    guard let sitePath = SitePath.normalized(path) else {
                        if reportedSources.insert(at.lowerBound).inserted { sink.report(at, outside(text)) }
                        continue
                    }
                    let candidates = env.images.roots.lazy.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + sitePath }
                    if !candidates.contains(where: { env.probe.fileExists($0) }),
                       reportedSources.insert(at.lowerBound).inserted {
                        let source = String(decoding: text, as: UTF8.self)
                        let miss = candidates.lazy.compactMap { env.probe.explainMissing($0) }.first
                        sink.report(at, Self.missing(source, miss) ?? "local image '\(source)' not found under the image roots")
                    }
                } else {
                    let dir = directory()
                    guard let file = SitePath.normalized(dir + "/" + path),
                          SitePath.isWithin(file, SitePath.siteDirectory(documentDirectory: SitePath.normalized(String(dir)) ?? "/", roots: env.images.roots)) else {
                        if reportedSources.insert(at.lowerBound).inserted { sink.report(at, outside(text)) }
                        continue
                    }
                    if !env.probe.fileExists(file), reportedSources.insert(at.lowerBound).inserted {
                        let source = String(decoding: text, as: UTF8.self)
                        sink.report(at, Self.missing(source, env.probe.explainMissing(file)) ?? "local image '\(source)' does not exist")
                    }
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
public struct ImageLinkOnlineRule: CrossFileRule, RuleWithOptions {
    public typealias Options = ImageLinkBrokenRule.Options
    public static let id = "image-link-broken"
    public struct RemoteImage: Codable, Sendable, Equatable {
        public var url: String
        public var line: Int
        public var column: Int
    }
    package let schemes: ImageSource.Schemes

    public init(options: RuleOptions) throws {
        schemes = ImageSource.Schemes(try Self.decodeOptions(options).schemes.map { $0.lowercased() })
    }

    public func collect(_ document: Document) -> [RemoteImage]? { nil }

    public func collect(_ document: Document, environment: LintEnvironment) -> [RemoteImage]? {
        guard environment.isOnline else { return nil }
        var out: [RemoteImage] = []
        for link in ImageScanner.scan(document) where link.syntaxProblem == nil {
            guard let src = link.source else { continue }
            let text = ImageSource.text(document.bytes[src], html: link.kind == .html)
            guard case .remote = ImageSource.classify(text, schemes: schemes, spacesAllowed: link.kind == .html || (src.lowerBound > 0 && document.bytes[src.lowerBound - 1] == 0x3C)) else { continue }
            let url = ImageSource.remoteURL(text)
            if url.lowercased().hasPrefix("http") {
                let p = document.position(ofByte: src.lowerBound)
                out.append(RemoteImage(url: url, line: p.line, column: p.column))
            }
        }
        return out.isEmpty ? nil : out
    }

    public func finish(_ facts: FactTable<[RemoteImage]>, into sink: inout CrossFileSink) {
        guard let checker = sink.environment.urlChecker, !facts.isEmpty else { return }
        // Each fact decoded in each pass, not held between them (the facts may be in a temporary
        // file past the memory budget; the checks are network-bound); a path is read only for a
        // finding.
        var unique = Set<String>()
        for i in facts.indices { for r in facts.fact(i) { unique.insert(r.url) } }
        let results = checker.check(unique.sorted())
        for i in facts.indices {
            for r in facts.fact(i) {
                guard let result = results[r.url], !result.ok else { continue }
                sink.report(path: facts.path(i), line: r.line, column: r.column, "remote image '\(r.url)' is unreachable: \(result.detail)")
            }
        }
    }
}
