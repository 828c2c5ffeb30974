import Foundation
import NewsLintCore
import NewsLintRules

/// A rule's settings from config: `"off"`, a severity, or an object with `severity` and options.
public struct RuleSetting: Sendable {
    /// nil: keep the catalog default. false: `"off"`.
    public var enabled: Bool?
    public var severity: Severity?
    public var options: [String: JSONNode]

    public init(enabled: Bool? = nil, severity: Severity? = nil, options: [String: JSONNode] = [:]) {
        self.enabled = enabled
        self.severity = severity
        self.options = options
    }
}

/// Rule settings applied to the files matching some globs.
public struct ConfigOverride: Sendable {
    public var files: [Glob]
    public var rules: [String: RuleSetting]
    /// Directory `files` are relative to when inherited through `extend` (nil: the config's own).
    public var directory: String? = nil
}

/// Contents of a `.lint.json`, validated against the catalog.
public struct Configuration: Sendable {
    /// Directory relative globs and paths are resolved against.
    public var directory: String
    /// The config file, or nil for built-in defaults.
    public var file: String?
    public var include: [Glob] = []
    public var exclude: [Glob] = []
    public var extensions: [String] = [".md", ".markdown", ".txt", ".html", ".htm"]
    /// Files larger than this many bytes are skipped with a diagnostic.
    public var maxFileSize: Int = 16 * 1024 * 1024
    /// Keys are rule ids or family names.
    public var rules: [(key: String, setting: RuleSetting)] = []
    /// The front-matter preset named by `preset` (`jekyll`, `hugo`, `generic`), if any.
    public var preset: String?
    /// Extra catalog directories (absolute paths).
    public var rulePacks: [String] = []
    public var overrides: [ConfigOverride] = []
    /// Other top-level sections (`images`, `cache`, …) for the subsystems that own them.
    public var sections: [String: JSONNode] = [:]
    /// The config file each of `sections` was written in (this one, or one it `extend`s).
    public var sectionFiles: [String: String] = [:]
    /// A stable hash of the file's bytes (for caches); 0 for defaults.
    public var contentHash: UInt64 = 0
    /// Rule settings inherited through `extend`, outermost first; this file's `rules` apply on top.
    public var inheritedRules: [[(key: String, setting: RuleSetting)]] = []
    /// Directories `include` / `exclude` are relative to when inherited through `extend` (nil: `directory`).
    public var includeDirectory: String?
    public var excludeDirectory: String?

    public init(directory: String, file: String? = nil) {
        self.directory = directory
        self.file = file
    }

    public static let fileName = ".lint.json"

