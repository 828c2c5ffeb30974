/// A command-line option a subcommand accepts.
public struct OptionSpec: Sendable {
    public var name: String          // long name without dashes
    public var short: Character?
    public var valueName: String?    // nil: a flag
    public var allowed: [String]?
    public var repeatable: Bool
    public var help: String

    /// Whether the value is a path (FILE, DIR, PATH), which may not be empty: an empty path resolved
    /// to the current directory or, joined with a `/`, to the root.
    public var takesPath: Bool { valueName.map { ["FILE", "DIR", "PATH"].contains($0) } ?? false }

    public init(_ name: String, short: Character? = nil, value: String? = nil, allowed: [String]? = nil, repeatable: Bool = false, help: String) {
        self.name = name
        self.short = short
        self.valueName = value
        self.allowed = allowed
        self.repeatable = repeatable
        self.help = help
    }
}


/// Parsed arguments of one subcommand.
public struct ParsedArguments: Sendable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public func value(_ name: String) -> String? { values[name]?.last }
    public func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
    /// All values of a repeatable list option, splitting commas (`--select a,b --select c`).
    public func list(_ name: String) -> [String]? {
        guard let v = values[name] else { return nil }
        return v.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}

/// A small, strict GNU-style parser: `--name value`, `--name=value`, `-x value`,
/// bundled short flags, and `--` to end options. `-` is a positional (stdin).
public struct ArgumentParser {
    public let command: String
    public let options: [OptionSpec]

    public init(command: String, options: [OptionSpec]) {
        self.command = command
        self.options = options
    }

    public func parse(_ args: [String]) throws -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        var onlyPositionals = false
        func spec(long name: String) throws -> OptionSpec {
            if let s = options.first(where: { $0.name == name }) { return s }
            let hint = Suggest.hint(for: name, in: options.map(\.name), spelling: { "--" + $0 })
            throw UsageError("unknown option '--\(name)' for '\(command)'\(hint) (see 'newslint help \(command)')")
        }
        func store(_ s: OptionSpec, _ value: String?) throws {
            if let valueName = s.valueName {
                guard let value else { throw UsageError("option '--\(s.name)' needs a value (\(valueName))") }
                if value.isEmpty, s.takesPath {
                    throw UsageError("option '--\(s.name)' needs a \(valueName), got an empty string (an unset shell variable?)")
                }
                if let allowed = s.allowed, !allowed.contains(value) {
                    let hint = Suggest.hint(for: value, in: allowed)
                    throw UsageError("invalid value '\(value)' for '--\(s.name)': expected one of \(allowed.joined(separator: ", "))\(hint)")
                }
                // `-o -` is standard output, as most CLIs read it: the default, not a file named `-`.
                if s.name == "output" && value == "-" { result.values[s.name] = nil; return }
                // Like most CLIs, the last value of a single-valued option wins.
                if s.repeatable { result.values[s.name, default: []].append(value) } else { result.values[s.name] = [value] }
            } else {
                if value != nil { throw UsageError("option '--\(s.name)' does not take a value") }
                result.flags.insert(s.name)
            }
        }
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositionals || a == "-" || !a.hasPrefix("-") {
                // Paths, rule ids and facts files are never empty; an empty path was linted as `/`'s
                // entries (the directory's name joined to each entry with a `/`).
                if a.isEmpty { throw UsageError("an empty argument was given (an unset shell variable?); name a path, or '.' for the current directory") }
                result.positionals.append(a)
                continue
            }
            if a == "--" { onlyPositionals = true; continue }
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                let name: String
                var inline: String?
                if let eq = body.firstIndex(of: "=") {
                    name = String(body[..<eq])
                    inline = String(body[body.index(after: eq)...])
                } else {
                    name = String(body)
                }
                let s = try spec(long: name)
                if let valueName = s.valueName, inline == nil {
                    guard i < args.count, !(args[i].hasPrefix("-") && args[i] != "-") else {
                        throw UsageError("option '--\(s.name)' needs a value (\(valueName)); to pass a value starting with '-', write --\(s.name)=VALUE")
                    }
                    inline = args[i]
                    i += 1
                }
                try store(s, inline)
                continue
            }
            // Short options, possibly bundled (-qj4 is not supported; -q -j 4 is).
            let shorts = Array(a.dropFirst())
            for (k, c) in shorts.enumerated() {
                guard let s = options.first(where: { $0.short == c }) else {
                    let longs = options.compactMap { $0.short.map { "-\($0)" } }.joined(separator: ", ")
                    throw UsageError("unknown option '-\(c)' for '\(command)' (short options: \(longs.isEmpty ? "none" : longs))")
                }
                if s.valueName != nil {
                    let rest = String(shorts[(k + 1)...])
                    if !rest.isEmpty {
                        try store(s, rest)
                    } else {
                        guard i < args.count, !(args[i].hasPrefix("-") && args[i] != "-") else { throw UsageError("option '-\(c)' needs a value (\(s.valueName ?? "VALUE"))") }
                        try store(s, args[i])
                        i += 1
                    }
                    break
                }
                try store(s, nil)
            }
        }
        return result
    }

    /// Help text listing the options.
    public func optionsHelp() -> String {
        var lines: [String] = []
        for o in options {
            var left = "  "
            left += o.short.map { "-\($0), " } ?? "    "
            left += "--\(o.name)"
            if let v = o.valueName { left += " \(v)" }
            let pad = max(2, 32 - left.count)
            var help = o.help
            if let allowed = o.allowed { help += " [\(allowed.joined(separator: "|"))]" }
            lines.append(left + String(repeating: " ", count: pad) + help)
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer
