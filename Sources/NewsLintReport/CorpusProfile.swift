import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Which Chinese script a text is written in, judged from characters whose Simplified
/// and Traditional forms differ.
public enum ScriptClass: String, Sendable, Codable, CaseIterable {
    case simplified, traditional, mixed
    /// Too few distinguishing characters to tell (no Chinese, or only shared characters).
    case undetermined
}

/// Small facts about one file for the corpus profile of `newslint report`. Computed from
/// the parsed `Document` only; never the text itself.
public struct FileProfile: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var hasFrontMatter: Bool
    /// `YYYY-MM-DD` from the front-matter `date`, or from a date in the first body lines.
    public var date: String?
    public var script: ScriptClass
    public var simplifiedChars: Int
    public var traditionalChars: Int
    /// Markdown images (`![alt](src)`) and HTML `<img` tags.
    public var images: Int
    /// Images with an empty source (`![alt]()`).
    public var emptyImages: Int
    public var slug: String?
    /// Hash of the body with all whitespace removed (nil for near-empty bodies).
    public var bodyHash: String?
    /// Unicode scalars of the file: what defect density is measured against.
    public var characters = 0
    /// Where the article comes from: front matter `source`, `site`, …, the article URL's host, or
    /// `categories` (the keys `boilerplate-repeated` groups sites by); nil without any.
    public var source: String?
    /// Lines the report quotes (drill-down examples), by line number.
    public var lines: [Int: String] = [:]

    /// The first directory below the common root of `paths` holding `path` ("." for files at the root).
    package static func directory(_ path: String, root: String) -> String {
        let rest = path.hasPrefix(root) ? path.dropFirst(root.count) : path[...]
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
        return parts.count > 1 ? String(parts[0]) : "."
    }

    /// The directory (ending in "/") all `paths` share, or "".
    package static func commonDirectory(_ paths: [String]) -> String {
        guard var prefix = paths.first.map({ String($0[..<($0.lastIndex(of: "/").map { $0 } ?? $0.startIndex)]) }) else { return "" }
        for p in paths.dropFirst() {
            while !prefix.isEmpty && !(p.hasPrefix(prefix + "/")) {
                prefix = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
            }
            if prefix.isEmpty { break }
        }
        return prefix.isEmpty ? (paths.allSatisfy { $0.hasPrefix("/") } ? "/" : "") : prefix + "/"
    }
}

extension ScriptClass {
    /// Classifies from counts: at least 5 distinguishing characters are needed; a file is
    /// "mixed" when the minority script has more than 10% of them.
    public static func classify(simplified s: Int, traditional t: Int) -> ScriptClass {
        let total = s + t
        if total < 5 { return .undetermined }
        let minority = Double(min(s, t)) / Double(total)
        if minority > 0.10 { return .mixed }
        return s > t ? .simplified : .traditional
    }
}


/// Builds `FileProfile`s.
public enum CorpusProfiler {
    /// The script classifier used by profiles: the script rules' own tables (OpenCC, regional variants).
    public typealias Classifier = @Sendable (Document) -> (simplified: Int, traditional: Int)
    public static let defaultClassifier: Classifier = { doc in ScriptTables.shared.scriptEvidence(doc.bytes[doc.bodyStart...]) }

    public static func profile(_ document: Document, classifier: Classifier = defaultClassifier, lines wanted: Set<Int> = []) -> FileProfile {
        if case let .legacy(_, text) = document.encoding { return undecodedProfile(document, text: text, lines: wanted) }
        let counts = classifier(document)
        let fm = document.frontMatter
        var date = fm?.string("date").flatMap { isoDate(in: Array($0.utf8)[...]) }
        if date == nil { date = fileNameDate(document.path) }
        if date == nil, let body = document.bodyLines {
            for n in body.prefix(5) {
                if let d = isoDate(in: document.lineBytes(n)) { date = d; break }
            }
        }
        let (images, empty) = countImages(document)
        let slug = fm?.string("slug").flatMap { $0.isEmpty ? nil : $0 }
        var profile = FileProfile(path: document.path, bytes: document.bytes.count, hasFrontMatter: fm != nil,
                                  date: date, script: ScriptClass.classify(simplified: counts.simplified, traditional: counts.traditional),
                                  simplifiedChars: counts.simplified, traditionalChars: counts.traditional,
                                  images: images, emptyImages: empty, slug: slug, bodyHash: bodyHash(document))
        var scalars = 0
        for b in document.bytes where b & 0xC0 != 0x80 { scalars += 1 }
        profile.characters = scalars
        profile.source = source(fm)
        for n in wanted where n >= 1 && n <= document.lineCount { profile.lines[n] = document.lineText(n) }
        return profile
    }

    /// The profile of a file whose whole text is in another encoding (`DocumentEncoding.legacy`):
    /// what its bytes say without being read as text (its size, the date its name starts with, its
    /// characters counted in the decoded text), as the rules report only its encoding on it. A
    /// front matter, slug or body hash of undecoded bytes would count it as what it is not, or
    /// group it with other files as a duplicate the lint never reports.
    private static func undecodedProfile(_ document: Document, text: String, lines wanted: Set<Int>) -> FileProfile {
        var profile = FileProfile(path: document.path, bytes: document.bytes.count, hasFrontMatter: false, date: fileNameDate(document.path),
                                  script: .undetermined, simplifiedChars: 0, traditionalChars: 0, images: 0, emptyImages: 0, slug: nil, bodyHash: nil)
        profile.characters = text.unicodeScalars.count
        for n in wanted where n >= 1 && n <= document.lineCount { profile.lines[n] = document.lineText(n) }
        return profile
    }

