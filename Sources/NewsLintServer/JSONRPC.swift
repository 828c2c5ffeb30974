import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// JSON-RPC 2.0 as LSP uses it: requests (with an id), notifications, and responses to the
/// server's own requests. Parsed with the project's JSON parser; written with `JSONWriter`.
package enum RPCMessage {
    case request(id: JSONValue, method: String, params: JSONNode?)
    case notification(method: String, params: JSONNode?)
    case response(id: JSONValue)

    /// Parses a frame's body; the error carries the id when one could be read (so it can be answered).
    package static func parse(_ body: [UInt8]) -> Result<RPCMessage, RPCError> {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes: body) } catch {
            return .failure(RPCError(.parseError, "invalid JSON: \(error)"))
        }
        guard root.members != nil else {
            return .failure(RPCError(.invalidRequest, root.array != nil ? "batch messages are not supported" : "a message must be a JSON object"))
        }
        let id = root["id"]?.value
        if let id, !Self.isValidID(id) { return .failure(RPCError(.invalidRequest, "'id' must be a number or a string")) }
        guard root["jsonrpc"]?.string == "2.0" else { return .failure(RPCError(.invalidRequest, "'jsonrpc' must be \"2.0\"", id: id)) }
        guard let methodNode = root["method"] else {
            if let id, root["result"] != nil || root["error"] != nil { return .success(.response(id: id)) }
            return .failure(RPCError(.invalidRequest, "a message needs 'method' (request or notification) or 'result'/'error' (response)", id: id))
        }
        guard let method = methodNode.string else { return .failure(RPCError(.invalidRequest, "'method' must be a string", id: id)) }
        // `"params": null` is sent by some clients for methods without parameters (shutdown, exit).
        let params = root["params"].flatMap { $0.value == .null ? nil : $0 }
        if let params, params.members == nil && params.array == nil {
            return .failure(RPCError(.invalidParams, "'params' must be an object or an array", id: id))
        }
        if let id { return .success(.request(id: id, method: method, params: params)) }
        return .success(.notification(method: method, params: params))
    }

    private static func isValidID(_ v: JSONValue) -> Bool {
        switch v {
        case .string, .number: return true
        default: return false
        }
    }
}

package struct RPCError: Error {
    package enum Code: Int {
        case parseError = -32700
        case invalidRequest = -32600
        case methodNotFound = -32601
        case invalidParams = -32602
        case internalError = -32603
        case serverNotInitialized = -32002
        case requestFailed = -32803
    }
    package var code: Code
    package var message: String
    /// The request's id when known (errors for unreadable messages answer id null).
    package var id: JSONValue?

    package init(_ code: Code, _ message: String, id: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.id = id
    }

    package static func invalidParams(_ message: String) -> RPCError { RPCError(.invalidParams, message) }
}

/// Outgoing messages, serialised.
package enum RPCOutgoing {
    package static func response(id: JSONValue, result: JSONValue) -> [UInt8] {
        body([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
    }

    package static func error(_ error: RPCError) -> [UInt8] {
        let detail = LSPJSON.object([("code", .number(Double(error.code.rawValue))), ("message", .string(error.message))])
        return body([("jsonrpc", .string("2.0")), ("id", error.id ?? .null), ("error", detail)])
    }

    package static func notification(_ method: String, _ params: JSONValue) -> [UInt8] {
        body([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
    }

    package static func request(id: Int, _ method: String, _ params: JSONValue) -> [UInt8] {
        body([("jsonrpc", .string("2.0")), ("id", .number(Double(id))), ("method", .string(method)), ("params", params)])
    }

    private static func body(_ pairs: [(String, JSONValue)]) -> [UInt8] {
        var out = ""
        JSONWriter.write(LSPJSON.object(pairs), into: &out, pretty: false, indent: 0)
        return Array(out.utf8)
    }
}

/// Small builders and readers for protocol JSON.
package enum LSPJSON {
    package static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { (key: $0.0, keyPosition: SourcePosition(line: 1, column: 1), value: JSONNode($0.1)) })
    }
    package static func array(_ items: [JSONValue]) -> JSONValue { .array(items.map { JSONNode($0) }) }
    package static func int(_ n: Int) -> JSONValue { .number(Double(n)) }

    package static func position(_ p: LSPPosition) -> JSONValue { object([("line", int(p.line)), ("character", int(p.character))]) }
    package static func range(_ r: LSPRange) -> JSONValue { object([("start", position(r.start)), ("end", position(r.end))]) }
}

/// Reading params: a missing or mistyped field is the client's error (`InvalidParams`), never a crash.
extension JSONNode {
    package func required(_ key: String) throws -> JSONNode {
        guard let v = self[key] else { throw RPCError.invalidParams("missing '\(key)'") }
        return v
    }
    package func requiredString(_ key: String) throws -> String {
        guard let s = try required(key).string else { throw RPCError.invalidParams("'\(key)' must be a string") }
        return s
    }
    package func requiredInt(_ key: String) throws -> Int {
        guard let n = try required(key).number, n.rounded() == n, abs(n) < 1e15 else { throw RPCError.invalidParams("'\(key)' must be an integer") }
        return Int(n)
    }
    package func lspPosition() throws -> LSPPosition {
        let line = try requiredInt("line"), character = try requiredInt("character")
        guard line >= 0, character >= 0 else { throw RPCError.invalidParams("positions are non-negative") }
        return LSPPosition(line: line, character: character)
    }
    package func lspRange() throws -> LSPRange {
        let r = LSPRange(start: try required("start").lspPosition(), end: try required("end").lspPosition())
        guard r.start <= r.end else { throw RPCError.invalidParams("range end before its start") }
        return r
    }
}
