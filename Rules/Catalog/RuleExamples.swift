import Foundation
import NewsLintCore

/// Reads a rule's `examples/` folder into `RuleExample`s.
///
/// Layout (names pair examples with their expectations):
/// - `good-<name>.<ext>`: a file the rule must leave quiet.
/// - `bad-<name>.<ext>`: a file the rule must report; `bad-<name>.json` says where.
/// - `fixed-<name>.<ext>`: `bad-<name>` after the rule's fixes (fixable rules).
/// - `good-<name>/`, `bad-<name>/`: a folder of files linted together (cross-file rules);
///   paths inside the folder are the paths the rule sees.
/// - `<good|bad>-<name>.json`, the sidecar: `expect` (line numbers, or objects with `line`,
///   `column`, `path`, `message`), `options` (over the defaults), `unsafe` (the fix needs
///   `--unsafe-fixes`), `path` (the path the rule sees for a single file; default `example.<ext>`).
///
/// Files are bytes: an example that is not UTF-8 is kept exactly (`RuleExample.rawBytes`).
public enum RuleExamples {

    /// One `good-*`, `bad-*` or `fixed-*` entry: its files, and its sidecar if any.
    private struct Entry {
        var files: [(path: String, bytes: [UInt8])] = []
        var isFolder = false
        var fileExtension = ""
        var sidecar: (path: String, bytes: [UInt8])?
    }

    /// `files`: paths relative to `examples/` and bytes. `folder` names the folder in errors.
    public static func parse(_ files: [(path: String, bytes: [UInt8])], folder: String) throws -> (good: [RuleExample], bad: [RuleExample]) {
        var entries: [String: Entry] = [:]
        for file in files {
            let parts = file.path.split(separator: "/", maxSplits: 1).map(String.init)
            let name = parts[0]
            if parts.count == 2 {
                entries[name, default: Entry()].isFolder = true
                entries[name, default: Entry()].files.append((parts[1], file.bytes))
                continue
            }
            guard let dot = name.firstIndex(of: ".") else {
                throw CatalogError(file: "\(folder)/\(name)", position: nil, message: "an example file needs an extension (bad-1.md, good-1.html, bad-1.json)")
            }
            let stem = String(name[..<dot]), ext = String(name[dot...])
            if ext == ".json" {
                entries[stem, default: Entry()].sidecar = (name, file.bytes)
            } else {
                entries[stem, default: Entry()].files.append((name, file.bytes))
                entries[stem, default: Entry()].fileExtension = ext
            }
        }
        var good: [(String, RuleExample)] = [], bad: [(String, RuleExample)] = []
        for (stem, entry) in entries {
            guard let dash = stem.firstIndex(of: "-"), ["good", "bad", "fixed"].contains(String(stem[..<dash])) else {
                throw CatalogError(file: "\(folder)/\(stem)", position: nil, message: "example names start with good-, bad- or fixed- (e.g. bad-1.md)")
            }
            let kind = String(stem[..<dash]), suffix = String(stem[stem.index(after: dash)...])
            if entry.files.isEmpty {
                throw CatalogError(file: "\(folder)/\(stem).json", position: nil, message: "sidecar without an example file \(stem).<ext> or folder \(stem)/")
            }
            if !entry.isFolder && entry.files.count > 1 {
                throw CatalogError(file: "\(folder)/\(stem)", position: nil, message: "two example files named \(stem): \(entry.files.map(\.path).joined(separator: ", "))")
            }
            if kind == "fixed" {
                guard entries["bad-" + suffix] != nil else {
                    throw CatalogError(file: "\(folder)/\(entry.files[0].path)", position: nil, message: "fixed-\(suffix) has no bad-\(suffix) to pair with")
                }
                continue
            }
            var example = try makeExample(entry, file: "\(folder)/\(entry.sidecar?.path ?? stem)", isBad: kind == "bad")
            if kind == "bad", let fixed = entries["fixed-" + suffix] {
                guard !entry.isFolder, !fixed.isFolder, fixed.files.count == 1 else {
                    throw CatalogError(file: "\(folder)/fixed-\(suffix)", position: nil, message: "a fixed example is one file, paired with a one-file bad example")
                }
                example.fixed = String(decoding: fixed.files[0].bytes, as: UTF8.self)
            }
            if kind == "good" { good.append((suffix, example)) } else { bad.append((suffix, example)) }
        }
        return (good.sorted { naturalOrder($0.0, $1.0) }.map(\.1), bad.sorted { naturalOrder($0.0, $1.0) }.map(\.1))
    }

    /// `2` before `10`; names that are not numbers after numbers, alphabetically.
    package static func naturalOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }

    private static func makeExample(_ entry: Entry, file: String, isBad: Bool) throws -> RuleExample {
        var options: [String: JSONNode] = [:]
        var expected: [ExpectedDiagnostic] = []
        var unsafe = false
        var path: String?
        if let sidecar = entry.sidecar {
            let decoded = try JSONNodeDecoder(file: file).decode(Sidecar.self, fromJSON: sidecar.bytes)
            options = decoded.options?.entries.reduce(into: [:]) { $0[$1.key] = $1.value } ?? [:]
            expected = decoded.expect?.map(\.diagnostic) ?? []
            unsafe = decoded.unsafe ?? false
            if let p = decoded.path {
                guard !p.value.isEmpty, !entry.isFolder else {
                    throw CatalogError(file: file, position: p.position, jsonPath: "path", message: "'path' is a non-empty string, for a one-file example")
                }
                path = p.value
            }
        }
        if isBad && expected.isEmpty {
            throw CatalogError(file: file, position: nil, message: "a bad example needs a sidecar with 'expect' (at least one line)")
        }
        var example = RuleExample(files: [], options: options, expected: expected, fixed: nil, unsafe: unsafe)
        if entry.isFolder {
            example.files = entry.files.sorted { $0.path < $1.path }.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) }
        } else {
            let bytes = entry.files[0].bytes
            example.files = [(path ?? "example" + entry.fileExtension, String(decoding: bytes, as: UTF8.self))]
            if String(validating: bytes, as: UTF8.self) == nil { example.rawBytes = bytes }
        }
        return example
    }
}

/// A bad example's sidecar (`bad-1.json`): where it fires, options, unsafe fixes, the path the rule sees.
private struct Sidecar: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case expect, options, unsafe, path }
    var expect: [Expectation]?
    var options: KeyedList<JSONNode>?
    var unsafe: Bool?
    var path: Located<String>?

    /// A line number, or `{line, column?, path?, message?}`.
    enum Expectation: Decodable {
        case line(Int)
        case located(Place)

        /// `{line, column?, path?, message?}` (not the generic `Located<T>`: this is where a finding is expected).
        struct Place: Decodable {
            enum CodingKeys: String, CodingKey, CaseIterable { case line, column, path, message }
            var line: Int
            var column: Int?
            var path: String?
            var message: String?
        }

        init(from decoder: any Decoder) throws {
            if let line = try? decoder.singleValueContainer().decode(Int.self) {
                self = .line(line)
            } else {
                self = .located(try Place(from: decoder))
            }
        }

        var diagnostic: ExpectedDiagnostic {
            switch self {
            case let .line(n): return ExpectedDiagnostic(path: nil, line: n, column: nil, messageContains: nil)
            case let .located(e): return ExpectedDiagnostic(path: e.path, line: e.line, column: e.column, messageContains: e.message)
            }
        }
    }
}