    /// The site of a file as `boilerplate-repeated` groups it, without the key it came from.
    package static func source(_ frontMatter: FrontMatter?) -> String? {
        let site = RepeatedLineKey.site(frontMatter, keys: RepeatedLineKey.defaultGroupFrontMatterKeys)
        guard site != "corpus", let colon = site.firstIndex(of: ":") else { return nil }
        let value = String(site[site.index(after: colon)...])
        return value.isEmpty ? nil : value
    }

    /// A date the file name starts with (`2024-11-01-title.md`).
    package static func fileNameDate(_ path: String) -> String? {
        CalendarDate.fileNamePrefix(path)?.isoDay
    }

    /// The profile as the lint pass computes it (`LintSettings.documentProfiler`).
    public static let documentProfiler: DocumentProfiler = { profile($0) }

    /// Reads and profiles inputs in parallel (unreadable or binary files are left out).
    public static func profile(_ inputs: [LintInput], baseDirectory: String, maxSize: Int, jobs: Int, lines: [PathKey: Set<Int>] = [:]) -> [FileProfile] {
        parallelMap(count: inputs.count, jobs: jobs) { i -> FileProfile? in
            let bytes: [UInt8]
            switch inputs[i] {
            case let .text(_, b): bytes = b
            case let .file(p):
                guard case let .bytes(b) = FileReader.read(PathResolver.absolute(p, base: baseDirectory), maxSize: maxSize) else { return nil }
                bytes = b
            }
            if FileReader.binaryReason(bytes) != nil { return nil }
            return profile(Document(path: inputs[i].path, bytes: bytes), lines: lines[PathKey(inputs[i].path)] ?? [])
        }.compactMap { $0 }
    }

    /// The first date written in `bytes`, as `YYYY-MM-DD`.
    package static func isoDate(in bytes: ArraySlice<UInt8>) -> String? {
        CalendarDate.first(in: bytes)?.isoDay
    }

    /// Images as the image rules see them (same scanner: code and comments skipped); an image
    /// without a usable source counts as empty.
    package static func countImages(_ document: Document) -> (Int, Int) {
        let links = ImageScanner.scan(document)
        return (links.count, links.filter { $0.source.map { $0.isEmpty } ?? true }.count)
    }

    /// The body fingerprint `content-duplicate` uses, so the report's groups agree with the rule.
    package static func bodyHash(_ document: Document) -> String? {
        let (hash, length) = normalizedBodyHash(document)
        return length >= 20 ? StableHash.hex(hash) : nil
    }
}

/// The corpus profile gathered from the lint pass (`CorpusProfiler.documentProfiler`), in input
/// order. Files the pass did not read (cache hits) are profiled at the end, so every file is read
/// at most once per run; only the lines a report quotes are read back, from the files it quotes.
public struct PassProfiles {
    private enum Entry {
        case profiled(FileProfile)
        case unread(String)
    }
    private var entries: [Entry] = []

    public init() {}

    /// Adds a delivered outcome. Files skipped or unreadable in the pass have no profile; files the
    /// cache answered (empty ones too) are read for their profile at the end.
    public mutating func add(_ outcome: FileOutcome) {
        if let p = outcome.profile as? FileProfile {
            entries.append(.profiled(p))
        } else if outcome.answeredFromCache {
            entries.append(.unread(outcome.path))
        }
    }

    /// The profiles; `lines`: lines to quote, by path (read back from those files only).
    public func finish(baseDirectory: String, maxSize: Int, jobs: Int, lines: [PathKey: Set<Int>] = [:]) -> [FileProfile] {
        let unread = entries.compactMap { e -> LintInput? in if case let .unread(p) = e { return .file(p) } else { return nil } }
        var read = CorpusProfiler.profile(unread, baseDirectory: baseDirectory, maxSize: maxSize, jobs: jobs, lines: lines)[...]
        var out: [FileProfile] = []
        out.reserveCapacity(entries.count)
        for e in entries {
            switch e {
            case var .profiled(p):
                if let wanted = lines[PathKey(p.path)], !wanted.isEmpty { p.lines = CorpusProfiler.quotedLines(p.path, wanted, baseDirectory: baseDirectory, maxSize: maxSize) }
                out.append(p)
            case let .unread(path):
                if let p = read.first, p.path.hasSameBytes(as: path) { out.append(p); read = read.dropFirst() }
            }
        }
        return out
    }
}

extension CorpusProfiler {
    /// Lines `wanted` of one file, read back for a report's quotes.
    package static func quotedLines(_ path: String, _ wanted: Set<Int>, baseDirectory: String, maxSize: Int) -> [Int: String] {
        guard case let .bytes(b) = FileReader.read(PathResolver.absolute(path, base: baseDirectory), maxSize: maxSize) else { return [:] }
        let document = Document(path: path, bytes: b)
        var out: [Int: String] = [:]
        for n in wanted where n >= 1 && n <= document.lineCount { out[n] = document.lineText(n) }
        return out
    }
}
