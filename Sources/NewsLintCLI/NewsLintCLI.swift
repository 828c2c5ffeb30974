import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// Where the command-line tool reads and writes; injectable for tests.
public struct ToolIO: Sendable {
    public var stdout: @Sendable (String) -> Void
    public var stderr: @Sendable (String) -> Void
    public var readStdin: @Sendable () -> [UInt8]
    public var currentDirectory: String
    public var environment: [String: String]
    public var stdoutIsTerminal: Bool
    public var stderrIsTerminal: Bool
    /// Raw bytes to stdout (fixed stdin text is echoed byte for byte, invalid UTF-8 included).
    public var stdoutBytes: @Sendable ([UInt8]) -> Void
    /// The same from bytes in place: the report's chunks are written from its buffer (copying each
    /// into an array first was 4% of a warm run's main thread). Defaults to `stdoutBytes`.
    public var stdoutBuffer: @Sendable (UnsafeRawBufferPointer) -> Void

    public init(stdout: @escaping @Sendable (String) -> Void, stderr: @escaping @Sendable (String) -> Void,
                readStdin: @escaping @Sendable () -> [UInt8], currentDirectory: String, environment: [String: String],
                stdoutIsTerminal: Bool = false, stderrIsTerminal: Bool = false,
                stdoutBytes: (@Sendable ([UInt8]) -> Void)? = nil,
                stdoutBuffer: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil) {
        self.stdout = stdout
        let bytesOut = stdoutBytes ?? { bytes in stdout(String(decoding: bytes, as: UTF8.self)) }
        self.stdoutBytes = bytesOut
        self.stdoutBuffer = stdoutBuffer ?? { raw in bytesOut(Array(raw)) }
        self.stderr = stderr
        self.readStdin = readStdin
        self.currentDirectory = currentDirectory
        self.environment = environment
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
    }

    /// The real process streams.
    public static var process: ToolIO {
        ToolIO(
            stdout: { s in writeStandardOutput(Array(s.utf8)) },
            // Messages on stderr may name a path that is not UTF-8: shown escaped (SystemPath).
            stderr: { s in _ = writeAll(2, Array(SystemPath.displayText(s).utf8)) },
            readStdin: { readStandardInput() },
            currentDirectory: SystemPath.currentDirectory(),
            environment: ProcessInfo.processInfo.environment,
            stdoutIsTerminal: isatty(1) == 1,
            stderrIsTerminal: isatty(2) == 1,
            // Written from the array itself (`Data(bytes)` copied every chunk of output first).
            stdoutBytes: { bytes in writeStandardOutput(bytes) },
            stdoutBuffer: { raw in writeStandardOutput(raw) }
        )
    }

    /// Standard output that cannot be written (a full disk, an I/O error) ends the run with a
    /// message and exit code 2 rather than a crash; a closed pipe ends it quietly, as SIGPIPE does.
    fileprivate static func writeStandardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeStandardOutput($0) }
    }

    fileprivate static func writeStandardOutput(_ bytes: UnsafeRawBufferPointer) {
        guard let failure = FileDescriptorWriting.writeAll(bytes, to: 1) else { return }
        if failure == EPIPE { BrokenPipe.end() }
        _ = writeAll(2, Array("error: cannot write to standard output: \(String(cString: strerror(failure))); free space on its disk or redirect it elsewhere (--output FILE)\n".utf8))
        // A cache being saved beside the output (`CacheSaving`) is finished first.
        CacheSaving.waitForRunning()
        exit(ExitCode.failure)
    }

    /// All of standard input; one that cannot be read (closed, a directory) ends the run with a
    /// message and exit code 2 rather than a crash.
    private static func readStandardInput() -> [UInt8] {
        switch FileReader.readToEnd(0) {
        case let .bytes(bytes):
            return bytes
        case let .failed(failure):
            let reason = String(cString: strerror(failure))
            _ = writeAll(2, Array("error: cannot read standard input ('-'): \(reason); pipe the text in (newslint - < FILE) or name the files instead\n".utf8))
            exit(ExitCode.failure)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        FileDescriptorWriting.writeAll(bytes, to: fd)
    }
}

