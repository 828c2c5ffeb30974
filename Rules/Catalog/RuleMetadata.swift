import Foundation
import NewsLintCore

/// Whether a rule offers fixes, and of which applicability.
public enum Fixability: String, Sendable, Codable {
    case none, safe, unsafe
}

/// One documented option of a rule (`options` in `rule.json`): its type, default and meaning.
public struct RuleOptionSpec: Sendable {
    public var name: String
    /// `boolean`, `integer`, `number`, `string`, `string[]`, `array` or `object`; the default must have it.
    public var type: String
    public var defaultValue: JSONNode
    public var description: String
    /// Allowed values for string (or string-array) options, if restricted.
    public var allowed: [String]?

    public init(name: String, type: String? = nil, defaultValue: JSONNode, description: String, allowed: [String]? = nil) {
        self.name = name
        self.type = type ?? Self.type(of: defaultValue)
        self.defaultValue = defaultValue
        self.description = description
        self.allowed = allowed
    }

    public static let types = ["boolean", "integer", "number", "string", "string[]", "array", "object"]

    /// The option type a JSON value has (`integer` for whole numbers, `string[]` for a list of strings).
    public static func type(of value: JSONNode) -> String {
        if value.bool != nil { return "boolean" }
        if value.int != nil { return "integer" }
        if value.number != nil { return "number" }
        if value.string != nil { return "string" }
        if value.stringArray != nil { return "string[]" }
        if value.array != nil { return "array" }
        return "object"
    }

    /// Whether `value` is of this option's type (an integer is also a number; an empty list is any list).
    public func accepts(_ value: JSONNode) -> Bool {
        let actual = Self.type(of: value)
        switch type {
        case "number": return actual == "number" || actual == "integer"
        case "array": return actual == "array" || actual == "string[]"
        case "string[]": return actual == "string[]"
        default: return actual == type
        }
    }
}

/// A text example from the catalog, run by the generic example test.
public struct RuleExample: Sendable {
    /// The files of the example (one for per-file rules; several for cross-file rules).
    public var files: [(path: String, text: String)]
    /// Options to apply for this example (over the defaults).
    public var options: [String: JSONNode]
    /// Expected diagnostics (for `bad` examples): path (optional), line, optional column.
    public var expected: [ExpectedDiagnostic]
    /// The expected text after applying this rule's fixes (for fixable rules).
    public var fixed: String?
    /// Whether unsafe fixes are needed to reach `fixed`.
    public var unsafe: Bool
    /// Exact bytes of a single-file example given as `base64` (input that is not UTF-8);
    /// `files` then holds its lossy decoding for display.
    public var rawBytes: [UInt8]? = nil
}

public struct ExpectedDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var path: String?
    public var line: Int
    public var column: Int?
    public var messageContains: String?
    public var description: String {
        "\(path.map { $0 + ":" } ?? "")\(line)\(column.map { ":\($0)" } ?? "")\(messageContains.map { " ~\"\($0)\"" } ?? "")"
    }
}

/// Everything the catalog says about one rule (`Rules/<family>/<id>/`): its documentation, defaults and examples.
public struct RuleMetadata: Sendable {
    public var id: String
    public var family: String
    public var summary: String
    /// *What it finds*: what exactly the rule reports (and what it leaves alone).
    public var whatItFinds: String
    /// *Why it matters*: what goes wrong downstream when the problem stays.
    public var whyItMatters: String
    /// *Fix safety*: what the fix changes and why it is safe, unsafe or absent.
    public var fixSafety: String
    public var severity: Severity
    public var enabledByDefault: Bool
    public var fixable: Fixability
    public var options: [RuleOptionSpec]
    public var good: [RuleExample]
    public var bad: [RuleExample]
    /// File the metadata came from (e.g. `Rules/hygiene/final-newline/rule.json`).
    public var source: String

    public init(id: String, family: String, summary: String, whatItFinds: String, whyItMatters: String, fixSafety: String,
                severity: Severity, enabledByDefault: Bool, fixable: Fixability, options: [RuleOptionSpec],
                good: [RuleExample], bad: [RuleExample], source: String) {
        self.id = id
        self.family = family
        self.summary = summary
        self.whatItFinds = whatItFinds
        self.whyItMatters = whyItMatters
        self.fixSafety = fixSafety
        self.severity = severity
        self.enabledByDefault = enabledByDefault
        self.fixable = fixable
        self.options = options
        self.good = good
        self.bad = bad
        self.source = source
    }

    /// A rule described by one paragraph (user rule packs).
    public init(id: String, family: String, summary: String, rationale: String, severity: Severity, enabledByDefault: Bool,
                fixable: Fixability, options: [RuleOptionSpec], good: [RuleExample], bad: [RuleExample], source: String) {
        self.init(id: id, family: family, summary: summary, whatItFinds: rationale, whyItMatters: "", fixSafety: "",
                  severity: severity, enabledByDefault: enabledByDefault, fixable: fixable, options: options,
                  good: good, bad: bad, source: source)
    }

