import Foundation

/// One `.gitignore` or `.ignore` file: the subset of gitignore syntax news sites need.
///
/// Supported: comments (`#`), blank lines, negation (`!`), directory-only patterns (trailing `/`),
/// anchoring (a `/` at the start or in the middle makes the pattern relative to the file's
/// directory; otherwise it matches a name at any depth), `*`, `?`, `[abc]`, and `**` (leading
/// `**/`, trailing `/**`, middle `/**/`), escapes `\#`, `\!` and `\ `. As in git, the last
/// matching pattern wins and nothing below an ignored directory is visited (so a negation cannot
/// re-include a file whose parent directory is ignored).
public struct IgnoreFile: Sendable {
    package struct Pattern: Sendable {
        package var negated: Bool
        package var directoryOnly: Bool
        /// nil: matches the entry's name at any depth.
        package var anchored: Glob?
        package var name: [Unicode.Scalar]
    }

    /// Directory the patterns are relative to (absolute, standardized).
    public let directory: String
    package let patterns: [Pattern]

    public init(directory: String, text: String) {
        self.directory = PathResolver.standardized(directory)
        var out: [Pattern] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = String(raw)
            // Trailing spaces are ignored unless escaped.
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            if line.hasSuffix("\\ ") { line = String(line.dropLast(2)) + " " }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line.removeFirst() } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") { line.removeFirst() }
            var directoryOnly = false
            while line.hasSuffix("/") { directoryOnly = true; line.removeLast() }
            if line.isEmpty { continue }
            if line.contains("/") {
                // "**/name" is the same as an unanchored "name".
                if line.hasPrefix("**/") && !line.dropFirst(3).contains("/") {
                    out.append(Pattern(negated: negated, directoryOnly: directoryOnly, anchored: nil, name: Array(line.dropFirst(3).unicodeScalars)))
                } else {
                    out.append(Pattern(negated: negated, directoryOnly: directoryOnly, anchored: Glob(line.hasPrefix("/") ? line : "/" + line), name: []))
                }
            } else {
                out.append(Pattern(negated: negated, directoryOnly: directoryOnly, anchored: nil, name: Array(line.unicodeScalars)))
            }
        }
        patterns = out
    }

    /// Reads `path`; nil when it does not exist or cannot be read.
    public static func load(_ path: String) -> IgnoreFile? {
        guard let data = SystemPath.contents(path) else { return nil }
        // Decoded like file names (SystemPath), so a pattern naming a GB18030 or Big5 file matches it.
        return IgnoreFile(directory: PathComponents.deletingLastComponent(path), text: SystemPath.decode(data))
    }

    /// nil: no pattern matches; true: ignored; false: re-included by a negation.
    public func decision(_ location: String, isDirectory: Bool) -> Bool? {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        guard location.hasPrefix(prefix) else { return nil }
        let relative = String(location.dropFirst(prefix.count))
        let name = Array((relative.split(separator: "/").last.map(String.init) ?? relative).unicodeScalars)
        var result: Bool?
        for p in patterns {
            if p.directoryOnly && !isDirectory { continue }
            let hit = p.anchored.map { $0.matches(relative) } ?? Glob.matchSegment(p.name, name)
            if hit { result = !p.negated }
        }
        return result
    }
}

/// The ignore files in effect for a directory during a walk, outermost first.
public struct IgnoreStack: Sendable {
    public static let fileNames = [".gitignore", ".ignore"]
    public private(set) var files: [IgnoreFile] = []

    public init(files: [IgnoreFile] = []) { self.files = files }

    /// Ignore files of `directory`'s ancestors (not `directory` itself, which the walk reads), from the
    /// enclosing git repository's root down; outside a repository, none.
    public static func ancestors(of directory: String) -> IgnoreStack {
        var dirs: [String] = []
        var dir = PathResolver.standardized(directory)
        var repoRoot: String?
        while true {
            if SystemPath.exists(dir + "/.git") { repoRoot = dir; break }
            let parent = PathComponents.deletingLastComponent(dir)
            if parent == dir || parent.isEmpty { break }
            dir = parent
            dirs.append(dir)
        }
        guard let root = repoRoot else { return IgnoreStack() }
        var stack = IgnoreStack()
        let start = PathResolver.standardized(directory)
        let chain = start == root ? [] : [root] + dirs.filter { $0 != root && $0.hasPrefix(root + "/") }.reversed()
        for d in chain where d != start { stack.push(directory: d) }
        return stack
    }

    /// Adds the ignore files found in `directory` (deeper files take precedence).
    public mutating func push(directory: String) {
        for name in Self.fileNames {
            if let f = IgnoreFile.load(directory + "/" + name) { files.append(f) }
        }
    }

    /// Whether an entry is ignored: the last matching pattern across all files, innermost last, wins.
    public func isIgnored(_ location: String, isDirectory: Bool) -> Bool {
        var result = false
        for f in files {
            if let d = f.decision(location, isDirectory: isDirectory) { result = d }
        }
        return result
    }

    /// The ignore file and pattern that ignore `location` (for explanations).
    public func reason(_ location: String, isDirectory: Bool) -> String? {
        var result: String?
        for f in files {
            if let d = f.decision(location, isDirectory: isDirectory) { result = d ? f.directory : nil }
        }
        return result
    }
}