    /// Finds `.lint.json` in `start` or its ancestors.
    public static func discover(from start: String) -> String? {
        var dir = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent(fileName).path
            if SystemPath.exists(candidate) { return candidate }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// The most a config file may hold: settings, not data (the default `maxFileSize` of a linted file).
    public static let maxBytes = 16 * 1024 * 1024

    /// Loads and validates a config file against `catalog` (which it may extend with rule packs via `packLoader`).
    /// `currentDirectory`: what the paths of a config with no directory of its own are relative
    /// to (see `hasNoDirectory`); nil: the directory its path names.
    public static func load(file: String, catalog: inout Catalog, currentDirectory: String? = nil) throws -> Configuration {
        try load(file: file, catalog: &catalog, extending: [], currentDirectory: currentDirectory)
    }

    /// Whether a config read from `file` has no directory of its own: one that came through a
    /// pipe (`--config <(…)`), or any path under /dev or a process's fd directory
    /// (`--config /dev/stdin < cfg.json`, which names a regular file whose directory is not
    /// /dev). Its globs and `extend` are then relative to the current directory.
    package static func hasNoDirectory(_ file: String, fromPipe: Bool) -> Bool {
        if fromPipe { return true }
        let parts = PathResolver.standardized(file).split(separator: "/")
        guard file.hasPrefix("/"), let first = parts.first else { return false }
        if first == "dev" { return true }
        // /proc/self/fd/N, /proc/thread-self/fd/N, /proc/PID/fd/N.
        return first == "proc" && parts.count > 2 && parts[2] == "fd"
    }

    /// `extending`: the configs that extend this one, to report cycles.
    package static func load(file: String, catalog: inout Catalog, extending: [String], currentDirectory: String? = nil) throws -> Configuration {
        let bytes: [UInt8]
        var fromPipe = false
        switch FileReader.readSettings(file, maxSize: maxBytes) {
        case let .bytes(read, pipe):
            if read.isEmpty && pipe {
                throw ConfigError(file: file, message: "the config file is empty: nothing came through the pipe (was anything writing to it?)")
            }
            bytes = read
            fromPipe = pipe
        case .directory:
            throw ConfigError(file: file, message: "cannot read the config file (it is a directory); it must be a readable JSON file")
        case let .special(kind):
            throw ConfigError(file: file, message: "cannot read the config file (it is \(kind)); it must be a JSON file or a pipe")
        case let .tooLarge(size):
            let got = size.map { "is \($0) bytes" } ?? "gave more than \(maxBytes) bytes"
            throw ConfigError(file: file, message: "the config file \(got), over the \(maxBytes)-byte limit; a config holds settings (name larger data files from it)")
        case let .failed(failure):
            let reason: String
            if !SystemPath.exists(file), let target = SystemPath.readLink(file) {
                reason = "it is a symbolic link to '\(target)', which cannot be followed"
            } else {
                reason = String(cString: strerror(failure))
            }
            throw ConfigError(file: file, message: "cannot read the config file (\(reason)); it must be a readable JSON file")
        }
        if ByteOrderMark.isUTF16(bytes) {
            throw ConfigError(file: file, message: "the config file is UTF-16 (it starts with a byte order mark); save it as UTF-8")
        }
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes: bytes)
        } catch let e as JSONSyntaxError {
            throw invalidJSON(e, file: file)
        }
        let fileDirectory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let dir = hasNoDirectory(file, fromPipe: fromPipe) ? currentDirectory ?? fileDirectory : fileDirectory
        var config = Configuration(directory: dir, file: file)
        if let node = root["extend"] {
            guard let target = node.string, !target.isEmpty else {
                throw ConfigError(file: file, position: node.position, jsonPath: "extend", message: "expected the path of a config file to extend, found \(node.value.typeName)")
            }
            let parentFile = PathResolver.standardized(target.hasPrefix("/") ? target : dir + "/" + target)
            guard !(extending + [PathResolver.standardized(file)]).contains(parentFile) else {
                throw ConfigError(file: file, position: node.position, jsonPath: "extend", message: "'\(target)' extends this config again (a cycle)")
            }
            guard SystemPath.exists(parentFile) else {
                throw ConfigError(file: file, position: node.position, jsonPath: "extend", message: "config to extend '\(target)' does not exist (resolved to \(parentFile))")
            }
            let parent = try load(file: parentFile, catalog: &catalog, extending: extending + [PathResolver.standardized(file)])
            config.inherit(from: parent)
        }
        config.contentHash = config.contentHash &* 0x0000_0100_0000_01B3 ^ StableHash.fnv1a64(bytes)
        try config.apply(root, file: file, catalog: &catalog)
        return config
    }

    /// Starts from an extended config: its settings apply unless this file sets them; its globs stay
    /// relative to its own directory (as Ruff resolves an extended file's paths).
    package mutating func inherit(from parent: Configuration) {
        include = parent.include
        exclude = parent.exclude
        includeDirectory = parent.includeDirectory ?? parent.directory
        excludeDirectory = parent.excludeDirectory ?? parent.directory
        extensions = parent.extensions
        maxFileSize = parent.maxFileSize
        rulePacks = parent.rulePacks
        sections = parent.sections
        sectionFiles = parent.sectionFiles
        inheritedRules = parent.inheritedRules + [parent.rules]
        overrides = parent.overrides.map { o in
            var o = o
            o.directory = o.directory ?? parent.directory
            return o
        }
        contentHash = parent.contentHash
    }

    /// Parses a config from text (tests, `init`).
    public static func parse(_ text: String, file: String = ".lint.json", directory: String = ".", catalog: inout Catalog) throws -> Configuration {
        let root: JSONNode
        do {
            root = try JSONParser.parse(text)
        } catch let e as JSONSyntaxError {
            throw invalidJSON(e, file: file)
        }
        var config = Configuration(directory: directory, file: file)
        config.contentHash = StableHash.fnv1a64(Array(text.utf8))
        try config.apply(root, file: file, catalog: &catalog)
        return config
    }

    /// A syntax error in the config as a config error; a comment gets where notes can go instead.
    private static func invalidJSON(_ e: JSONSyntaxError, file: String) -> ConfigError {
        ConfigError(file: file, position: e.position, message: "invalid JSON: \(e.message)" + (e.isComment ? "; a note can go in a \"$comment\" key" : ""))
    }

    /// The include, exclude and override globs with a `[` that nothing closes: such a glob matched
    /// the `[` literally, so it excluded (or included) nothing, silently.
    private static func unclosedBracketErrors(_ root: JSONNode, file: String) -> [ConfigError] {
        var found: [ConfigError] = []
        func check(_ list: JSONNode?, _ path: String) {
            for (i, node) in (list?.array ?? []).enumerated() {
                guard let pattern = node.string, Glob(pattern).hasUnclosedBracket else { continue }
                found.append(ConfigError(file: file, position: node.position, jsonPath: "\(path)[\(i)]",
                                         message: "glob '\(pattern)' has a '[' with no closing ']' (write '[[]' for a literal '[')"))
            }
        }
        check(root["include"], "include")
        check(root["exclude"], "exclude")
        for (i, item) in (root["overrides"]?.array ?? []).enumerated() { check(item["files"], "overrides[\(i)].files") }
        return found
    }

    /// Applies the file's keys. Every problem is collected and thrown together (the first error
    /// carries the others in `additional`), so one run shows all of them.
    private mutating func apply(_ root: JSONNode, file: String, catalog: inout Catalog) throws {
        guard root.members != nil else {
            throw ConfigError(file: file, position: root.position, message: "the config must be a JSON object")
        }
        let (shape, unknownKeys) = try JSONNodeDecoder(file: file).decodeListingUnknownKeys(ConfigFile.self, from: root)
        var errors = unknownKeys + shape.problems + Self.unclosedBracketErrors(root, file: file)
        func collect(_ step: () throws -> Void) { _ = JSONNodeDecoder.collect(&errors, file: file, step) }
        if let globs = shape.include { include = globs.map(Glob.init); includeDirectory = nil }
        if let globs = shape.exclude { exclude = globs.map(Glob.init); excludeDirectory = nil }
        if let list = shape.extensions { extensions = list.map { $0.hasPrefix(".") ? $0 : "." + $0 } }
        if let n = shape.maxFileSize { maxFileSize = n }
        let v = ConfigValidator(file: file)
        // Rule packs first: they add ids that `rules` may configure.
        var packsFailed = false
        for (i, p) in (shape.rulePacks ?? []).enumerated() {
            let full = p.value.hasPrefix("/") ? p.value : URL(fileURLWithPath: directory).appendingPathComponent(p.value).standardizedFileURL.path
            var isDir: ObjCBool = false
            guard SystemPath.exists(full, isDirectory: &isDir) else {
                packsFailed = true
                errors.append(ConfigError(file: file, position: p.position, jsonPath: "rulePacks[\(i)]", message: "rule pack '\(p.value)' does not exist (resolved to \(full))"))
                continue
            }
            rulePacks.append(full)
            collect { try RulePackRegistry.load(path: full, into: &catalog) }
            // Pack contents change results: fold them into the config hash (cache keys use it).
            contentHash = contentHash &* 0x0000_0100_0000_01B3 ^ Self.packHash(full)
        }
        for section in shape.sections {
            sections[section.key] = section.node
            sectionFiles[section.key] = file
        }
        // Validate the images section now so its errors carry the config's positions.
        collect { _ = try ImageSettings.parse(sections["images"], file: file, directory: directory) }
        // With a missing pack, its rule ids would only add noise ("unknown rule").
        if packsFailed { try JSONFileError.throwIfAny(errors) }
        if let node = shape.rules { collect { rules = try v.ruleSettings(node, path: "rules", catalog: catalog) } }
        if let node = shape.preset {
            collect {
                // The preset's settings come first, so the config's own `rules` override them.
                guard let name = node.string, let presetRules = FrontMatterPreset.rules(name) else {
                    let found = node.string.map { "unknown preset '\($0)'\(FrontMatterPreset.hint(for: $0))" }
                        ?? "expected a preset name (\(FrontMatterPreset.names.joined(separator: ", "))), found \(node.value.typeName)"
                    throw v.error(node, "preset", found)
                }
                preset = name
                rules = try v.ruleSettings(JSONParser.parse(presetRules), path: "preset", catalog: catalog) + rules
            }
        }
        for (i, item) in (shape.overrides ?? []).enumerated() {
            collect {
                let settings = try item.rules.map { try v.ruleSettings($0, path: "overrides[\(i)].rules", catalog: catalog) } ?? []
                overrides.append(ConfigOverride(files: item.files.map(Glob.init), rules: Dictionary(settings.map { ($0.key, $0.setting) }, uniquingKeysWith: { $1 })))
            }
        }
        try JSONFileError.throwIfAny(errors)
    }

    /// Hash of a rule pack's JSON files (a directory's sorted `*.json`, or one file).
    package static func packHash(_ path: String) -> UInt64 {
        var isDir: ObjCBool = false
        _ = SystemPath.exists(path, isDirectory: &isDir)
        let files = isDir.boolValue
            ? (DirectoryReader.entries(path) ?? []).map(\.name).filter { $0.hasSuffix(".json") }.sorted().map { path + "/" + $0 }
            : [path]
        var h = StableHash.fnv1a64(path)
        for f in files {
            h = (h &* 0x0000_0100_0000_01B3) ^ StableHash.fnv1a64(f) ^ StableHash.fnv1a64((SystemPath.contents(f) ?? []))
        }
        return h
    }

    /// Path of `file` relative to the config directory (for globs).
    public func relativePath(_ file: String) -> String { relativePath(file, to: directory) }

    /// Path of `file` relative to `directory`.
    public func relativePath(_ file: String, to directory: String) -> String {
        // Lexical standardisation (as URL.standardizedFileURL does) without Foundation URLs: this runs per file.
        let abs = PathResolver.standardized(file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file)
        let base = PathResolver.standardized(directory)
        if abs == base { return "." }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return abs.hasPrefix(prefix) ? String(abs.dropFirst(prefix.count)) : abs
    }

    /// Whether `file` passes include/exclude.
    public func isIncluded(_ file: String) -> Bool {
        if include.isEmpty && exclude.isEmpty { return true }
        if excludingPattern(file) != nil { return false }
        if include.isEmpty { return true }
        let rel = includeDirectory.map { relativePath(file, to: $0) } ?? relativePath(file)
        return include.contains { $0.matches(rel) }
    }

    /// The exclude glob that matches `file`, if any (for explanations).
    public func excludingPattern(_ file: String) -> String? {
        if exclude.isEmpty { return nil }
        let rel = excludeDirectory.map { relativePath(file, to: $0) } ?? relativePath(file)
        return exclude.first { $0.matches(rel) }?.pattern
    }

    /// Whether a directory should be skipped during a walk: an exclude glob matches the directory itself
    /// (`drafts/` and `drafts/**` both match `drafts`), so nothing below it is visited.
    public func isExcludedDirectory(_ dir: String) -> Bool {
        excludingPattern(dir) != nil
    }

    /// Indices of overrides that apply to `file`.
    public func matchingOverrides(_ file: String) -> [Int] {
        guard !overrides.isEmpty else { return [] }
        let rel = relativePath(file)
        return overrides.indices.filter { i in
            let path = overrides[i].directory.map { relativePath(file, to: $0) } ?? rel
            return overrides[i].files.contains { $0.matches(path) }
        }
    }
}

