import Foundation
import NewsLintCore
import NewsLintRules

/// Reading the `images` section of `.lint.json` (the settings type itself is in the core).
extension ImageSettings {
    package static let keys = ["$comment", "online", "roots", "timeout", "retries", "concurrency", "perHost", "cache", "cacheMaxAge", "userAgent", "allowPrivateHosts"]

    /// Parses and validates the section (nil: defaults). Relative paths are resolved against `directory`.
    public static func parse(_ node: JSONNode?, file: String, directory: String) throws -> ImageSettings {
        var s = ImageSettings()
        guard let node else { return s }
        let v = ConfigValidator(file: file)
        guard let members = node.members else { throw v.error(node, "images", "expected an object, found \(node.value.typeName)") }
        func absolute(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: directory).appendingPathComponent(p).standardizedFileURL.path
        }
        func number(_ n: JSONNode, _ path: String, _ range: ClosedRange<Double>, unit: String) throws -> Double {
            guard let x = n.number, range.contains(x) else {
                throw v.error(n, path, "expected a number of \(unit) from \(format(range.lowerBound)) to \(format(range.upperBound)), found \(describe(n))")
            }
            return x
        }
        func whole(_ n: JSONNode, _ path: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let x = n.int, range.contains(x) else {
                throw v.error(n, path, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(describe(n))")
            }
            return x
        }
        // Every problem of the section at once (the first one hid the others).
        var errors: [ConfigError] = []
        for m in members {
            _ = JSONNodeDecoder.collect(&errors, file: file) {
                let path = "images.\(m.key)"
                let n = m.value
                switch m.key {
                case "$comment": return
                case "online":
                    guard let b = n.bool else { throw v.error(n, path, "expected true or false, found \(describe(n))") }
                    s.online = b
                case "roots":
                    let list = try v.strings(n, path: path)
                    let empty = list.indices.filter { list[$0].isEmpty }.map {
                        v.error(n.array?[$0] ?? n, "\(path)[\($0)]", "a root must not be empty (use \".\" for the config's directory)")
                    }
                    try ConfigError.throwIfAny(empty)
                    s.roots = list.map(absolute)
                case "timeout": s.timeout = try number(n, path, 0.05...600, unit: "seconds")
                case "retries": s.retries = try whole(n, path, 0...10)
                case "concurrency": s.concurrency = try whole(n, path, 1...256)
                case "perHost": s.perHost = try whole(n, path, 1...64)
                case "cache":
                    if case .null = n.value { s.cacheFile = nil; return }
                    guard let p = n.string, !p.isEmpty else { throw v.error(n, path, "expected a file path (string) or null, found \(describe(n))") }
                    // A repository's config writes only inside its own tree (like allowPrivateHosts,
                    // the command line may choose any place): `"cache": "../notes.txt"` replaced a
                    // file outside the project on a plain run.
                    let file = URL(fileURLWithPath: absolute(p)).standardizedFileURL.path
                    guard PathResolver.isBelow(file, URL(fileURLWithPath: directory).standardizedFileURL.path) else {
                        throw v.error(n, path, "the image cache must be a file inside the config's directory, found '\(p)' (use --image-cache FILE for a place outside it)")
                    }
                    s.cacheFile = file
                case "cacheMaxAge": s.cacheMaxAge = try number(n, path, 0...31_536_000, unit: "seconds")
                case "allowPrivateHosts":
                    // Accepted (a user config may set it) but dropped for repository configs in `prepared`.
                    guard let b = n.bool else { throw v.error(n, path, "expected true or false, found \(describe(n))") }
                    s.allowPrivateHosts = b
                case "userAgent":
                    guard let ua = n.string, !ua.isEmpty, ua.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                        throw v.error(n, path, "expected a non-empty printable ASCII string, found \(describe(n))")
                    }
                    s.userAgent = ua
                default:
                    throw v.unknownKey(m.key, at: m.keyPosition, path: "images", candidates: keys)
                }
            }
        }
        try ConfigError.throwIfAny(errors)
        if s.perHost > s.concurrency, let n = node["perHost"] {
            throw v.error(n, "images.perHost", "perHost (\(s.perHost)) cannot exceed concurrency (\(s.concurrency))")
        }
        return s
    }

    private static func format(_ x: Double) -> String { JSONWriter.formatNumber(x) }
    private static func describe(_ n: JSONNode) -> String {
        switch n.value {
        case .number(let x): return format(x)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        default: return n.value.typeName
        }
    }
}

extension LintEnvironment {
    /// The environment for a run: image settings from the config's `images` section with
    /// command-line overrides, and a network checker when online mode is on (unless one was injected):
    /// the `newslint-online` helper, whose absence fails the run rather than skipping the checks.
    package func prepared(config: Configuration, baseDirectory: String) throws -> LintEnvironment {
        var env = self
        env.baseDirectory = baseDirectory
        if let node = config.sections["images"],
           let parsed = try? ImageSettings.parse(node, file: config.file ?? ".lint.json", directory: config.directory) {
            env.images = parsed
            // A repository config cannot open private hosts; only the command line can (imageOverrides).
            env.images.allowPrivateHosts = false
        }
        env.images = env.images.applying(imageOverrides)
        if env.images.online && env.urlChecker == nil {
            guard let helper = OnlineHelper.locate() else { throw OnlineHelperMissing() }
            env.urlChecker = HelperURLChecker(settings: env.images, helper: helper)
        }
        return env
    }
}
