import Foundation

/// Answers about the outside world that some rules need (does a local file exist?).
/// Rules never touch the file system themselves: the engine hands them a probe, and
/// tests inject fakes.
public protocol ResourceProbe: Sendable {
    /// Whether a regular file exists at the absolute `path` (symbolic links followed).
    func fileExists(_ path: String) -> Bool
    /// Why `fileExists(path)` answered false, when there is more to say than "nothing there".
    /// Asked only on that miss path (the default: nothing to say).
    func explainMissing(_ path: String) -> ResourceMiss?
    /// `explainMissing(path)`, with the paths whose state decided the answer appended to
    /// `decidedBy` (the path, the directories whose entries were listed, the file found under
    /// another spelling): a cached result is keyed on them, as it is on the paths `fileExists` was
    /// asked about, so a rename that changes the explanation makes the entry stale. The default:
    /// the path alone.
    func explainMissing(_ path: String, decidedBy: inout [String]) -> ResourceMiss?
}

extension ResourceProbe {
    public func explainMissing(_ path: String) -> ResourceMiss? { nil }
    public func explainMissing(_ path: String, decidedBy: inout [String]) -> ResourceMiss? {
        decidedBy.append(path)
        return explainMissing(path)
    }
}

/// What is at a path where no regular file is.
public enum ResourceMiss: Sendable, Equatable {
    /// A directory, not a file.
    case directory
    /// A regular file under another spelling of one component: `written` (as the path has it) is
    /// `actual` on disk, the same text in another Unicode normalization (`normalization`: NFC
    /// against NFD, as macOS writes names) or in another letter case. File systems and web
    /// servers on Linux compare names byte for byte, so the path does not find it there.
    case otherSpelling(written: String, actual: String, normalization: Bool)
}

/// The real file system. A directory is not an image, so only regular files count.
public struct FileSystemProbe: ResourceProbe {
    /// Directory listings read to explain misses, shared by the run's copies of the probe.
    private let listings = DirectoryNameIndex()

    public init() {}
    public func fileExists(_ path: String) -> Bool {
        var st = stat()
        return SystemPath.stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// A directory, or a file whose path differs only by normalization or letter case in some
    /// components: each component missing as written is looked up in its directory's listing (read
    /// once a run per directory, so many misses in one directory do not list it again each).
    public func explainMissing(_ path: String) -> ResourceMiss? {
        var decidedBy: [String] = []
        return explainMissing(path, decidedBy: &decidedBy)
    }

    /// The answer is decided by the path itself (a directory there), the entries of each directory
    /// listed for a component missing as written (a directory's stamp changes when an entry is
    /// added, removed or renamed, and its path stops existing when it or a parent is renamed), and
    /// the file found in the end.
    public func explainMissing(_ path: String, decidedBy: inout [String]) -> ResourceMiss? {
        decidedBy.append(path)
        var st = stat()
        if SystemPath.stat(path, &st) == 0 { return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : nil }
        guard path.hasPrefix("/") else { return nil }
        var real = ""
        var first: ResourceMiss?
        for part in path.split(separator: "/") {
            let name = String(part)
            let written = real + "/" + name
            if SystemPath.lstat(written, &st) == 0 { real = written; continue }
            let directory = real.isEmpty ? "/" : real
            decidedBy.append(directory)
            guard let actual = listings.match(name, in: directory) else { return nil }
            // Swift compares strings by canonical equivalence: equal here means NFC against NFD.
            if first == nil { first = .otherSpelling(written: name, actual: actual, normalization: name == actual) }
            real += "/" + actual
        }
        guard let first else { return nil }
        decidedBy.append(real)
        return fileExists(real) ? first : nil
    }
}

/// Per directory, its entries by folded name (canonical composition, then lower case), for
/// `FileSystemProbe.explainMissing`. Bounded: past `limit` directories it starts afresh.
final class DirectoryNameIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var byDirectory: [String: [String: [String]]] = [:]
    private let limit = 256

    static func fold(_ name: String) -> String { name.precomposedStringWithCanonicalMapping.lowercased() }

