import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `newslint server`: the language server on stdin/stdout (see Server/LanguageServer.swift).
package enum ServerCommand {
    package static let options: [OptionSpec] = [
        OptionSpec("stdio", help: "Speak LSP over stdin/stdout (the default and only transport)"),
        OptionSpec("debounce", value: "MS", help: "Milliseconds to wait after a change before linting (default: 0; changes meanwhile are coalesced)"),
        OptionSpec("no-cross-file", help: "Do not run cross-file rules over the workspace"),
    ]

    package static let help = """
        newslint server [--stdio] [--debounce MS] [--no-cross-file]

        A Language Server Protocol server over stdin/stdout for Markdown, HTML and text documents:
        diagnostics as you type, quick fixes (unsafe ones marked), "fix all safe findings"
        (source.fixAll.newslint), suppression comments, hover with the rule's explanation.
        Each file uses its closest .lint.json; editing a .lint.json reloads it.
        """

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "server", options: options + [NewsLintCLI.helpOption]).parse(args)
        if parsed.has("help") {
            io.stdout(help + "\nOPTIONS:\n" + ArgumentParser(command: "server", options: options + [NewsLintCLI.helpOption]).optionsHelp() + "\n")
            return ExitCode.ok
        }
        if let extra = parsed.positionals.first { throw UsageError("'server' takes no arguments (got '\(extra)')") }
        var serverOptions = LanguageServer.Options()
        if let d = parsed.value("debounce") {
            guard let ms = Double(d), ms >= 0, ms <= 10_000 else { throw UsageError("--debounce expects milliseconds from 0 to 10000, got '\(d)'") }
            serverOptions.debounce = ms / 1000
        }
        serverOptions.crossFile = !parsed.has("no-cross-file")
        // A client that goes away must not kill the server mid-write; writes then fail quietly.
        signal(SIGPIPE, SIG_IGN)
        let server = LanguageServer(options: serverOptions, currentDirectory: io.currentDirectory) { bytes in
            FileDescriptorWriter.write(bytes, to: STDOUT_FILENO)
        }
        return server.run(input: STDIN_FILENO)
    }
}

/// Writes all bytes to a file descriptor (retrying short writes); errors are dropped.
package enum FileDescriptorWriter {
    package static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            guard var p = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let n = Foundation.write(fd, p, left)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                p += n
                left -= n
            }
        }
    }
}
