import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `newslint server` end to end: a scripted client speaks the protocol byte for byte.
@Suite struct LanguageServerTests {
    /// Front matter complete, one trailing space after a line that starts with 𠝹 (astral: two UTF-16 units).
    static let article = "---\ntitle: 市區重建\ndate: 2024-05-01\n---\n\n𠝹字見於粵語用字，今日政府宣布新措施，市民反應熱烈。 \n\n記者報道。\n"

    static func options(crossFile: Bool = false) -> LanguageServer.Options {
        var o = LanguageServer.Options()
        o.crossFile = crossFile
        o.crossFileDelay = 0.05
        return o
    }

    static func initialize(_ client: LSPTestClient, root: String) -> JSONNode? {
        client.request(1, "initialize", #"{"processId":null,"rootUri":\#(JSONWriter.quote(FileURI.uri(root))),"capabilities":{"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}}}"#)
        let reply = client.response(1)
        client.notify("initialized", "{}")
        return reply
    }

    static func open(_ client: LSPTestClient, uri: String, text: String, version: Int = 1) {
        client.notify("textDocument/didOpen", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri)),"languageId":"markdown","version":\#(version),"text":\#(JSONWriter.quote(text))}}"#)
    }

    static func codes(_ publish: JSONNode?) -> [String] {
        (publish?["params"]?["diagnostics"]?.array ?? []).compactMap { $0["code"]?.string }
    }