    /// The entry of `directory` that is `name` under another normalization (preferred) or letter
    /// case; the first of several by bytes, so the answer does not depend on listing order.
    func match(_ name: String, in directory: String) -> String? {
        let index = lock.withLock { byDirectory[directory] } ?? read(directory)
        guard let candidates = index[Self.fold(name)] else { return nil }
        return candidates.first(where: { $0 == name }) ?? candidates.first
    }

    private func read(_ directory: String) -> [String: [String]] {
        var index: [String: [String]] = [:]
        if let dir = SystemPath.withCString(directory, { opendir($0) }) {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    SystemPath.decode(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self),
                                                          count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))))
                }
                if name == "." || name == ".." { continue }
                index[Self.fold(name), default: []].append(name)
            }
        }
        for key in index.keys { index[key]?.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        lock.withLock {
            if byDirectory.count >= limit { byDirectory.removeAll() }
            byDirectory[directory] = index
        }
        return index
    }
}

/// The outcome of checking one remote URL.
public struct URLCheckResult: Sendable, Hashable, Codable {
    /// True when the resource answered with a success status (after redirects).
    public var ok: Bool
    /// Human-readable detail: `HTTP 404`, `no HTTP answer`, `redirect loop`, …
    public var detail: String
    public init(ok: Bool, detail: String) {
        self.ok = ok
        self.detail = detail
    }
}

/// Checks remote URLs (online mode). Implementations dedupe, bound concurrency and cache.
public protocol URLChecker: Sendable {
    /// Checks every URL (each at most once) and returns a result for each.
    func check(_ urls: [String]) -> [String: URLCheckResult]
}

/// What the engine provides to rules beyond the document: a resource probe, the
/// directory relative paths are resolved against, image settings, and (in online mode)
/// a URL checker. Reachable from `DiagnosticSink.environment` and `CrossFileSink.environment`.
public struct LintEnvironment: Sendable {
    public var probe: any ResourceProbe = FileSystemProbe()
    /// Directory relative input paths are resolved against (filled in by the linter from `LintSettings`).
    public var baseDirectory: String {
        get { settings.value.baseDirectory }
        set { settings = settings.modifying { $0.baseDirectory = newValue } }
    }
    /// Image settings (the `images` section of the config, after command-line overrides).
    public var images: ImageSettings {
        get { settings.value.images }
        set { settings = settings.modifying { $0.images = newValue } }
    }
    /// Command-line overrides applied on top of the config's `images` section.
    public var imageOverrides: ImageSettings.Overrides {
        get { settings.value.imageOverrides }
        set { settings = settings.modifying { $0.imageOverrides = newValue } }
    }
    /// Checks remote URLs in online mode; nil means offline. Built from `images` when not injected.
    public var urlChecker: (any URLChecker)? {
        get { settings.value.urlChecker }
        set { settings = settings.modifying { $0.urlChecker = newValue } }
    }
    /// The fields set once a run, behind one reference: the environment is copied twice a file
    /// (the per-file sink's, the cross-file collect's) and destroyed as often, and these held
    /// about eight references (strings, arrays, existentials), each retained and released a copy.
    private var settings = SettingsBox(RunSettings())
    /// Per document, while its cross-file facts are collected: lines a rule pack (user packs,
    /// the built-in `boilerplate` pack) reported, so `boilerplate-repeated` does not report them again.
    public var linesReportedByPacks: Set<Int> = []
    /// Per document, while its cross-file facts are collected: the time budget (`--file-time-budget`);
    /// a rule with heavy collection asks `isOverBudget` and gives up (no fact: the file is not compared).
    public var collectBudget: CollectBudget?

    public init() {}

    public static let `default` = LintEnvironment()

    /// Absolute location of a document path as given on the command line.
    public func location(of path: String) -> String { PathResolver.absolute(path, base: baseDirectory) }

    /// How long one search of a user's regex (a rule pack's, a front-matter field's) may run:
    /// `RegexSafety.searchLimit`. A seam for tests (`NEWSLINT_REGEX_SEARCH_LIMIT`), whose
    /// pathological searches would otherwise each take the whole limit and race the file budget.
    package var regexSearchLimit: TimeInterval {
        get { settings.value.regexSearchLimit }
        set { settings = settings.modifying { $0.regexSearchLimit = newValue } }
    }