/// Exit statuses: 0 no errors, 1 errors found, 2 usage, config or I/O failure.
public enum ExitCode {
    public static let ok: Int32 = 0
    public static let lintErrors: Int32 = 1
    public static let failure: Int32 = 2
}

/// The `newslint` command line: parses argv and calls the library.
public enum NewsLintCLI {
    public static let version = NewsLintVersion.current

    package static let subcommands = ["lint", "check", "report", "rules", "explain", "init", "learn", "merge", "clean", "server", "help"]

    /// Options several subcommands accept, defined once so their names and help agree.
    package enum Shared {
        package static let output = OptionSpec("output", short: "o", value: "FILE", help: "Write the report to FILE instead of stdout")
        package static let select = OptionSpec("select", value: "RULES", repeatable: true, help: "Run only these rules or families (comma-separated)")
        package static let ignore = OptionSpec("ignore", value: "RULES", repeatable: true, help: "Skip these rules or families (comma-separated)")
        package static let config = OptionSpec("config", short: "c", value: "FILE", help: "Use this config instead of discovering .lint.json")
        package static let noConfig = OptionSpec("no-config", help: "Ignore .lint.json files; use built-in defaults")
        package static let jobs = OptionSpec("jobs", short: "j", value: "N", help: "Files linted in parallel (default: active cores)")
        package static let color = OptionSpec("color", value: "WHEN", allowed: ["auto", "always", "never"], help: "Colour output (default: auto; honours FORCE_COLOR, then NO_COLOR; never in an --output file)")
        package static let quiet = OptionSpec("quiet", short: "q", help: "Print only diagnostics: no summary lines")
        package static let help = OptionSpec("help", short: "h", help: "Show this help")
    }

    /// Every option of `lint`: the core set plus the blocks owned by subsystems (each in its own file).
    package static let lintOptions: [OptionSpec] = coreLintOptions + fixOptions + reportingOptions + imageOptions + scaleOptions + projectOptions + [helpOption]

    package static let coreLintOptions: [OptionSpec] = [
        OptionSpec("format", value: "FORMAT", allowed: OutputFormat.allCases.map(\.rawValue), help: "Output format (default: text)"),
        Shared.output,
        Shared.select,
        Shared.ignore,
        Shared.config,
        Shared.noConfig,
        Shared.jobs,
        Shared.color,
        Shared.quiet,
        OptionSpec("stdin-filename", value: "PATH", help: "Name to use for input read from '-' (stdin); a file of that name also found on disk is linted as this text instead"),
        OptionSpec("force-exclude", help: "Apply exclude globs to files named explicitly (and to --stdin-filename)"),
        OptionSpec("aggregate", value: "N", help: "Report N or more identical findings in one file as one, with a count and one fix (default: \(FindingAggregation.defaultThreshold); 0: list each)"),
        OptionSpec("file-time-budget", value: "SECONDS", help: "Stop a file's rules once they have run this long: the running rule stops partway, the rest are skipped (default: 30; 0: no budget)"),
        OptionSpec("max-findings-per-rule", value: "N", help: "List at most N findings per rule per file, then their count (default: 1000; 0: all)"),
        OptionSpec("fix-hardlinks", help: "Fix files that have several hard links, in place (refused by default: replacing the file would split the links)"),
        OptionSpec("follow-symlinks", help: "Follow symlinks that lead outside the linted paths (skipped by default; --fix never writes outside them otherwise)"),
    ]

    /// Options every subcommand accepts.
    package static let helpOption = Shared.help