    @Test func fixRoundTripThroughTheProtocol() throws {
        let dir = TemporaryDirectory()
        let client = LSPTestClient(root: dir.path, options: Self.options())
        let reply = try #require(Self.initialize(client, root: dir.path))
        let caps = try #require(reply["result"]?["capabilities"])
        #expect(caps["textDocumentSync"]?["change"]?.int == 2)
        #expect(caps["positionEncoding"]?.string == "utf-16")
        #expect(caps["hoverProvider"]?.bool == true)
        // The client said it can watch files: the server asks to watch .lint.json.
        let registration = try #require(client.next { $0["method"]?.string == "client/registerCapability" })
        client.send(#"{"jsonrpc":"2.0","id":\#(registration["id"]?.int ?? 0),"result":null}"#)

        let uri = FileURI.uri(dir.path + "/新聞 稿.md")
        Self.open(client, uri: uri, text: Self.article)
        let first = try #require(client.diagnostics(uri: uri, version: 1))
        let diagnostics = try #require(first["params"]?["diagnostics"]?.array)
        #expect(Self.codes(first) == ["trailing-whitespace"])
        let d = try #require(diagnostics.first)
        // Line 6 (0-based 5): 𠝹 + 25 BMP characters before the space: UTF-16 offset 27, not 26 scalars.
        #expect(d["range"]?["start"]?["line"]?.int == 5)
        #expect(d["range"]?["start"]?["character"]?.int == 27)
        #expect(d["range"]?["end"]?["character"]?.int == 28)
        #expect(d["severity"]?.int == 2)

        // Hover on the finding explains the rule from the catalog.
        client.request(2, "textDocument/hover", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri))},"position":{"line":5,"character":27}}"#)
        let hover = try #require(client.response(2)?["result"]?["contents"]?["value"]?.string)
        #expect(hover.contains("trailing-whitespace"))
        #expect(hover.contains(try #require(Catalog.builtin.metadata("trailing-whitespace")).rationale))

        client.request(3, "textDocument/codeAction", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri))},"range":{"start":{"line":5,"character":27},"end":{"line":5,"character":28}},"context":{"diagnostics":[]}}"#)
        let actions = try #require(client.response(3)?["result"]?.array)
        let quickFix = try #require(actions.first { $0["kind"]?.string == "quickfix" && $0["isPreferred"]?.bool == true })
        #expect(actions.contains { $0["title"]?.string == "Suppress trailing-whitespace on this line" })
        #expect(actions.contains { $0["kind"]?.string == "source.fixAll.newslint" })
        let edits = try #require(quickFix["edit"]?["changes"]?[uri]?.array)
        let fixed = ClientEdits.apply(edits, to: Self.article)
        #expect(fixed == Self.article.replacingOccurrences(of: "熱烈。 \n", with: "熱烈。\n"))

        // The client sends the edit back as an incremental change (the range it applied).
        let change = edits.map { $0.serialized() }.joined(separator: ",")
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri)),"version":2},"contentChanges":[\#(change.replacingOccurrences(of: "\"newText\"", with: "\"text\""))]}"#)
        let second = try #require(client.diagnostics(uri: uri, version: 2))
        #expect(Self.codes(second).isEmpty)

        client.request(4, "shutdown", "null")
        #expect(client.response(4)?["result"]?.value == .null)
        client.notify("exit", "null")
        #expect(client.waitForExit() == 0)
    }

    @Test func suppressionFixAllAndConfigReload() throws {
        let dir = TemporaryDirectory()
        let client = LSPTestClient(root: dir.path, options: Self.options())
        _ = Self.initialize(client, root: dir.path)
        let uri = FileURI.uri(dir.path + "/a.md")
        let text = Self.article.replacingOccurrences(of: "記者報道。\n", with: "記者報道。\t\n")
        Self.open(client, uri: uri, text: text)
        #expect(Self.codes(client.diagnostics(uri: uri, version: 1)) == ["trailing-whitespace", "trailing-whitespace"])

        client.request(2, "textDocument/codeAction", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri))},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[],"only":["source.fixAll"]}}"#)
        let fixAll = try #require(client.response(2)?["result"]?.array)
        #expect(fixAll.count == 1)
        let fixAllEdits = try #require(fixAll.first?["edit"]?["changes"]?[uri]?.array)
        #expect(ClientEdits.apply(fixAllEdits, to: text) == Self.article.replacingOccurrences(of: "熱烈。 \n", with: "熱烈。\n"))

        client.request(3, "textDocument/codeAction", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri))},"range":{"start":{"line":5,"character":27},"end":{"line":5,"character":27}},"context":{"diagnostics":[]}}"#)
        let actions = try #require(client.response(3)?["result"]?.array)
        let suppress = try #require(actions.first { $0["title"]?.string == "Suppress trailing-whitespace on this line" })
        let suppressed = ClientEdits.apply(try #require(suppress["edit"]?["changes"]?[uri]?.array), to: text)
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri)),"version":2},"contentChanges":[{"text":\#(JSONWriter.quote(suppressed))}]}"#)
        let after = try #require(client.diagnostics(uri: uri, version: 2))
        #expect(Self.codes(after) == ["trailing-whitespace"])
        #expect(after["params"]?["diagnostics"]?.array?.first?["range"]?["start"]?["line"]?.int == 7)
        #expect(suppressed.contains("熱烈。 <!-- newslint-disable-line trailing-whitespace --> \n"))

        // A .lint.json appears: the watched-files notification reloads it and the document is re-linted.
        dir.write(".lint.json", #"{"rules":{"trailing-whitespace":"off"}}"#)
        client.notify("workspace/didChangeWatchedFiles", #"{"changes":[{"uri":\#(JSONWriter.quote(FileURI.uri(dir.path + "/.lint.json"))),"type":1}]}"#)
        #expect(Self.codes(client.diagnostics(uri: uri, version: 2)).isEmpty)

        client.request(4, "shutdown", "null")
        _ = client.response(4)
        client.notify("exit", "null")
        #expect(client.waitForExit() == 0)
    }

    @Test func crossFileFindingsArePublishedPerFile() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", Self.article)
        dir.write("sub/b.md", Self.article)
        let client = LSPTestClient(root: dir.path, options: Self.options(crossFile: true))
        _ = Self.initialize(client, root: dir.path)
        let closed = FileURI.uri(dir.path + "/sub/b.md")
        // b.md is not open: its cross-file finding still arrives, from the background workspace run.
        let published = try #require(client.diagnostics(uri: closed, timeout: 60))
        #expect(Self.codes(published) == ["content-duplicate"])
        client.request(9, "shutdown", "null")
        _ = client.response(9)
        client.notify("exit", "null")
        #expect(client.waitForExit() == 0)
    }

    @Test func exitWithoutShutdownIsAnError() {
        let dir = TemporaryDirectory()
        let client = LSPTestClient(root: dir.path, options: Self.options())
        _ = Self.initialize(client, root: dir.path)
        client.notify("exit", "null")
        #expect(client.waitForExit() == 1)
    }
}

/// Malformed input gets JSON-RPC errors; the server keeps serving and never hangs or crashes.
@Suite struct LanguageServerRobustnessTests {
    static func error(_ client: LSPTestClient) -> (id: JSONValue?, code: Int?)? {
        guard let m = client.next(where: { $0["error"] != nil }) else { return nil }
        return (m["id"]?.value, m["error"]?["code"]?.int)
    }

    @Test func malformedMessagesGetErrorsAndTheServerSurvives() throws {
        let dir = TemporaryDirectory()
        var options = LanguageServer.Options()
        options.crossFile = false
        options.maxMessageSize = 1 << 20
        let client = LSPTestClient(root: dir.path, options: options)

        // Before initialize: requests are refused with ServerNotInitialized.
        client.request(1, "textDocument/hover", "{}")
        #expect(Self.error(client)?.code == -32002)
        _ = LanguageServerTests.initialize(client, root: dir.path)

        // Bad JSON: parse error, id null.
        client.send(#"{"jsonrpc":"2.0","id":2,"method":"#)
        let parse = try #require(Self.error(client))
        #expect(parse.code == -32700)
        #expect(parse.id == .null)
        // Not an object, a batch, a wrong jsonrpc version.
        client.send("42")
        #expect(Self.error(client)?.code == -32600)
        client.send(#"[{"jsonrpc":"2.0","id":3,"method":"shutdown"}]"#)
        #expect(Self.error(client)?.code == -32600)
        client.send(#"{"jsonrpc":"1.0","id":4,"method":"shutdown"}"#)
        #expect(Self.error(client)?.code == -32600)
        // Unknown method: MethodNotFound, answered with the request's id.
        client.request(5, "textDocument/formatting", "{}")
        let unknown = try #require(Self.error(client))
        #expect(unknown.code == -32601)
        #expect(unknown.id == .number(5))
        // Wrong params: InvalidParams (missing position, wrong types, params not an object).
        client.request(6, "textDocument/hover", #"{"textDocument":{"uri":"file:///x.md"}}"#)
        #expect(Self.error(client)?.code == -32602)
        client.request(7, "textDocument/codeAction", #"{"textDocument":{"uri":7},"range":"everything","context":{}}"#)
        #expect(Self.error(client)?.code == -32602)
        client.send(#"{"jsonrpc":"2.0","id":8,"method":"textDocument/hover","params":"x"}"#)
        #expect(Self.error(client)?.code == -32602)
        // A bad header: no Content-Length.
        client.sendRaw(Array("Content-Type: application/vscode-jsonrpc\r\n\r\n".utf8))
        #expect(Self.error(client)?.code == -32600)
        client.sendRaw(Array("Content-Length: lots\r\n\r\n".utf8))
        #expect(Self.error(client)?.code == -32600)
        // A huge Content-Length: refused without buffering; the bytes that follow are skipped.
        client.sendRaw(Array("Content-Length: 2000000\r\n\r\n".utf8) + [UInt8](repeating: 0x20, count: 2_000_000))
        #expect(Self.error(client)?.code == -32600)
        // A notification with wrong params is logged, not answered; a change to an unopened document too.
        client.notify("textDocument/didOpen", #"{"textDocument":{"uri":"file:///x.md"}}"#)
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":"file:///nowhere.md","version":2},"contentChanges":[{"text":"x"}]}"#)
        // A truncated body followed by real messages: its Content-Length swallows the head of the
        // next frame (a parse error; that request is lost), the framer finds the following header
        // again (an error naming the skipped bytes), and the request after that is answered.
        client.sendRaw(Array("Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,".utf8))
        client.request(10, "textDocument/hover", "{}")
        client.request(11, "shutdown", "null")
        #expect(Self.error(client)?.code == -32700)
        #expect(Self.error(client)?.code == -32600)
        #expect(client.response(11)?["result"]?.value == .null)
        client.notify("exit", "null")
        #expect(client.waitForExit() == 0)
    }

    @Test func truncatedBodyAtEndOfInputIsReportedAndTheServerExits() throws {
        let dir = TemporaryDirectory()
        var options = LanguageServer.Options()
        options.crossFile = false
        let client = LSPTestClient(root: dir.path, options: options)
        _ = LanguageServerTests.initialize(client, root: dir.path)
        client.sendRaw(Array("Content-Length: 100\r\n\r\n{\"jsonrpc\"".utf8))
        client.closeInput()
        let error = try #require(Self.error(client))
        #expect(error.code == -32600)
        #expect(client.waitForExit() == 1)
    }

    @Test func framerHandlesSplitAndJoinedFrames() {
        let a = MessageFramer.frame(Array(#"{"a":"𠝹"}"#.utf8)), b = MessageFramer.frame(Array("[]".utf8))
        var framer = MessageFramer()
        var events: [MessageFramer.Event] = []
        // One byte at a time, then two frames in one read.
        for byte in a { events += framer.feed([byte]) }
        events += framer.feed(b + a)
        #expect(events == [.message(Array(#"{"a":"𠝹"}"#.utf8)), .message(Array("[]".utf8)), .message(Array(#"{"a":"𠝹"}"#.utf8))])
        #expect(framer.finish() == nil)
        // Header names are case-insensitive and other headers are allowed.
        var other = MessageFramer()
        #expect(other.feed(Array("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".utf8)) == [.message(Array("{}".utf8))])
    }

    @Test func positionsCountUTF16Units() {
        let text = Array("a𠝹b\r\n香港\n".utf8)
        let p = TextPositions(text)
        #expect(p.position(ofByte: 1) == LSPPosition(line: 0, character: 1))
        #expect(p.position(ofByte: 5) == LSPPosition(line: 0, character: 3)) // after 𠝹 (4 bytes, 2 units)
        #expect(p.position(ofByte: 7) == LSPPosition(line: 0, character: 4)) // inside \r\n: end of the content
        #expect(p.offset(of: LSPPosition(line: 0, character: 2)) == 1) // inside the surrogate pair: its start
        #expect(p.offset(of: LSPPosition(line: 0, character: 3)) == 5)
        #expect(p.offset(of: LSPPosition(line: 0, character: 99)) == 6) // clamped to the line's content
        #expect(p.offset(of: LSPPosition(line: 1, character: 1)) == 11)
        #expect(p.offset(of: LSPPosition(line: 9, character: 0)) == text.count)
        // Engine positions: 1-based line, Unicode-scalar column.
        #expect(p.position(line: 2, scalarColumn: 2) == LSPPosition(line: 1, character: 1))
        #expect(p.position(line: 1, scalarColumn: 3) == LSPPosition(line: 0, character: 3))
    }

    @Test func bareCarriageReturnsBreakLSPLinesButNotEngineLines() {
        // LSP: three lines ("a", "𠝹b", "c"); the engine: two ("a\r𠝹b", "c").
        let p = TextPositions(Array("a\r𠝹b\nc".utf8))
        #expect(p.position(line: 1, scalarColumn: 4) == LSPPosition(line: 1, character: 2)) // the b
        #expect(p.position(line: 2, scalarColumn: 1) == LSPPosition(line: 2, character: 0))
        #expect(p.offset(of: LSPPosition(line: 1, character: 2)) == 6)
    }

    @Test func incrementalChangesApplyInOrder() {
        var doc = OpenDocument(uri: "file:///t.md", languageID: "markdown", version: 1, text: "𠝹字\n第二行\n")
        doc.apply([
            TextChange(range: LSPRange(start: LSPPosition(line: 0, character: 2), end: LSPPosition(line: 0, character: 3)), text: "詞"),
            TextChange(range: LSPRange(start: LSPPosition(line: 1, character: 0), end: LSPPosition(line: 2, character: 0)), text: ""),
            TextChange(range: LSPRange(start: LSPPosition(line: 1, character: 0), end: LSPPosition(line: 1, character: 0)), text: "尾"),
        ])
        #expect(String(decoding: doc.bytes, as: UTF8.self) == "𠝹詞\n尾")
    }
}

/// The same conversation with the built executable over real stdio (skipped before a build).
@Suite struct LanguageServerBinaryTests {
    static let binary = PackagePaths.root.appendingPathComponent(".build/debug/newslint").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs .build/debug/newslint (swift build)"))
    func spawnedServerSpeaksTheProtocolAndExitsCleanly() throws {
        let dir = TemporaryDirectory()
        let client = try LSPTestClient(binary: Self.binary, root: dir.path)
        #expect(LanguageServerTests.initialize(client, root: dir.path)?["result"]?["serverInfo"]?["name"]?.string == "newslint")
        // Garbage before a header, then a good message: an error, then service as usual.
        client.sendRaw(Array("hello\r\n\r\n".utf8))
        #expect(client.next { $0["error"] != nil }?["error"]?["code"]?.int == -32600)
        let uri = FileURI.uri(dir.path + "/a.md")
        LanguageServerTests.open(client, uri: uri, text: LanguageServerTests.article)
        #expect(LanguageServerTests.codes(client.diagnostics(uri: uri, version: 1)) == ["trailing-whitespace"])
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":\#(JSONWriter.quote(uri)),"version":2},"contentChanges":[{"range":{"start":{"line":5,"character":27},"end":{"line":5,"character":28}},"text":""}]}"#)
        #expect(LanguageServerTests.codes(client.diagnostics(uri: uri, version: 2)).isEmpty)
        client.request(2, "shutdown", "null")
        #expect(client.response(2)?["result"]?.value == .null)
        client.notify("exit", "null")
        #expect(client.waitForExit() == 0)
    }
}

@Suite struct ServerCommandTests {
    @Test func helpAndUsageErrors() {
        #expect(CLIRun.run(["server", "--help"]).stdout.contains("Language Server Protocol"))
        #expect(CLIRun.run(["help", "server"]).stdout.contains("source.fixAll.newslint"))
        #expect(CLIRun.run(["--help"]).stdout.contains("newslint server"))
        let extra = CLIRun.run(["server", "file.md"])
        #expect(extra.status == 2)
        #expect(extra.stderr.contains("takes no arguments"))
        #expect(CLIRun.run(["server", "--debounce", "-5"]).status == 2)
    }
}

@Suite struct ServerCodeActionTests {
    @Test func unsafeFixesAreMarkedAndNotPreferred() throws {
        let text = "---\ntitle: t\n---\n\n𠝹字裏\n"
        let bytes = Array(text.utf8)
        let start = text.utf8.count - "裏\n".utf8.count
        let fix = Fix(.unsafe, "Write 裡", edits: [Edit(range: start..<(start + 3), replacement: "裡")])
        let d = Diagnostic(rule: "script-mixed", severity: .warning, path: "/t.md", line: 5, column: 3, endLine: 5, endColumn: 4, message: "m", fix: fix)
        let doc = LintedDocument(version: 1, positions: TextPositions(bytes), perFile: [d])
        let everything = LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 9, character: 0))
        let actions = ServerFeatures.codeActions(uri: "file:///t.md", range: everything, only: nil, doc: doc,
                                                 document: Document(path: "/t.md", bytes: bytes)) { bytes }.map { JSONNode($0) }
        let quick = try #require(actions.first { $0["title"]?.string?.hasPrefix("Write 裡") == true })
        #expect(quick["title"]?.string?.contains("unsafe") == true)
        #expect(quick["isPreferred"]?.bool == false)
        // The edit starts after 𠝹 (2 UTF-16 units) and 字: character 3.
        let edit = try #require(quick["edit"]?["changes"]?["file:///t.md"]?.array?.first)
        #expect(edit["range"]?["start"]?["character"]?.int == 3)
        #expect(edit["range"]?["end"]?["character"]?.int == 4)
        // No safe fix: no fix-all action.
        #expect(!actions.contains { $0["kind"]?.string == ServerFeatures.fixAllKind })
        // Only source actions requested: no quick fixes.
        #expect(ServerFeatures.codeActions(uri: "file:///t.md", range: everything, only: ["source"], doc: doc,
                                           document: Document(path: "/t.md", bytes: bytes)) { bytes }.isEmpty)
    }
}
