import Foundation

/// A problem in a JSON input (config, rule pack, catalog, facts, baseline, rule options): where it is
/// (`file:line:column`), which value (`rules.script-mixed.minEvidence`), and what is wrong. The one
/// error type and the one renderer for every JSON file newslint reads.
public struct JSONFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition?
    public var jsonPath: String?
    public var message: String
    /// Further problems found in the same pass (all are reported at once).
    public var additional: [JSONFileError] = []

    public init(file: String, position: SourcePosition? = nil, jsonPath: String? = nil, message: String) {
        self.file = file
        self.position = position
        self.jsonPath = jsonPath
        self.message = message
    }

    /// This error and the additional ones, each on its own.
    public var all: [JSONFileError] {
        var first = self
        first.additional = []
        return [first] + additional.flatMap(\.all)
    }

    package static func combined(_ first: JSONFileError, _ rest: [JSONFileError]) -> JSONFileError {
        var e = first
        e.additional = (e.additional + rest).flatMap(\.all)
        return e
    }

    /// Throws the collected errors as one (the first carries the others), or returns when there are none.
    package static func throwIfAny(_ errors: [JSONFileError]) throws {
        if let first = errors.first { throw combined(first, Array(errors.dropFirst())) }
    }

    public var description: String {
        var s = file
        if let p = position { s += ":\(p.line):\(p.column)" }
        s += ": "
        if let j = jsonPath, !j.isEmpty { s += "\(j): " }
        return s + message
    }
}

/// Decodes any `Decodable` from the positioned JSON tree (`JSONParser`), so every JSON input gets
/// errors with `file:line:column` and a JSON path. Unlike Foundation's `JSONDecoder` it reports object
/// keys no `CodingKey` asked for (a typo would otherwise be ignored silently), with a suggestion.
public struct JSONNodeDecoder {
    /// The file named in errors.
    public var file: String
    /// The decoded node's own path in its file (e.g. `rules.script-mixed`), prefixed to error paths.
    public var basePath: String
    /// Whether keys that no `CodingKey` asked for are errors.
    public var rejectsUnknownKeys = true

    public init(file: String, basePath: String = "") {
        self.file = file
        self.basePath = basePath
    }

    /// Parses `bytes` and decodes a `T`; syntax errors become positioned `JSONFileError`s.
    public func decode<T: Decodable>(_ type: T.Type, fromJSON bytes: [UInt8]) throws -> T {
        try decode(type, from: parse(bytes))
    }

    /// Parses `bytes` into a positioned tree, with syntax errors as `JSONFileError`s.
    public func parse(_ bytes: [UInt8]) throws -> JSONNode {
        do {
            return try JSONParser.parse(bytes: bytes)
        } catch let e as JSONSyntaxError {
            throw JSONFileError(file: file, position: e.position, message: "invalid JSON: \(e.message)")
        }
    }

    /// Decodes a `T` from `node`.
    public func decode<T: Decodable>(_ type: T.Type, from node: JSONNode) throws -> T {
        let state = NodeDecodingState(file: file, basePath: basePath, root: node)
        let value: T
        do {
            value = try T(from: NodeDecoder(node: node, codingPath: [], state: state))
        } catch {
            let found = (error as? JSONFileError)?.all ?? [state.error(for: error)]
            // Unknown keys of objects whose keys are declared (`CaseIterable` coding keys) are certain
            // even when decoding stopped early; they come first, being the likelier cause.
            let unknown = rejectsUnknownKeys ? state.unknownKeyErrors(declaredOnly: true).filter { u in !found.contains { $0.position == u.position } } : []
            guard let first = (unknown + found).first else { throw error }
            throw JSONFileError.combined(first, Array((unknown + found).dropFirst()))
        }
        if rejectsUnknownKeys { try JSONFileError.throwIfAny(state.unknownKeyErrors()) }
        return value
    }

    /// Decodes a `T` whose `init(from:)` keeps going past bad values (collecting them itself), and
    /// returns the unknown keys alongside instead of throwing them, so a caller can report every problem.
    public func decodeListingUnknownKeys<T: Decodable>(_ type: T.Type, from node: JSONNode) throws -> (value: T, unknownKeys: [JSONFileError]) {
        let state = NodeDecodingState(file: file, basePath: basePath, root: node)
        do {
            let value = try T(from: NodeDecoder(node: node, codingPath: [], state: state))
            return (value, state.unknownKeyErrors())
        } catch let e as JSONFileError {
            throw e
        } catch {
            throw state.error(for: error)
        }
    }