    /// Whether remote URLs are checked in this run.
    public var isOnline: Bool { settings.value.images.online && settings.value.urlChecker != nil }

    /// `LintEnvironment`'s fields set once a run.
    private struct RunSettings: Sendable {
        var baseDirectory: String = FileManager.default.currentDirectoryPath
        var images = ImageSettings()
        var imageOverrides = ImageSettings.Overrides()
        var urlChecker: (any URLChecker)?
        var regexSearchLimit = RegexSafety.searchLimit
    }

    /// Immutable, so shared between copies; a change makes a new box (a few times a run).
    private final class SettingsBox: Sendable {
        let value: RunSettings
        init(_ value: RunSettings) { self.value = value }

        func modifying(_ change: (inout RunSettings) -> Void) -> SettingsBox {
            var v = value
            change(&v)
            return SettingsBox(v)
        }
    }
}

/// The time budget of one file's fact collection, shared by reference so the engine sees whether a
/// rule stopped. Used by one thread at a time (the file's worker).
public final class CollectBudget: @unchecked Sendable {
    package private(set) var deadline: UInt64
    /// Set once `isOverBudget` answered true.
    public private(set) var stopped = false
    /// Whether the budget is read from `CoarseClock`: it is restarted for every cross-file rule of
    /// every file (five clock reads a file), and the precise clock cost about 70 ns a read here.
    /// Budgets under `CoarseClock.smallestBudget` keep the precise clock, as the engine's do.
    package private(set) var coarse: Bool
    /// The seconds of the last start and their nanoseconds: the engine restarts the budget with the
    /// same seconds for every cross-file rule of a file (50,000 times at agora ×1), and converting
    /// them again was half of a restart.
    private var seconds: Double
    private var nanoseconds: UInt64

    public init(seconds: Double) {
        self.seconds = seconds
        nanoseconds = UInt64(max(0, seconds) * 1e9)
        coarse = seconds >= CoarseClock.smallestBudget
        deadline = Self.now(coarse: coarse) &+ nanoseconds
    }

    /// The budget afresh, from now, for the next rule: the engine keeps one per file rather than
    /// allocating and freeing one per cross-file rule per file.
    package func restart(seconds: Double) {
        if seconds != self.seconds {
            self.seconds = seconds
            nanoseconds = UInt64(max(0, seconds) * 1e9)
            coarse = seconds >= CoarseClock.smallestBudget
        }
        deadline = Self.now(coarse: coarse) &+ nanoseconds
        stopped = false
    }

    public var isOverBudget: Bool {
        if !stopped, Self.now(coarse: coarse) >= deadline { stopped = true }
        return stopped
    }

    @inline(__always)
    private static func now(coarse: Bool) -> UInt64 {
        coarse ? CoarseClock.nanoseconds() : DispatchTime.now().uptimeNanoseconds
    }
}

/// A probe that remembers the paths asked about, so a cached result can name the files it
/// depends on (a referenced image deleted later makes the entry stale).
package final class RecordingProbe: ResourceProbe, @unchecked Sendable {
    private let base: any ResourceProbe
    private let paths = Locked<Set<String>>([])
    package init(_ base: any ResourceProbe) { self.base = base }
    package func fileExists(_ path: String) -> Bool {
        _ = paths.withLock { $0.insert(path) }
        return base.fileExists(path)
    }
    /// The explanation is recorded with the paths that decided it: a cached "on disk as 'A.jpg'"
    /// keyed only on the missing path stayed after `A.jpg` was renamed, until a cold run.
    package func explainMissing(_ path: String) -> ResourceMiss? {
        var decidedBy: [String] = []
        return explainMissing(path, decidedBy: &decidedBy)
    }
    package func explainMissing(_ path: String, decidedBy: inout [String]) -> ResourceMiss? {
        let start = decidedBy.count
        let miss = base.explainMissing(path, decidedBy: &decidedBy)
        let read = decidedBy[start...]
        paths.withLock { $0.formUnion(read) }
        return miss
    }
    package var probed: [String] { paths.withLock { $0 }.sorted() }
}
