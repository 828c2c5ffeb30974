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
    private var examples: RuleExampleSource
    /// Examples the rule must leave quiet.
    public var good: [RuleExample] { examples.parsed.good }
    /// Examples the rule must report (with the expected fixed text for fixable rules).
    public var bad: [RuleExample] { examples.parsed.bad }
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
        self.examples = .parsed(ParsedExamples(good: good, bad: bad))
        self.source = source
    }

    /// A built-in rule as `Scripts/embed-catalog` decoded its `rule.json`; its examples are read
    /// from `examplesFolder` (`<family>/<id>`) of the embedded files when first asked for.
    package init(id: String, family: String, summary: String, whatItFinds: String, whyItMatters: String, fixSafety: String,
                 severity: Severity, enabledByDefault: Bool, fixable: Fixability, options: [RuleOptionSpec],
                 source: String, examplesFolder: String) {
        self.init(id: id, family: family, summary: summary, whatItFinds: whatItFinds, whyItMatters: whyItMatters, fixSafety: fixSafety,
                  severity: severity, enabledByDefault: enabledByDefault, fixable: fixable, options: options,
                  good: [], bad: [], source: source)
        examples = .deferred(DeferredExamples(folder: "Rules/\(examplesFolder)/examples", files: { EmbeddedFiles.examples(of: examplesFolder) }))
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
    /// `rule.json` as written; decoded by `JSONNodeDecoder` (positions, JSON paths, unknown keys
    /// with a suggestion), then checked for what a type cannot say (non-empty text, known values).
    package struct RuleFile: Decodable {
        package enum CodingKeys: String, CodingKey, CaseIterable {
            case id, family, summary, whatItFinds, whyItMatters, fixSafety, severity, enabled, fixable, options
        }
        package var id: Located<String>
        package var family: Located<String>
        package var summary: Located<String>
        package var whatItFinds: Located<String>
        package var whyItMatters: Located<String>
        package var fixSafety: Located<String>
        package var severity: Located<String>
        package var enabled: Bool?
        package var fixable: Located<String>?
        package var options: KeyedList<OptionFile>?
    }

    /// One entry of `options`: `{"type": …, "default": …, "description": …, "allowed": […]}`.
    package struct OptionFile: Decodable, Sendable {
        package enum CodingKeys: String, CodingKey, CaseIterable { case type, `default`, description, allowed }
        package var type: Located<String>
        package var `default`: JSONNode
        package var description: String?
        package var allowed: [String]?
    }

    /// Parses a rule folder: its `rule.json` text and the files under its `examples/`
    /// (paths relative to `examples/`, see `RuleExamples`). The built-in catalog is decoded by
    /// `Scripts/embed-catalog` instead; CatalogTests checks it against this.
    public static func parse(_ text: String, file: String, examples: [(path: String, bytes: [UInt8])] = []) throws -> RuleMetadata {
        let decoder = JSONNodeDecoder(file: file)
        let rule = try decoder.decode(RuleFile.self, fromJSON: Array(text.utf8))
        func fail(_ position: SourcePosition, _ path: String, _ message: String) -> CatalogError {
            CatalogError(file: file, position: position, jsonPath: path, message: message)
        }
        func nonEmpty(_ value: Located<String>, _ key: String) throws -> String {
            guard !value.value.isEmpty else { throw fail(value.position, key, "must be a non-empty string") }
            return value.value
        }
        func oneOf<T: RawRepresentable>(_ value: Located<String>, _ key: String, _ names: [String]) throws -> T where T.RawValue == String {
            guard let v = T(rawValue: value.value) else {
                throw fail(value.position, key, "'\(value.value)' is not allowed; expected one of \(names.joined(separator: ", "))" + Suggest.hint(for: value.value, in: names))
            }
            return v
        }
        let severity: Severity = try oneOf(rule.severity, "severity", Severity.allCases.map(\.rawValue))
        let fixable: Fixability = try rule.fixable.map { value -> Fixability in try oneOf(value, "fixable", ["none", "safe", "unsafe"]) } ?? .none
        var options: [RuleOptionSpec] = []
        for (name, o) in rule.options?.entries ?? [] {
            let path = "options.\(name)"
            let type = o.type.value
            guard RuleOptionSpec.types.contains(type) else {
                throw fail(o.type.position, path + ".type", "'\(type)' is not allowed; expected one of \(RuleOptionSpec.types.joined(separator: ", "))" + Suggest.hint(for: type, in: RuleOptionSpec.types))
            }
            let spec = RuleOptionSpec(name: name, type: type, defaultValue: o.default, description: o.description ?? "", allowed: o.allowed)
            guard spec.accepts(o.default) else {
                throw fail(o.default.position, path + ".default", "the default is not of the option's type \(type)")
            }
            options.append(spec)
        }
        let (good, bad) = try RuleExamples.parse(examples, folder: PathComponents.deletingLastComponent(file) + "/examples")
        return RuleMetadata(id: try nonEmpty(rule.id, "id"), family: try nonEmpty(rule.family, "family"), summary: try nonEmpty(rule.summary, "summary"),
                            whatItFinds: try nonEmpty(rule.whatItFinds, "whatItFinds"), whyItMatters: try nonEmpty(rule.whyItMatters, "whyItMatters"),
                            fixSafety: try nonEmpty(rule.fixSafety, "fixSafety"), severity: severity, enabledByDefault: rule.enabled ?? true,
                            fixable: fixable, options: options, good: good, bad: bad, source: file)
    }
}

/// A rule's examples, parsed.
public struct ParsedExamples: Sendable {
    public var good: [RuleExample]
    public var bad: [RuleExample]
}

/// Where a rule's examples come from: given (packs, tests) or parsed on first use (built-in).
package enum RuleExampleSource: Sendable {
    case parsed(ParsedExamples)
    case deferred(DeferredExamples)

    package var parsed: ParsedExamples {
        switch self {
        case .parsed(let examples): return examples
        case .deferred(let deferred): return deferred.examples
        }
    }
}

/// Built-in examples, parsed once when first asked for (CatalogTests parses them all eagerly,
/// so a broken one fails the tests rather than a user's run).
package final class DeferredExamples: Sendable {
    private let folder: String
    private let files: @Sendable () -> [(path: String, bytes: [UInt8])]
    private let parsed = ComputedOnce<ParsedExamples>()

    package init(folder: String, files: @escaping @Sendable () -> [(path: String, bytes: [UInt8])]) {
        self.folder = folder
        self.files = files
    }

    package var examples: ParsedExamples {
        parsed.value {
            do {
                let (good, bad) = try RuleExamples.parse(files(), folder: folder)
                return ParsedExamples(good: good, bad: bad)
            } catch {
                // Built-in examples are parsed eagerly by CatalogTests: a broken one is a build defect.
                fatalError("embedded rule examples are invalid: \(error)")
            }
        }
    }
}