    /// Runs `step`, adding what it throws to `errors` (as `JSONFileError`s) instead of stopping: for an
    /// `init(from:)` that reports every bad value of a file at once. Returns nil when `step` threw.
    /// `decoder` is the one passed to that `init(from:)`: it places a thrown `DecodingError` in the file;
    /// without one, other errors are reported against `file`.
    public static func collect<T>(_ errors: inout [JSONFileError], in decoder: (any Decoder)? = nil, file: String = "", _ step: () throws -> T) -> T? {
        do {
            return try step()
        } catch let e as JSONFileError {
            errors.append(contentsOf: e.all)
        } catch {
            errors.append((decoder as? NodeDecoder)?.state.error(for: error) ?? JSONFileError(file: file, message: "\(error)"))
        }
        return nil
    }

    /// `path` rendered as in messages: keys joined by dots, array indices in brackets.
    public static func render(_ path: [any CodingKey], base: String = "") -> String {
        var out = base
        for key in path {
            if let i = key.intValue, key.stringValue == "Index \(i)" || key.stringValue == String(i) {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}

/// The JSON type a Swift type is read from, as error messages name it.
private func expectedName<T>(_ type: T.Type) -> String {
    switch type {
    case is Bool.Type: return "true or false"
    case is String.Type: return "a string"
    case is Double.Type, is Float.Type: return "a number"
    case is any FixedWidthInteger.Type: return "a whole number"
    default: return "\(type)"
    }
}

/// What a decode run shares: the file, and which keys of each object were asked for.
private final class NodeDecodingState {
    let file: String
    let basePath: String
    let root: JSONNode
    /// Per object path: the object, the keys asked for, whether all keys were taken (dictionaries),
    /// and its coding-key type (whose keys are known when it is `CaseIterable`: `declared(in:)`).
    var objects: [String: (node: JSONNode, asked: Set<String>, takesAll: Bool, keys: any CodingKey.Type)] = [:]
    var objectOrder: [String] = []
    /// `declared(in:)`'s answers by object path, once found.
    private var declaredKeys: [String: [String]?] = [:]
    /// Object paths whose containers were made with more than one coding-key type: keys asked for
    /// there may lie outside the first type's declared keys.
    private var mixedKeys: Set<String> = []

    init(file: String, basePath: String, root: JSONNode) {
        self.file = file
        self.basePath = basePath
        self.root = root
    }

    func path(_ codingPath: [any CodingKey]) -> String { JSONNodeDecoder.render(codingPath, base: basePath) }

    func error(_ node: JSONNode, _ codingPath: [any CodingKey], _ message: String) -> JSONFileError {
        JSONFileError(file: file, position: node.position, jsonPath: path(codingPath), message: message)
    }

    func mismatch(_ node: JSONNode, _ codingPath: [any CodingKey], expected: String) -> JSONFileError {
        let found: String
        switch node.value {
        case .number, .bool: found = node.serialized()
        case .string(let s): found = "the string \(JSONWriter.quote(s.count > 40 ? String(s.prefix(40)) + "…" : s))"
        default: found = node.value.typeName == "array" ? "an array" : "an " + node.value.typeName
        }
        return error(node, codingPath, "expected \(expected), found \(node.value == .null ? "null" : found)")
    }

    func register(_ node: JSONNode, at codingPath: [any CodingKey], keys: any CodingKey.Type) -> String {
        let key = path(codingPath)
        if let entry = objects[key] {
            if ObjectIdentifier(entry.keys) != ObjectIdentifier(keys) { mixedKeys.insert(key) }
        } else {
            objects[key] = (node, [], false, keys)
            objectOrder.append(key)
        }
        return key
    }

    /// The keys the object's coding-key type declares, when it is `CaseIterable`; nil otherwise.
    /// Asked only when a member of the object is not a key asked for (an unknown key, or an error):
    /// the cast is a run-time conformance lookup, which on first sight of a type walks every
    /// conformance record of the binary (~200,000 instructions a type, 6.4 M a run when every
    /// container made it).
    func declared(in object: String) -> [String]? {
        if let known = declaredKeys[object] { return known }
        let found = objects[object].flatMap { entry in (entry.keys as? any (CodingKey & CaseIterable).Type).map { declaredKeyNames($0) } }
        declaredKeys[object] = .some(found)
        return found
    }

    func ask(_ key: String, in object: String) { objects[object]?.asked.insert(key) }
    func takeAll(in object: String) { objects[object]?.takesAll = true }

    /// Members of an object that no key asked for, excluding `$comment`-style keys.
    func unasked(in object: String) -> [(key: String, keyPosition: SourcePosition, value: JSONNode)] {
        guard let entry = objects[object], !entry.takesAll else { return [] }
        let members = entry.node.members ?? []
        // A container asks only keys of its own type, so a key asked for is a declared one: when
        // every member was asked for, none is unknown whether the type declares its keys or not,
        // and `declared(in:)` is not needed.
        if !mixedKeys.contains(object), members.allSatisfy({ entry.asked.contains($0.key) || $0.key.hasPrefix("$") }) { return [] }
        let known = declared(in: object).map(Set.init) ?? entry.asked
        return members.filter { !known.contains($0.key) && !$0.key.hasPrefix("$") }
    }

    /// Keys no coding key asked for (or, with `declaredOnly`, outside the declared keys of objects that have them).
    func unknownKeyErrors(declaredOnly: Bool = false) -> [JSONFileError] {
        objectOrder.flatMap { object -> [JSONFileError] in
            guard let entry = objects[object], !declaredOnly || declared(in: object) != nil else { return [] }
            let unasked = unasked(in: object)
            if unasked.isEmpty { return [] }
            let candidates = declared(in: object) ?? entry.asked.sorted()
            let valid = candidates.filter { !$0.hasPrefix("$") }.joined(separator: ", ")
            return unasked.map { m in
                JSONFileError(file: file, position: m.keyPosition, jsonPath: object.isEmpty ? m.key : object + "." + m.key,
                              message: "unknown key '\(m.key)'" + Suggest.hint(for: m.key, in: candidates, otherwise: "; valid keys: " + valid))
            }
        }
    }

    /// An error thrown by a type's own `init(from:)`, placed at the node its coding path names.
    func error(for error: any Error) -> JSONFileError {
        guard let e = error as? DecodingError else { return JSONFileError(file: file, position: root.position, jsonPath: basePath, message: "\(error)") }
        let (context, fallback): (DecodingError.Context, String) = {
            switch e {
            case let .dataCorrupted(c): return (c, "invalid value")
            case let .keyNotFound(k, c): return (c, "missing key '\(k.stringValue)'")
            case let .typeMismatch(t, c): return (c, "expected \(expectedName(t))")
            case let .valueNotFound(t, c): return (c, "expected \(expectedName(t)), found null")
            @unknown default: return (DecodingError.Context(codingPath: [], debugDescription: "\(e)"), "invalid value")
            }
        }()
        var node = root
        for key in context.codingPath {
            if let i = key.intValue, let items = node.array, items.indices.contains(i) { node = items[i] } else if let child = node[key.stringValue] { node = child }
        }
        return self.error(node, context.codingPath, context.debugDescription.isEmpty ? fallback : context.debugDescription)
    }
}

/// The names of a `CaseIterable` coding-key type, in declaration order.
private func declaredKeyNames<Key: CodingKey & CaseIterable>(_ type: Key.Type) -> [String] {
    Key.allCases.map(\.stringValue)
}

private struct NodeDecoder: Decoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    let state: NodeDecodingState
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard node.members != nil else { throw state.mismatch(node, codingPath, expected: "an object") }
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(node: node, codingPath: codingPath, state: state,
                                                              object: state.register(node, at: codingPath, keys: Key.self)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let items = node.array else { throw state.mismatch(node, codingPath, expected: "an array") }
        return NodeUnkeyedContainer(node: node, items: items, codingPath: codingPath, state: state)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeValueContainer(node: node, codingPath: codingPath, state: state)
    }
}

/// A key as written in the file (for the path of a key no `CodingKey` names).
private struct WrittenKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ key: String) { stringValue = key }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// An array index as a coding key.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// Reads scalars from one node; shared by the three container kinds.
private struct ScalarReader {
    let state: NodeDecodingState