    package static let rulesOptions: [OptionSpec] = [
        OptionSpec("format", value: "FORMAT", allowed: ["text", "json", "markdown"], help: "Output format (default: text)"),
        OptionSpec("config", short: "c", value: "FILE", help: "Include rules from this config's rule packs"),
        OptionSpec("no-config", help: "Built-in rules only"),
    ]
    package static let explainOptions: [OptionSpec] = [
        OptionSpec("config", short: "c", value: "FILE", help: "Include rules from this config's rule packs"),
        OptionSpec("no-config", help: "Built-in rules only"),
    ]
    package static let initOptions: [OptionSpec] = [
        OptionSpec("force", help: "Overwrite an existing .lint.json"),
        OptionSpec("preset", value: "NAME", allowed: FrontMatterPreset.names, help: "Front-matter schema of the site generator (jekyll, hugo, generic), or plain for files without front matter"),
    ]

    package static let fixOptions: [OptionSpec] = [
        OptionSpec("fix", help: "Apply safe fixes in place"),
        OptionSpec("unsafe-fixes", help: "With --fix, also apply unsafe fixes; without it, show them as available"),
        OptionSpec("diff", help: "Print the changes --fix would make as a unified diff; write nothing"),
    ]

    /// Runs the tool in this process (argv, environment, standard streams) and returns the exit status.
    /// `--version` answers before the process environment is read: building that dictionary was
    /// half of the time `--version` spent in `main`.
    public static func runProcess(_ arguments: [String]) -> Int32 {
        if isVersionRequest(arguments) {
            ToolIO.writeStandardOutput(Array(versionLine.utf8))
            return ExitCode.ok
        }
        return run(arguments, io: .process)
    }

    package static func isVersionRequest(_ arguments: [String]) -> Bool {
        arguments.first == "--version" || arguments.first == "-V" || arguments.first == "version"
    }

    package static var versionLine: String { "newslint \(version)\n" }

    /// Runs the tool and returns the exit status.
    public static func run(_ arguments: [String], io: ToolIO = .process) -> Int32 {
        var args = arguments
        if isVersionRequest(args) {
            io.stdout(versionLine)
            return ExitCode.ok
        }
        if args.first == "--help" || args.first == "-h" {
            io.stdout(mainHelp())
            return ExitCode.ok
        }
        var command = "lint"
        if let first = args.first, !first.hasPrefix("-"), first != "-" {
            if subcommands.contains(first) {
                command = first
                args.removeFirst()
            } else if !SystemPath.exists(resolve(first, io)), case let hint = Suggest.hint(for: first, in: subcommands), !hint.isEmpty {
                io.stderr("error: '\(first)' is neither a subcommand nor an existing path\(hint)\n")
                return ExitCode.failure
            }
        }
        if let dashdash = args.firstIndex(of: "--") ?? Optional(args.count), args[..<dashdash].contains(where: { $0 == "--help" || $0 == "-h" }), command != "help" {
            io.stdout(help(for: command) ?? mainHelp())
            return ExitCode.ok
        }
        // Lint and report read text with the default rules, whose script tables take a tenth of a
        // one-file run to build: built on the other core while the configuration is read. A lint
        // run that may use the cache starts them once its cache is open and cold
        // (`ScaleSettings.resolve`), or at its first file read (`Linter.process`): a warm run
        // whose every file is a hit never needs them.
        if command == "report" || ((command == "lint" || command == "check") && args.contains("--no-cache")) {
            RuleRegistry.prepareTablesInBackground()
        }
        do {
            switch command {
            case "rules": return try RulesCommand.run(args, io: io)
            case "report": return try ReportCommand.run(args, io: io)
            case "explain": return try ExplainCommand.run(args, io: io)
            case "init": return try InitCommand.run(args, io: io)
            case "learn": return try LearnCommand.run(args, io: io)
            case "merge": return try MergeCommand.run(args, io: io)
            case "clean": return try CleanCommand.run(args, io: io)
            case "server": return try ServerCommand.run(args, io: io)
            case "help":
                if let topic = args.first, topic != "--help", topic != "-h" {
                    guard let text = help(for: topic) else {
                        let hint = Suggest.hint(for: topic, in: subcommands)
                        throw UsageError("no help for '\(topic)'; subcommands are: \(subcommands.joined(separator: ", "))\(hint)")
                    }
                    io.stdout(text)
                } else {
                    io.stdout(mainHelp())
                }
                return ExitCode.ok
            default:
                return try LintCommand.run(args, io: io)
            }
        } catch let e as UsageError {
            io.stderr("error: \(e.message)\n")
            return ExitCode.failure
        } catch let e as ConfigError {
            // Rule packs and other JSON inputs throw the same error type (`CatalogError`); each
            // message starts with its own file:line:col.
            let all = e.all
            for one in all { io.stderr("error: invalid configuration: \(one)\n") }
            if all.count > 1 { io.stderr("\(all.count) configuration problems\n") }
            return ExitCode.failure
        } catch {
            io.stderr("error: \(error)\n")
            return ExitCode.failure
        }
    }

