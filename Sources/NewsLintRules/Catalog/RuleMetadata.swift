import Foundation
import NewsLintCore

/// Whether a rule offers fixes, and of which applicability.
public enum Fixability: String, Sendable, Codable {
    case none, safe, unsafe
}

/// One documented option of a rule; its type is the JSON type of its default.
public struct RuleOptionSpec: Sendable {
    public var name: String
    public var defaultValue: JSONNode
    public var description: String
    /// Allowed values for string (or string-array) options, if restricted.
    public var allowed: [String]?
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

/// Everything the catalog says about one rule: its documentation, defaults and examples.
public struct RuleMetadata: Sendable {
    public var id: String
    public var family: String
    public var summary: String
    public var rationale: String
    public var severity: Severity
    public var enabledByDefault: Bool
    public var fixable: Fixability
    public var options: [RuleOptionSpec]
    public var good: [RuleExample]
    public var bad: [RuleExample]
    /// File the metadata came from (e.g. `final-newline.json`).
    public var source: String
    package init(id: String, family: String, summary: String, rationale: String, severity: Severity, enabledByDefault: Bool, fixable: Fixability, options: [RuleOptionSpec], good: [RuleExample], bad: [RuleExample], source: String) {
        self.id = id
        self.family = family
        self.summary = summary
        self.rationale = rationale
        self.severity = severity
        self.enabledByDefault = enabledByDefault
        self.fixable = fixable
        self.options = options
        self.good = good
        self.bad = bad
        self.source = source
    }

    public func option(_ name: String) -> RuleOptionSpec? { options.first { $0.name == name } }

    /// Default option values as `RuleOptions`.
    public var defaultOptions: RuleOptions {
        var o = RuleOptions()
        for spec in options { o.set(spec.name, spec.defaultValue) }
        return o
    }
}

/// A problem in a catalog or rule-pack file, with its location.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition?
    public var message: String
    package init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }
    public var description: String {
        "\(file)\(position.map { ":\($0.line):\($0.column)" } ?? ""): \(message)"
    }
}

extension RuleMetadata {
    package static let knownKeys = ["id", "family", "summary", "rationale", "severity", "enabled", "fixable", "options", "examples", "$comment"]

    /// Parses one catalog JSON file.
    public static func parse(_ text: String, file: String) throws -> RuleMetadata {
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
            let hint = Suggest.closest(to: m.key, in: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
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
        let rationale = try requiredString("rationale")
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
                guard let spec = m.value.members != nil ? m.value : nil, let def = spec["default"] else {
                    throw CatalogError(file: file, position: m.value.position, message: "option '\(m.key)' needs an object with a 'default'")
                }
                let allowed = spec["allowed"]?.stringArray
                options.append(RuleOptionSpec(name: m.key, defaultValue: def, description: spec["description"]?.string ?? "", allowed: allowed))
            }
        }
        var good: [RuleExample] = []
        var bad: [RuleExample] = []
        if let ex = root["examples"] {
            guard ex.members != nil else { throw fail(ex, "'examples' must be an object with 'good' and 'bad' arrays") }
            for (key, target) in [("good", 0), ("bad", 1)] {
                guard let list = ex[key] else { continue }
                guard let items = list.array else { throw fail(list, "'examples.\(key)' must be an array") }
                for item in items {
                    let example = try parseExample(item, file: file, isBad: target == 1)
                    if target == 0 { good.append(example) } else { bad.append(example) }
                }
            }
        }
        return RuleMetadata(id: id, family: family, summary: summary, rationale: rationale, severity: severity,
                            enabledByDefault: enabled, fixable: fixable, options: options, good: good, bad: bad, source: file)
    }

    private static func exampleText(_ node: JSONNode, file: String) throws -> String {
        if let s = node.string { return s }
        if let lines = node.stringArray { return lines.joined(separator: "\n") }
        throw CatalogError(file: file, position: node.position, message: "example text must be a string or an array of lines")
    }

    private static func parseExample(_ node: JSONNode, file: String, isBad: Bool) throws -> RuleExample {
        guard node.members != nil else {
            throw CatalogError(file: file, position: node.position, message: "an example must be an object with 'text' (or 'files')")
        }
        var files: [(String, String)] = []
        var rawBytes: [UInt8]?
        if let b = node["base64"] {
            guard let s = b.string, let data = Data(base64Encoded: s) else {
                throw CatalogError(file: file, position: b.position, message: "'base64' must be a base64 string")
            }
            rawBytes = [UInt8](data)
            files.append((node["path"]?.string ?? "example.md", String(decoding: data, as: UTF8.self)))
        } else if let t = node["text"] {
            files.append((node["path"]?.string ?? "example.md", try exampleText(t, file: file)))
        } else if let fs = node["files"]?.array {
            for f in fs {
                guard let p = f["path"]?.string, let t = f["text"] else {
                    throw CatalogError(file: file, position: f.position, message: "each of 'files' needs 'path' and 'text'")
                }
                files.append((p, try exampleText(t, file: file)))
            }
        } else {
            throw CatalogError(file: file, position: node.position, message: "an example needs 'text' or 'files'")
        }
        var options: [String: JSONNode] = [:]
        if let o = node["options"]?.members { for m in o { options[m.key] = m.value } }
        var expected: [ExpectedDiagnostic] = []
        if let list = node["expect"] {
            guard let items = list.array else { throw CatalogError(file: file, position: list.position, message: "'expect' must be an array") }
            for item in items {
                if let line = item.int {
                    expected.append(ExpectedDiagnostic(path: nil, line: line, column: nil, messageContains: nil))
                } else if let line = item["line"]?.int {
                    expected.append(ExpectedDiagnostic(path: item["path"]?.string, line: line, column: item["column"]?.int, messageContains: item["message"]?.string))
                } else {
                    throw CatalogError(file: file, position: item.position, message: "each 'expect' entry is a line number or {line, column?, path?, message?}")
                }
            }
        }
        if isBad && expected.isEmpty {
            throw CatalogError(file: file, position: node.position, message: "a bad example needs 'expect' with at least one line")
        }
        var fixed: String?
        if let f = node["fixed"] { fixed = try exampleText(f, file: file) }
        return RuleExample(files: files, options: options, expected: expected, fixed: fixed, unsafe: node["unsafe"]?.bool ?? false, rawBytes: rawBytes)
    }
}