    func bool(_ node: JSONNode, _ path: [any CodingKey]) throws -> Bool {
        guard let b = node.bool else { throw state.mismatch(node, path, expected: "true or false") }
        return b
    }
    func string(_ node: JSONNode, _ path: [any CodingKey]) throws -> String {
        guard let s = node.string else { throw state.mismatch(node, path, expected: "a string") }
        return s
    }
    func double(_ node: JSONNode, _ path: [any CodingKey]) throws -> Double {
        guard let n = node.number else { throw state.mismatch(node, path, expected: "a number") }
        return n
    }
    func integer<T: FixedWidthInteger>(_ node: JSONNode, _ path: [any CodingKey]) throws -> T {
        guard let n = node.int, let value = T(exactly: n) else {
            throw state.mismatch(node, path, expected: T.isSigned ? "a whole number" : "a whole number ≥ 0")
        }
        return value
    }
    func decode<T: Decodable>(_ type: T.Type, _ node: JSONNode, _ path: [any CodingKey]) throws -> T {
        switch type {
        case is Bool.Type: return try bool(node, path) as! T
        case is String.Type: return try string(node, path) as! T
        case is Double.Type: return try double(node, path) as! T
        case is Int.Type: return try integer(node, path) as Int as! T
        case is [String].Type where node.array == nil: throw state.mismatch(node, path, expected: "an array of strings")
        default: return try T(from: NodeDecoder(node: node, codingPath: path, state: state))
        }
    }
}

private struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]
    let state: NodeDecodingState
    let object: String

    var allKeys: [Key] {
        state.takeAll(in: object)
        return (node.members ?? []).compactMap { Key(stringValue: $0.key) }
    }

    func contains(_ key: Key) -> Bool {
        state.ask(key.stringValue, in: object)
        return node[key.stringValue] != nil
    }

    private func child(_ key: Key) throws -> JSONNode {
        state.ask(key.stringValue, in: object)
        if let child = node[key.stringValue] { return child }
        // A missing key next to a near-miss is a typo: point at the typo.
        for typo in state.unasked(in: object) {
            let hint = Suggest.hint(for: typo.key, in: [key.stringValue])
            if !hint.isEmpty {
                throw JSONFileError(file: state.file, position: typo.keyPosition, jsonPath: state.path(codingPath + [WrittenKey(typo.key)]),
                                    message: "unknown key '\(typo.key)'" + hint)
            }
        }
        throw state.error(node, codingPath, "missing key '\(key.stringValue)'")
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).value == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ScalarReader(state: state).decode(type, try child(key), codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: try child(key), codingPath: codingPath + [key], state: state).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: try child(key), codingPath: codingPath + [key], state: state).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: node, codingPath: codingPath, state: state)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(node: try child(key), codingPath: codingPath + [key], state: state)
    }
}

private struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let node: JSONNode
    let items: [JSONNode]
    let codingPath: [any CodingKey]
    let state: NodeDecodingState
    private(set) var currentIndex = 0

    init(node: JSONNode, items: [JSONNode], codingPath: [any CodingKey], state: NodeDecodingState) {
        self.node = node
        self.items = items
        self.codingPath = codingPath
        self.state = state
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> (JSONNode, [any CodingKey]) {
        guard !isAtEnd else { throw state.error(node, codingPath, "expected more elements (found \(items.count))") }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].value == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (item, path) = try next()
        return try ScalarReader(state: state).decode(type, item, path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (item, path) = try next()
        return try NodeDecoder(node: item, codingPath: path, state: state).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (item, path) = try next()
        return try NodeDecoder(node: item, codingPath: path, state: state).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (item, path) = try next()
        return NodeDecoder(node: item, codingPath: path, state: state)
    }
}

private struct NodeValueContainer: SingleValueDecodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    let state: NodeDecodingState
    private var reader: ScalarReader { ScalarReader(state: state) }

    func decodeNil() -> Bool { node.value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(node, codingPath) }
    func decode(_ type: String.Type) throws -> String { try reader.string(node, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try reader.double(node, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try reader.double(node, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try reader.integer(node, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(node, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(node, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(node, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(node, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(node, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(node, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(node, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(node, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(node, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.decode(type, node, codingPath) }
}

/// A string enum read from JSON: an unknown value is reported with the allowed values and a suggestion.
public protocol JSONStringEnum: Decodable, CaseIterable, RawRepresentable where RawValue == String {}

extension JSONStringEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let names = Self.allCases.map(\.rawValue)
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "'\(text)' is not allowed; expected one of \(names.joined(separator: ", "))" + Suggest.hint(for: text, in: names))
        }
        self = value
    }
}

/// A JSON object read as an ordered list of (key, value): the keys are the user's (front-matter keys,
/// say), and their order is kept, which a `Dictionary` would lose.
public struct KeyedList<Value: Decodable & Sendable>: Decodable, Sendable {
    public var entries: [(key: String, value: Value)]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        entries = try container.allKeys.map { ($0.stringValue, try container.decode(Value.self, forKey: $0)) }
    }
}

/// A value with the position it was written at (for errors found after decoding, e.g. a missing file).
public struct Located<Value: Decodable>: Decodable {
    public var value: Value
    public var position: SourcePosition

    public init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        position = (decoder as? NodeDecoder)?.node.position ?? SourcePosition(line: 1, column: 1)
    }
}

extension Located: Sendable where Value: Sendable {}

/// A subtree kept as positioned JSON, for parts checked later against data the decoder does not have
/// (rule settings against the catalog). Its keys are not checked by the decoder.
extension JSONNode: Decodable {
    public init(from decoder: any Decoder) throws {
        guard let d = decoder as? NodeDecoder else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a JSONNode decodes only with JSONNodeDecoder"))
        }
        self = d.node
    }
}