    package static func resolve(_ path: String, _ io: ToolIO) -> String {
        path.hasPrefix("/") ? path : io.currentDirectory + "/" + path
    }

    package static func mainHelp() -> String {
        """
        newslint \(version): a data-quality linter for news corpus files (Markdown, HTML or plain text, with or without front matter).

        USAGE:
          newslint [lint|check] [OPTIONS] [PATH...]  Lint files and directories (default: the current directory)
          newslint report [OPTIONS] [PATH...]   Corpus health summary (--format text|markdown|json|html)
          newslint rules [--format text|json]   List all rules
          newslint explain RULE                 Explain a rule: what it finds, why, options, examples
          newslint init [--preset NAME]         Write a starter .lint.json (preset: jekyll, hugo, generic, plain)
          newslint learn [PATH...]              Write lines repeated across a site as a user rule pack
          newslint merge FACTS...               Cross-file rules over the facts of all shards
          newslint clean                        Remove the cache
          newslint server                       Language server (LSP) on stdin/stdout for editors
          newslint help [SUBCOMMAND]            Show help
          newslint --version

        LINT OPTIONS:
        \(ArgumentParser(command: "lint", options: lintOptions).optionsHelp())

        \(exitStatusHelp)\(configurationHelp)
        """
    }

    package static let exitStatusHelp = """
        EXIT STATUS: 0 no errors (warnings allowed: see --fail-on), 1 errors found (with --diff: changes to make;
        with --exit-non-zero-on-fix: files fixed), 2 usage, config or I/O failure (also: a named directory with nothing to lint).

        """

    package static let configurationHelp = """
        CONFIGURATION: each file uses the closest .lint.json among its ancestors ("extend": "../.lint.json" inherits
        a parent's); --config FILE applies one file to everything; files outside any config use the defaults.
        .gitignore and .ignore are respected (--no-respect-gitignore). Suppress one line with
        <!-- newslint-disable-line RULE -->. Environment: NO_COLOR, FORCE_COLOR, NEWSLINT_CACHE_DIR, XDG_CACHE_HOME.

        """

