import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// `newslint server`: a Language Server Protocol server over a byte stream (stdio).
///
/// One reader (the caller's thread) frames messages and hands them to a serial queue that owns
/// all state; linting for a document is scheduled on that queue after the change that asked for
/// it, so a burst of changes is linted once, at its latest version. Cross-file rules run over the
/// workspace on a background queue and their results come back to the serial queue.
public final class LanguageServer: @unchecked Sendable {
    public struct Options: Sendable {
        /// Delay between a change and its lint; changes meanwhile are coalesced into one lint.
        public var debounce: Double = 0.0
        /// Run cross-file rules over the workspace in the background.
        public var crossFile = true
        /// Quiet time before the workspace run (after start, saves and config changes).
        public var crossFileDelay: Double = 1.0
        public var maxMessageSize = 64 * 1024 * 1024
        public init() {}
    }

    private var options: Options
    private let write: @Sendable ([UInt8]) -> Void
    private let queue = DispatchQueue(label: "newslint.server")
    private let background = DispatchQueue(label: "newslint.server.workspace", qos: .utility)
    private let currentDirectory: String

    // State below is touched only on `queue`.
    private var initialized = false
    private var shutdownRequested = false
    private var exitCode: Int32?
    private var store = DocumentStore()
    private var workspace: LintWorkspace?
    private var linted: [String: LintedDocument] = [:]
    private var lintScheduled = Set<String>()
    private var crossFileResults: [String: [Diagnostic]] = [:]
    private var crossFileGeneration = 0
    private var crossFileItem: DispatchWorkItem?
    private var nextRequestID = 1
    private var watchRegistration = false

    /// `write` receives whole framed messages, one at a time.
    public init(options: Options = Options(), currentDirectory: String = FileManager.default.currentDirectoryPath,
                write: @escaping @Sendable ([UInt8]) -> Void) {
        self.options = options
        self.write = write
        self.currentDirectory = currentDirectory
    }