    /// The sections as one paragraph (SARIF help text, editor hovers): why, what, fix.
    public var rationale: String {
        [whyItMatters, whatItFinds, fixSafety].filter { !$0.isEmpty }.joined(separator: " ")
    }

    public func option(_ name: String) -> RuleOptionSpec? { options.first { $0.name == name } }

    /// Default option values as `RuleOptions`.
    public var defaultOptions: RuleOptions {
        var o = RuleOptions()
        for spec in options { o.set(spec.name, spec.defaultValue) }
        return o
    }
}

/// A problem in a catalog or rule-pack file, with its location: the one JSON input error.
public typealias CatalogError = JSONFileError

extension RuleMetadata {
    package static let knownKeys = ["id", "family", "summary", "whatItFinds", "whyItMatters", "fixSafety", "severity", "enabled", "fixable", "options", "$comment"]
    package static let optionKeys = ["type", "default", "description", "allowed"]

    /// Parses a rule folder: its `rule.json` text and the files under its `examples/`
    /// (paths relative to `examples/`, see `RuleExamples`).
    public static func parse(_ text: String, file: String, examples: [(path: String, bytes: [UInt8])] = []) throws -> RuleMetadata {
        let root: JSONNode
        do {
            root = try JSONParser.parse(text)
        } catch let e as JSONSyntaxError {
            throw CatalogError(file: file, position: e.position, message: e.message)
        }
        guard let members = root.members else {
            throw CatalogError(file: file, position: root.position, message: "expected a JSON object describing one rule")
        }
        func fail(_ node: JSONNode?, _ message: String) -> CatalogError {
            CatalogError(file: file, position: node?.position ?? root.position, message: message)
        }
        for m in members where !knownKeys.contains(m.key) {
            let hint = Suggest.hint(for: m.key, in: knownKeys)
            throw CatalogError(file: file, position: m.keyPosition, message: "unknown key '\(m.key)'\(hint)")
        }
        func requiredString(_ key: String) throws -> String {
            guard let node = root[key] else { throw fail(root, "missing required key '\(key)'") }
            guard let s = node.string, !s.isEmpty else { throw fail(node, "'\(key)' must be a non-empty string") }
            return s
        }
        let id = try requiredString("id")
        let family = try requiredString("family")
        let summary = try requiredString("summary")
        let whatItFinds = try requiredString("whatItFinds")
        let whyItMatters = try requiredString("whyItMatters")
        let fixSafety = try requiredString("fixSafety")
        let severityText = try requiredString("severity")
        guard let severity = Severity(rawValue: severityText) else {
            throw fail(root["severity"], "'severity' must be one of error, warning, info")
        }
        let fixableText = root["fixable"]?.string ?? "none"
        guard let fixable = Fixability(rawValue: fixableText) else {
            throw fail(root["fixable"], "'fixable' must be one of none, safe, unsafe")
        }
        var enabled = true
        if let e = root["enabled"] {
            guard let b = e.bool else { throw fail(e, "'enabled' must be true or false") }
            enabled = b
        }
        var options: [RuleOptionSpec] = []
        if let o = root["options"] {
            guard let optionMembers = o.members else { throw fail(o, "'options' must be an object of option specs") }
            for m in optionMembers {
                guard let specMembers = m.value.members, let def = m.value["default"] else {
                    throw CatalogError(file: file, position: m.value.position, message: "option '\(m.key)' needs an object with 'type' and 'default'")
                }
                for k in specMembers where !optionKeys.contains(k.key) {
                    let hint = Suggest.hint(for: k.key, in: optionKeys)
                    throw CatalogError(file: file, position: k.keyPosition, message: "unknown key '\(k.key)' in option '\(m.key)'\(hint)")
                }
                guard let type = m.value["type"]?.string, RuleOptionSpec.types.contains(type) else {
                    throw fail(m.value["type"] ?? m.value, "option '\(m.key)' needs a 'type': one of \(RuleOptionSpec.types.joined(separator: ", "))")
                }
                let spec = RuleOptionSpec(name: m.key, type: type, defaultValue: def, description: m.value["description"]?.string ?? "",
                                          allowed: m.value["allowed"]?.stringArray)
                guard spec.accepts(def) else {
                    throw fail(def, "the default of option '\(m.key)' is not of its type \(type)")
                }
                options.append(spec)
            }
        }
        let (good, bad) = try RuleExamples.parse(examples, folder: (file as NSString).deletingLastPathComponent + "/examples")
        return RuleMetadata(id: id, family: family, summary: summary, whatItFinds: whatItFinds, whyItMatters: whyItMatters,
                            fixSafety: fixSafety, severity: severity, enabledByDefault: enabled, fixable: fixable,
                            options: options, good: good, bad: bad, source: file)
    }
}