/// A config problem with its location and JSON path: the one JSON input error (`JSONFileError`).
public typealias ConfigError = JSONFileError

/// Shared validation helpers producing precise `ConfigError`s.
package struct ConfigValidator {
    package let file: String

    package func error(_ node: JSONNode, _ path: String, _ message: String) -> ConfigError {
        ConfigError(file: file, position: node.position, jsonPath: path, message: message)
    }

    package func unknownKey(_ key: String, at position: SourcePosition, path: String, candidates: [String]) -> ConfigError {
        let hint = Suggest.hint(for: key, in: candidates, otherwise: "; valid keys: \(candidates.filter { !$0.hasPrefix("$") }.joined(separator: ", "))")
        return ConfigError(file: file, position: position, jsonPath: path.isEmpty ? key : path + "." + key, message: "unknown key '\(key)'\(hint)")
    }

    package func strings(_ node: JSONNode, path: String) throws -> [String] {
        guard let items = node.array else { throw error(node, path, "expected an array of strings, found \(node.value.typeName)") }
        return try items.enumerated().map { i, item in
            guard let s = item.string else { throw error(item, "\(path)[\(i)]", "expected a string, found \(item.value.typeName)") }
            return s
        }
    }

    package func ruleSettings(_ node: JSONNode, path: String, catalog: Catalog) throws -> [(key: String, setting: RuleSetting)] {
        guard let members = node.members else { throw error(node, path, "expected an object mapping rule ids to settings") }
        var out: [(String, RuleSetting)] = []
        var errors: [ConfigError] = []
        let families = catalog.families
        for m in members {
            _ = JSONNodeDecoder.collect(&errors, file: file) {
                let keyPath = "\(path).\(m.key)"
                let meta = catalog.metadata(m.key)
                guard meta != nil || families.contains(m.key) || m.key == "all" else {
                    let hint = Suggest.hint(for: m.key, in: catalog.ids + families, otherwise: "; run 'newslint rules' for the list")
                    throw ConfigError(file: file, position: m.keyPosition, jsonPath: keyPath, message: "unknown rule '\(m.key)'\(hint)")
                }
                var setting = RuleSetting()
                switch m.value.value {
                case let .string(s):
                    setting = try parseLevel(s, node: m.value, path: keyPath)
                case .bool(let b):
                    setting.enabled = b
                case let .object(fields):
                    // Each field on its own: a second bad option of the rule is listed with the first.
                    var fieldErrors: [ConfigError] = []
                    for f in fields {
                        _ = JSONNodeDecoder.collect(&fieldErrors, file: file) {
                            let fieldPath = "\(keyPath).\(f.key)"
                            if f.key == "severity" || f.key == "level" {
                                guard let s = f.value.string else { throw error(f.value, fieldPath, "expected \"off\", \"info\", \"warning\" or \"error\"") }
                                let level = try parseLevel(s, node: f.value, path: fieldPath)
                                setting.enabled = level.enabled
                                setting.severity = level.severity
                                return
                            }
                            if f.key == "enabled" {
                                guard let b = f.value.bool else { throw error(f.value, fieldPath, "expected true or false") }
                                setting.enabled = b
                                return
                            }
                            guard let meta else {
                                throw ConfigError(file: file, position: f.keyPosition, jsonPath: fieldPath, message: "options can only be set on a rule, not on the family '\(m.key)'")
                            }
                            guard let spec = meta.option(f.key) else {
                                let names = meta.options.map(\.name) + ["severity", "enabled"]
                                throw unknownKey(f.key, at: f.keyPosition, path: keyPath, candidates: names)
                            }
                            try checkType(f.value, against: spec, path: fieldPath)
                            setting.options[f.key] = f.value
                        }
                    }
                    try ConfigError.throwIfAny(fieldErrors)
                default:
                    throw error(m.value, keyPath, "expected \"off\", \"info\", \"warning\", \"error\", or an object with 'severity' and options; found \(m.value.value.typeName)")
                }
                out.append((m.key, setting))
            }
        }
        try ConfigError.throwIfAny(errors)
        return out
    }

    private func parseLevel(_ s: String, node: JSONNode, path: String) throws -> RuleSetting {
        if s == "off" { return RuleSetting(enabled: false) }
        guard let sev = Severity(rawValue: s) else {
            let hint = Suggest.hint(for: s, in: ["off", "info", "warning", "error"])
            throw error(node, path, "invalid level '\(s)': expected off, info, warning or error\(hint)")
        }
        return RuleSetting(enabled: true, severity: sev)
    }

    package func checkType(_ value: JSONNode, against spec: RuleOptionSpec, path: String) throws {
        let def = spec.defaultValue.value
        let ok: Bool
        switch def {
        case .bool: ok = value.bool != nil
        case let .number(n):
            ok = n.rounded() == n ? value.int != nil : value.number != nil
        case .string: ok = value.string != nil
        case .array(let items):
            if let first = items.first?.value, case .string = first { ok = value.stringArray != nil } else { ok = value.array != nil }
        case .object: ok = value.members != nil
        case .null: ok = true
        }
        guard ok else {
            var expected = def.typeName
            if case let .number(n) = def, n.rounded() == n { expected = "whole number" }
            if case let .array(items) = def, let first = items.first?.value, case .string = first { expected = "array of strings" }
            throw error(value, path, "expected \(expected), found \(value.value.typeName)")
        }
        if let allowed = spec.allowed {
            let given = value.string.map { [$0] } ?? value.stringArray ?? []
            for g in given where !allowed.contains(g) {
                let hint = Suggest.hint(for: g, in: allowed)
                throw error(value, path, "'\(g)' is not allowed; expected one of \(allowed.joined(separator: ", "))\(hint)")
            }
        }
    }
}
