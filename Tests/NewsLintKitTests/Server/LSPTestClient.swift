import Foundation
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A scripted LSP client for tests: writes framed bytes into the server's input pipe and reads
/// the server's framed output, in-process (the server runs on its own thread) or from a spawned
/// `newslint server`. Every wait has a deadline, so a server that hangs fails the test instead.
final class LSPTestClient: @unchecked Sendable {
    private let input = Pipe()
    private let output = Locked<[UInt8]>([])
    private let exitStatus = Locked<Int32?>(nil)
    private var framer = MessageFramer()
    private var pending: [MessageFramer.Event] = []
    private var process: Process?

    /// In-process server over a pipe.
    init(root: String, options: LanguageServer.Options = LanguageServer.Options()) {
        let output = self.output, exitStatus = self.exitStatus
        let server = LanguageServer(options: options, currentDirectory: root) { bytes in output.withLock { $0 += bytes } }
        let fd = input.fileHandleForReading.fileDescriptor
        let thread = Thread {
            let status = server.run(input: fd)
            exitStatus.withLock { $0 = status }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The built binary (`newslint server`) as a child process.
    init(binary: String, root: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["server", "--no-cross-file"]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.standardInput = input
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let output = self.output
        out.fileHandleForReading.readabilityHandler = { h in
            let data = h.availableData
            output.withLock { $0 += [UInt8](data) }
        }
        let exitStatus = self.exitStatus
        p.terminationHandler = { proc in exitStatus.withLock { $0 = proc.terminationStatus } }
        try p.run()
        process = p
    }

    deinit {
        try? input.fileHandleForWriting.close()
        if let process, process.isRunning { process.terminate() }
    }

    func sendRaw(_ bytes: [UInt8]) { input.fileHandleForWriting.write(Data(bytes)) }
    func send(_ json: String) { sendRaw(MessageFramer.frame(Array(json.utf8))) }
    func closeInput() { try? input.fileHandleForWriting.close() }

    func request(_ id: Int, _ method: String, _ params: String) { send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#) }
    func notify(_ method: String, _ params: String) { send(#"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params)}"#) }

    /// The next framed event from the server (nil after `timeout` seconds).
    func nextEvent(timeout: Double = 20) -> MessageFramer.Event? {
        let deadline = Date().addingTimeInterval(timeout)
        while pending.isEmpty {
            let chunk = output.withLock { buffer -> [UInt8] in defer { buffer = [] }; return buffer }
            if !chunk.isEmpty { pending += framer.feed(chunk); continue }
            if Date() > deadline { return nil }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return pending.removeFirst()
    }

    /// The next message satisfying `match`, skipping others (log messages, registrations).
    func next(timeout: Double = 20, where match: (JSONNode) -> Bool = { _ in true }) -> JSONNode? {
        let deadline = Date().addingTimeInterval(timeout)
        while let event = nextEvent(timeout: max(0, deadline.timeIntervalSinceNow)) {
            guard case let .message(body) = event, let node = try? JSONParser.parse(bytes: body) else { return nil }
            if match(node) { return node }
        }
        return nil
    }

    func response(_ id: Int, timeout: Double = 20) -> JSONNode? {
        next(timeout: timeout) { $0["id"]?.int == id && $0["method"] == nil }
    }

    func diagnostics(uri: String, version: Int? = nil, timeout: Double = 20) -> JSONNode? {
        next(timeout: timeout) { m in
            m["method"]?.string == "textDocument/publishDiagnostics" && m["params"]?["uri"]?.string == uri
                && (version == nil || m["params"]?["version"]?.int == version)
        }
    }

    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = exitStatus.withLock({ $0 }) { return s }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return nil
    }
}

/// Applies LSP text edits the way a client does: positions count UTF-16 code units (computed
/// here with Swift's own UTF-16 view, independently of the server's conversion).
enum ClientEdits {
    static func offset(_ text: String, line: Int, character: Int) -> String.Index {
        var lineStart = text.startIndex
        for _ in 0..<line {
            guard let nl = text[lineStart...].firstIndex(of: "\n") else { return text.endIndex }
            lineStart = text.index(after: nl)
        }
        let utf16 = text.utf16
        let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
        return utf16.index(lineStart, offsetBy: character, limitedBy: lineEnd) ?? lineEnd
    }

    static func apply(_ edits: [JSONNode], to text: String) -> String {
        var result = text
        // Later edits first, so earlier positions stay valid.
        let sorted = edits.sorted { a, b in
            let pa = (a["range"]?["start"]?["line"]?.int ?? 0, a["range"]?["start"]?["character"]?.int ?? 0)
            let pb = (b["range"]?["start"]?["line"]?.int ?? 0, b["range"]?["start"]?["character"]?.int ?? 0)
            return pa > pb
        }
        for e in sorted {
            guard let r = e["range"], let s = r["start"], let en = r["end"] else { continue }
            let lo = offset(result, line: s["line"]?.int ?? 0, character: s["character"]?.int ?? 0)
            let hi = offset(result, line: en["line"]?.int ?? 0, character: en["character"]?.int ?? 0)
            result.replaceSubrange(lo..<hi, with: e["newText"]?.string ?? "")
        }
        return result
    }
}