    package static func help(for topic: String) -> String? {
        func options(_ specs: [OptionSpec], _ command: String) -> String {
            "\nOPTIONS:\n" + ArgumentParser(command: command, options: specs + [helpOption]).optionsHelp() + "\n"
        }
        switch topic {
        case "lint", "check":
            return "newslint [lint] [OPTIONS] [PATH...]\n\nLint files and directories (default: the current directory). '-' reads stdin (name it with --stdin-filename);\nwith --fix, fixed stdin text is written to stdout and diagnostics to stderr.\n"
                + "\nOPTIONS:\n" + ArgumentParser(command: "lint", options: lintOptions).optionsHelp() + "\n\n" + exitStatusHelp + "\n" + configurationHelp
        case "report": return ReportCommand.help
        case "rules": return "newslint rules [OPTIONS]\n\nList every rule: id, family, default severity, fixability, summary.\n" + options(rulesOptions, topic)
        case "explain": return "newslint explain RULE...\n\nPrint each rule's summary, what it finds, why it matters, options, examples and fix safety.\n" + options(explainOptions, topic)
        case "init": return "newslint init [--force] [--preset jekyll|hugo|generic]\n\nWrite a starter .lint.json in the current directory; --preset sets its front-matter schema.\n" + options(initOptions, topic)
        case "learn": return LearnCommand.help
        case "merge": return MergeCommand.help
        case "clean": return CleanCommand.help
        case "server": return ServerCommand.help + "\n"
        case "help": return "newslint help [SUBCOMMAND]\n\nShow help for a subcommand: \(subcommands.joined(separator: ", ")).\n"
        default: return nil
        }
    }

    /// The `--config` file, resolved; a usage error when it does not exist, or when it is standard
    /// input and `-` reads standard input too (one stream cannot be both). Standard input is known
    /// by its name, or else by the file it is (a link to /dev/stdin, or the file or pipe stdin
    /// comes from, named another way).
    package static func explicitConfigPath(_ parsed: ParsedArguments, io: ToolIO) throws -> String? {
        guard let explicit = parsed.value("config") else { return nil }
        let path = resolve(explicit, io)
        if parsed.positionals.contains("-"),
           ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"].contains(PathResolver.standardized(path)) || isStandardInput(path) {
            throw UsageError("--config '\(explicit)' and '-' both read standard input; give the config or the text as a file")
        }
        guard SystemPath.exists(path) else { throw UsageError("config file '\(explicit)' does not exist") }
        return path
    }

    /// Whether `path` names the file standard input is (same device and inode as fd 0).
    private static func isStandardInput(_ path: String) -> Bool {
        var st = stat()
        guard fstat(0, &st) == 0, let file = OutputGuard.FileIdentity.of(path) else { return false }
        return file == OutputGuard.FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Loads the configuration for a run (explicit, discovered, or defaults) and the catalog it extends.
    package static func loadConfiguration(_ parsed: ParsedArguments, io: ToolIO) throws -> (Configuration, Catalog) {
        var catalog = Catalog.builtin
        if parsed.has("no-config") {
            return (Configuration(directory: io.currentDirectory), catalog)
        }
        if let path = try explicitConfigPath(parsed, io: io) {
            return (try Configuration.load(file: path, catalog: &catalog, currentDirectory: io.currentDirectory), catalog)
        }
        // Like Ruff and SwiftLint, look beside what is being linted first, then in the current directory.
        let firstPath = parsed.positionals.first { $0 != "-" }.map { resolve($0, io) }
        var starts: [String] = []
        if let p = firstPath {
            var isDir: ObjCBool = false
            if SystemPath.exists(p, isDirectory: &isDir) {
                starts.append(isDir.boolValue ? p : PathComponents.deletingLastComponent(p))
            }
        }
        starts.append(io.currentDirectory)
        if let found = starts.lazy.compactMap({ Configuration.discover(from: $0) }).first {
            return (try Configuration.load(file: found, catalog: &catalog), catalog)
        }
        return (Configuration(directory: io.currentDirectory), catalog)
    }

    /// `--jobs N` when given (1…1024), shared by every subcommand that lints.
    /// `--aggregate N`: identical findings in one file reported as one from N on (0 or 1: never).
    package static func aggregateThreshold(_ parsed: ParsedArguments) throws -> Int? {
        guard let a = parsed.value("aggregate") else { return nil }
        guard let n = Int(a), n >= 0 else { throw UsageError("--aggregate expects a whole number of at least 0 (0: list every finding), got '\(a)'") }
        return n
    }

    package static func jobs(_ parsed: ParsedArguments) throws -> Int? {
        guard let j = parsed.value("jobs") else { return nil }
        guard let n = Int(j), n >= 1, n <= 1024 else { throw UsageError("--jobs expects a whole number from 1 to 1024, got '\(j)'") }
        return n
    }

    /// Validates `--select` / `--ignore` entries against rule ids and families.
    package static func ruleFilter(_ parsed: ParsedArguments, catalog: Catalog) throws -> RuleFilter {
        let valid = catalog.ids + catalog.families + ["all"]
        let names = ["select", "ignore", "extend-select", "extend-ignore"]
        for name in names where parsed.values[name] != nil && (parsed.list(name) ?? []).isEmpty {
            throw UsageError("--\(name) needs at least one rule id or family name")
        }
        for name in names {
            for entry in parsed.list(name) ?? [] where !valid.contains(entry) {
                let hint = Suggest.hint(for: entry, in: valid, otherwise: "; run 'newslint rules' for the list")
                throw UsageError("unknown rule or family '\(entry)' in --\(name)\(hint)")
            }
        }
        return RuleFilter(select: parsed.list("select"), ignore: (parsed.list("ignore") ?? []) + (parsed.list("extend-ignore") ?? []),
                          extendSelect: parsed.list("extend-select") ?? [])
    }

    /// Whether the report gets ANSI colour. Colour is for a terminal or stdout: a report written to a
    /// file with `--output` never gets it (the file is read, diffed and uploaded; Ruff's
    /// `--output-file` likewise), whatever `--color` or FORCE_COLOR say.
    package static func useColor(_ parsed: ParsedArguments, io: ToolIO, writingFile: Bool) -> Bool {
        if writingFile { return false }
        let toTerminal = io.stdoutIsTerminal
        switch parsed.value("color") ?? "auto" {
        case "always": return true
        case "never": return false
        default:
            // FORCE_COLOR (force-color.org) wins over NO_COLOR and the terminal check; --color wins over both.
            if let fc = io.environment["FORCE_COLOR"], !fc.isEmpty, fc != "0" { return true }
            if let nc = io.environment["NO_COLOR"], !nc.isEmpty { return false }
            return toTerminal && io.environment["TERM"] != "dumb"
        }
    }
}