    /// Reads messages from `fd` until `exit` (or end of input) and returns the exit status:
    /// 0 after `shutdown` then `exit`, 1 otherwise (as the protocol specifies).
    public func run(input fd: Int32) -> Int32 {
        var framer = MessageFramer(maxBodySize: options.maxMessageSize)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let last = framer.finish()
                return queue.sync {
                    if let last { handle(last) }
                    return exitCode ?? (shutdownRequested ? 0 : 1)
                }
            }
            let events = framer.feed(buffer[0..<n])
            // All messages of one read are handled together: a lint they schedule sees the last of them.
            if let code = queue.sync(execute: { () -> Int32? in
                for e in events where exitCode == nil { handle(e) }
                return exitCode
            }) {
                return code
            }
        }
    }

    // MARK: - Dispatch

    private func handle(_ event: MessageFramer.Event) {
        switch event {
        case let .malformed(problem):
            send(RPCOutgoing.error(RPCError(.invalidRequest, problem)))
        case let .message(body):
            switch RPCMessage.parse(body) {
            case let .failure(error): send(RPCOutgoing.error(error))
            case let .success(message): handle(message)
            }
        }
    }

    private func handle(_ message: RPCMessage) {
        switch message {
        case .response:
            return // answers to our registration requests: nothing to do
        case let .notification(method, params):
            do { try notification(method, params) } catch {
                log("\(method): \((error as? RPCError)?.message ?? "\(error)")")
            }
        case let .request(id, method, params):
            do {
                let result = try request(method, params)
                send(RPCOutgoing.response(id: id, result: result))
            } catch var error as RPCError {
                error.id = id
                send(RPCOutgoing.error(error))
            } catch {
                send(RPCOutgoing.error(RPCError(.internalError, "\(error)", id: id)))
            }
        }
    }

    private func request(_ method: String, _ params: JSONNode?) throws -> JSONValue {
        if method == "initialize" {
            guard !initialized else { throw RPCError(.invalidRequest, "initialize was already received") }
            return try initialize(params)
        }
        guard initialized else { throw RPCError(.serverNotInitialized, "the first request must be 'initialize'") }
        guard !shutdownRequested else { throw RPCError(.invalidRequest, "the server is shutting down; only 'exit' is accepted") }
        switch method {
        case "shutdown":
            shutdownRequested = true
            crossFileItem?.cancel()
            return .null
        case "textDocument/codeAction": return try codeAction(try object(params))
        case "textDocument/hover": return try hover(try object(params))
        default: throw RPCError(.methodNotFound, "unknown method '\(method)'")
        }
    }

    private func notification(_ method: String, _ params: JSONNode?) throws {
        if method == "exit" {
            exitCode = shutdownRequested ? 0 : 1
            return
        }
        guard initialized, !shutdownRequested else { return } // dropped, as the protocol says
        switch method {
        case "initialized": registerConfigWatcher(); scheduleCrossFile()
        case "textDocument/didOpen": try didOpen(try object(params))
        case "textDocument/didChange": try didChange(try object(params))
        case "textDocument/didSave": try didSave(try object(params))
        case "textDocument/didClose": try didClose(try object(params))
        case "workspace/didChangeWatchedFiles": try didChangeWatchedFiles(try object(params))
        default: return // $/cancelRequest, $/setTrace, workspace/didChangeConfiguration, …
        }
    }

    private func object(_ params: JSONNode?) throws -> JSONNode {
        guard let params, params.members != nil else { throw RPCError.invalidParams("params must be an object") }
        return params
    }

    // MARK: - Lifecycle

    private var clientWatchesFiles = false

    private func initialize(_ params: JSONNode?) throws -> JSONValue {
        let p = try object(params)
        var root = currentDirectory
        if let uri = p["rootUri"]?.string, let path = FileURI.path(uri) {
            root = path
        } else if let folder = p["workspaceFolders"]?.array?.first, let uri = folder["uri"]?.string, let path = FileURI.path(uri) {
            root = path
        } else if let path = p["rootPath"]?.string, path.hasPrefix("/") {
            root = path
        }
        if let given = p["initializationOptions"], given.members != nil {
            if let ms = given["debounceMilliseconds"]?.number, ms >= 0, ms <= 10_000 { options.debounce = ms / 1000 }
            if let on = given["crossFile"]?.bool { options.crossFile = on }
        }
        clientWatchesFiles = p["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.bool ?? false
        workspace = LintWorkspace(root: PathResolver.standardized(root))
        initialized = true
        reportConfigProblems()
        let capabilities = LSPJSON.object([
            ("positionEncoding", .string("utf-16")),
            ("textDocumentSync", LSPJSON.object([
                ("openClose", .bool(true)), ("change", LSPJSON.int(2)),
                ("save", LSPJSON.object([("includeText", .bool(false))])),
            ])),
            ("codeActionProvider", LSPJSON.object([
                ("codeActionKinds", LSPJSON.array([.string("quickfix"), .string(ServerFeatures.fixAllKind)])),
            ])),
            ("hoverProvider", .bool(true)),
        ])
        return LSPJSON.object([
            ("capabilities", capabilities),
            ("serverInfo", LSPJSON.object([("name", .string("newslint")), ("version", .string(NewsLintVersion.current))])),
        ])
    }

    /// Asks the client to report `.lint.json` changes (when it can register watchers dynamically).
    private func registerConfigWatcher() {
        guard clientWatchesFiles, !watchRegistration else { return }
        watchRegistration = true
        let watcher = LSPJSON.object([("globPattern", .string("**/\(Configuration.fileName)"))])
        let registration = LSPJSON.object([
            ("id", .string("newslint-config")), ("method", .string("workspace/didChangeWatchedFiles")),
            ("registerOptions", LSPJSON.object([("watchers", LSPJSON.array([watcher]))])),
        ])
        sendRequest("client/registerCapability", LSPJSON.object([("registrations", LSPJSON.array([registration]))]))
    }

    // MARK: - Documents

    private func textDocumentURI(_ p: JSONNode) throws -> String {
        try p.required("textDocument").requiredString("uri")
    }

    private func didOpen(_ p: JSONNode) throws {
        let td = try p.required("textDocument")
        let doc = OpenDocument(uri: try td.requiredString("uri"), languageID: td["languageId"]?.string ?? "",
                               version: try td.requiredInt("version"), text: try td.requiredString("text"))
        store.open(doc)
        scheduleLint(doc.uri)
    }

    private func didChange(_ p: JSONNode) throws {
        let td = try p.required("textDocument")
        let uri = try td.requiredString("uri")
        guard let list = try p.required("contentChanges").array else { throw RPCError.invalidParams("'contentChanges' must be an array") }
        let changes = try list.map(TextChange.init)
        guard store.change(uri, version: try td.requiredInt("version"), changes: changes) else {
            throw RPCError.invalidParams("didChange for a document that is not open: \(uri)")
        }
        scheduleLint(uri)
    }

    private func didSave(_ p: JSONNode) throws {
        let uri = try textDocumentURI(p)
        if uri.hasSuffix("/" + Configuration.fileName) {
            reloadConfiguration()
        } else {
            scheduleCrossFile()
        }
    }

    private func didClose(_ p: JSONNode) throws {
        let uri = try textDocumentURI(p)
        store.close(uri)
        linted[uri] = nil
        // Cross-file findings stay visible for closed files; per-file ones go with the buffer.
        let remaining = crossFileResults[uri] ?? []
        publish(uri, LintedDocument(version: nil, positions: positionsOnDisk(uri), perFile: [], crossFile: remaining))
    }

    private func didChangeWatchedFiles(_ p: JSONNode) throws {
        guard let changes = try p.required("changes").array else { throw RPCError.invalidParams("'changes' must be an array") }
        let uris = try changes.map { try $0.requiredString("uri") }
        if uris.contains(where: { $0.hasSuffix("/" + Configuration.fileName) }) {
            reloadConfiguration()
        } else {
            scheduleCrossFile()
        }
    }

    private func reloadConfiguration() {
        workspace?.reload()
        linted = [:]
        reportConfigProblems()
        for uri in store.documents.keys.sorted() { scheduleLint(uri) }
        scheduleCrossFile()
    }

    // MARK: - Linting

    private func scheduleLint(_ uri: String) {
        guard lintScheduled.insert(uri).inserted else { return }
        let work: @Sendable () -> Void = { [self] in
            lintScheduled.remove(uri)
            guard !shutdownRequested, exitCode == nil, store[uri] != nil else { return }
            if let doc = lintNow(uri) { publish(uri, doc) }
        }
        if options.debounce > 0 {
            queue.asyncAfter(deadline: .now() + options.debounce, execute: work)
        } else {
            queue.async(execute: work)
        }
    }

    /// Lints the open document at its current version (reusing the last result when it is current).
    @discardableResult
    private func lintNow(_ uri: String) -> LintedDocument? {
        guard let doc = store[uri], let workspace else { return nil }
        if let known = linted[uri], known.version == doc.version, known.positions.bytes == doc.bytes { return known }
        let location = workspace.location(uri: uri)
        let perFile = workspace.shouldLint(location: location, languageID: doc.languageID)
            ? workspace.lint(location: location, bytes: doc.bytes) : []
        reportConfigProblems()
        let result = LintedDocument(version: doc.version, positions: doc.positions, perFile: perFile, crossFile: crossFileResults[uri] ?? [])
        linted[uri] = result
        return result
    }

    private func publish(_ uri: String, _ doc: LintedDocument) {
        sendNotification("textDocument/publishDiagnostics", ServerFeatures.publishParams(uri: uri, doc: doc))
    }

    private func reportConfigProblems() {
        guard let problems = workspace?.takeNewProblems(), !problems.isEmpty else { return }
        let text = "newslint: invalid configuration (using defaults where it failed):\n" + problems.joined(separator: "\n")
        sendNotification("window/showMessage", LSPJSON.object([("type", LSPJSON.int(1)), ("message", .string(text))]))
    }

    private func log(_ message: String) {
        sendNotification("window/logMessage", LSPJSON.object([("type", LSPJSON.int(2)), ("message", .string("newslint: " + message))]))
    }

    // MARK: - Cross-file rules

    private func scheduleCrossFile() {
        guard options.crossFile, let workspace else { return }
        // A client without a workspace starts us in / or the home directory: not a corpus to walk.
        if workspace.root == "/" || workspace.root == PathResolver.standardized(NSHomeDirectory()) {
            log("cross-file rules skipped: the workspace root is \(workspace.root); open a folder to compare its files")
            options.crossFile = false
            return
        }
        crossFileItem?.cancel()
        crossFileGeneration += 1
        let generation = crossFileGeneration
        let root = workspace.root
        let item = DispatchWorkItem { [self] in
            guard generation == crossFileGeneration, !shutdownRequested else { return }
            var snapshot: [String: [UInt8]] = [:]
            for (uri, doc) in store.documents { snapshot[workspace.location(uri: uri)] = doc.bytes }
            let open = snapshot
            background.async { [self] in
                let results: [PathKey: [Diagnostic]]
                do { results = try WorkspaceCrossFile.run(root: root, openDocuments: open) } catch {
                    queue.async { [self] in log("cross-file rules: \(error)") }
                    return
                }
                queue.async { [self] in applyCrossFile(results, generation: generation) }
            }
        }
        crossFileItem = item
        queue.asyncAfter(deadline: .now() + options.crossFileDelay, execute: item)
    }

    /// Publishes cross-file findings per file (open files merge them with their per-file findings).
    private func applyCrossFile(_ byLocation: [PathKey: [Diagnostic]], generation: Int) {
        guard generation == crossFileGeneration, !shutdownRequested, exitCode == nil, let workspace else { return }
        var next: [String: [Diagnostic]] = [:]
        var uriOfLocation: [PathKey: String] = [:]
        for uri in store.documents.keys { uriOfLocation[PathKey(workspace.location(uri: uri))] = uri }
        for (location, findings) in byLocation { next[uriOfLocation[location] ?? FileURI.uri(location.path)] = findings }
        let touched = Set(next.keys).union(crossFileResults.keys)
        let previous = crossFileResults
        crossFileResults = next
        for uri in touched.sorted() where previous[uri] != next[uri] {
            if store[uri] != nil, var doc = lintNow(uri) {
                doc.crossFile = next[uri] ?? []
                linted[uri] = doc
                publish(uri, doc)
            } else {
                publish(uri, LintedDocument(version: nil, positions: positionsOnDisk(uri), perFile: [], crossFile: next[uri] ?? []))
            }
        }
    }

    private func positionsOnDisk(_ uri: String) -> TextPositions {
        guard let path = FileURI.path(uri), let data = FileManager.default.contents(atPath: path) else { return TextPositions([]) }
        return TextPositions([UInt8](data))
    }

    // MARK: - Code actions and hover

    private func codeAction(_ p: JSONNode) throws -> JSONValue {
        let uri = try textDocumentURI(p)
        let range = try p.required("range").lspRange()
        let only = p["context"]?["only"]?.stringArray
        guard let workspace, let doc = lintNow(uri) else { return LSPJSON.array([]) }
        let location = workspace.location(uri: uri)
        let document = Document(path: location, bytes: doc.positions.bytes)
        let actions = ServerFeatures.codeActions(uri: uri, range: range, only: only, doc: doc, document: document) {
            workspace.fixAllSafe(location: location, bytes: doc.positions.bytes)
        }
        return LSPJSON.array(actions)
    }

    private func hover(_ p: JSONNode) throws -> JSONValue {
        let uri = try textDocumentURI(p)
        let position = try p.required("position").lspPosition()
        guard let workspace, let doc = lintNow(uri) else { return .null }
        let under = doc.all.filter { d in
            let r = doc.range(of: d)
            return r.start <= position && position <= r.end
        }
        guard !under.isEmpty else { return .null }
        let catalog = workspace.linter(forFile: workspace.location(uri: uri)).catalog
        return LSPJSON.object([
            ("contents", LSPJSON.object([("kind", .string("markdown")), ("value", .string(ServerFeatures.hover(under, catalog: catalog)))])),
        ])
    }

    // MARK: - Output

    private func send(_ body: [UInt8]) { write(MessageFramer.frame(body)) }

    private func sendNotification(_ method: String, _ params: JSONValue) { send(RPCOutgoing.notification(method, params)) }

    private func sendRequest(_ method: String, _ params: JSONValue) {
        send(RPCOutgoing.request(id: nextRequestID, method, params))
        nextRequestID += 1
    }
}