/// A standard output closed by its reader (`newslint … | head`) while the cache is being saved
/// beside the output (`CacheSaving`): SIGPIPE would kill the process in the middle of the save
/// (the cache lost, its temporary file left), where a save before the output always finished. So
/// SIGPIPE is held off while saves run (and given back when the last ends: children spawned later,
/// and a later write, see the disposition the process had); a write then fails with EPIPE, the save
/// is finished, and the process ends as the signal would have ended it (141 where it was ignored).
enum BrokenPipe {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var holding = 0
    /// SIGPIPE's disposition before the first hold: default (not ignored) unless learned otherwise.
    nonisolated(unsafe) private static var defaultBefore = false

    /// Ignores SIGPIPE until the matching `release`, remembering whether it was ignored already.
    static func holdOff() {
        lock.lock()
        defer { lock.unlock() }
        holding += 1
        guard holding == 1 else { return }
        let previous = signal(SIGPIPE, SIG_IGN)
        defaultBefore = unsafeBitCast(previous, to: UnsafeRawPointer?.self) == unsafeBitCast(SIG_DFL, to: UnsafeRawPointer?.self)
    }

    static func release() {
        lock.lock()
        defer { lock.unlock() }
        holding -= 1
        if holding == 0 && defaultBefore { signal(SIGPIPE, SIG_DFL) }
    }

    /// Finishes any save, then ends the process: by SIGPIPE when it was held off here, else 141
    /// (a write fails with EPIPE outside a hold only when SIGPIPE was ignored already).
    static func end() -> Never {
        CacheSaving.waitForRunning()
        lock.lock()
        let bySignal = defaultBefore
        lock.unlock()
        if bySignal {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        exit(141)
    }
}
