import Foundation

/// A positional binary form of `Codable` values, for cross-file facts without a `FactRecord` form
/// (custom rules) in the fact columns and the lint cache: a warm run decodes every cached fact, and
/// `JSONDecoder` took half of such a run. Built-in facts are `FactRecord`s (cheaper still).
///
/// A keyed container is a count and (key, length, value) entries, like a JSON object without the
/// text: values decode in any key order, absent optionals are absent keys, a nil is an empty value.
/// Unkeyed containers are a count and their elements; every integer type shares one form (a value
/// written as `Int` reads back as `UInt32`, out of range throws). Nested containers by key are not
/// supported (encoding throws). Anything that does not decode throws, and the cache then lints the
/// file again. The JSON form stays the interchange format (`--facts-out`); this never leaves the cache.
package enum CompactCoder {
    package static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = CompactEncoder()
        try value.encode(to: encoder)
        guard !encoder.unsupported else { throw CompactCoderError.unsupported }
        return encoder.output.bytes
    }

    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = CompactDecoder(reader: CompactReader(bytes: bytes))
        let value = try T(from: decoder)
        guard decoder.reader.atEnd else { throw CompactCoderError.trailingBytes }
        return value
    }
}

package enum CompactCoderError: Error { case truncated, malformed, trailingBytes, unsupported }

/// Output buffer shared by an encoder and all its containers (encoding is depth-first, in order).
package final class CompactOutput {
    package var bytes: [UInt8] = []
    package func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }
    package func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }
    /// A fixed 4-byte slot, patched as elements are added (unkeyed containers do not know their count up front).
    package func countSlot() -> Int {
        bytes.append(contentsOf: [0, 0, 0, 0])
        return bytes.count - 4
    }
    package func set(slot: Int, to value: Int) {
        let n = UInt32(truncatingIfNeeded: value)
        for k in 0..<4 { bytes[slot + k] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(k))) }
    }
    package func increment(slot: Int) {
        var n = UInt32(bytes[slot]) | UInt32(bytes[slot + 1]) << 8 | UInt32(bytes[slot + 2]) << 16 | UInt32(bytes[slot + 3]) << 24
        n += 1
        for k in 0..<4 { bytes[slot + k] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(k))) }
    }

    package func put(_ v: Bool) { bytes.append(v ? 1 : 0) }
    package func put(_ v: String) { string(v) }
    package func put(_ v: Double) { varint(v.bitPattern) }
    package func put(_ v: Float) { varint(UInt64(v.bitPattern)) }
    package func put(_ v: Int) { integer(v) }
    package func put(_ v: Int8) { integer(v) }
    package func put(_ v: Int16) { integer(v) }
    package func put(_ v: Int32) { integer(v) }
    package func put(_ v: Int64) { integer(v) }
    package func put(_ v: UInt) { integer(v) }
    package func put(_ v: UInt8) { integer(v) }
    package func put(_ v: UInt16) { integer(v) }
    package func put(_ v: UInt32) { integer(v) }
    package func put(_ v: UInt64) { integer(v) }

    /// Every integer type in one form (sign bit, then the magnitude as a varint: the low 6 bits in
    /// the first byte), so a value written as `Int` reads back as `UInt32` (custom `Codable`
    /// conformances of the facts do that) and a value out of the reader's range throws.
    package func integer<T: BinaryInteger>(_ v: T) {
        let negative = v < 0
        let magnitude = UInt64(v.magnitude)
        var first = UInt8(truncatingIfNeeded: magnitude & 0x3F) << 1 | (negative ? 1 : 0)
        let rest = magnitude >> 6
        if rest != 0 { first |= 0x80 }
        bytes.append(first)
        if rest != 0 { varint(rest) }
    }

    /// Writes `value` when it is a primitive (compared by metatype, no dynamic casts for the rest).
    package func primitive<T>(_ value: T) -> Bool {
        if T.self == UInt16.self { put(value as! UInt16) }
        else if T.self == UInt32.self { put(value as! UInt32) }
        else if T.self == UInt64.self { put(value as! UInt64) }
        else if T.self == Int.self { put(value as! Int) }
        else if T.self == String.self { put(value as! String) }
        else if T.self == Int64.self { put(value as! Int64) }
        else if T.self == Bool.self { put(value as! Bool) }
        else if T.self == UInt8.self { put(value as! UInt8) }
        else if T.self == Int32.self { put(value as! Int32) }
        else if T.self == Double.self { put(value as! Double) }
        else if T.self == Float.self { put(value as! Float) }
        else if T.self == Int8.self { put(value as! Int8) }
        else if T.self == Int16.self { put(value as! Int16) }
        else if T.self == UInt.self { put(value as! UInt) }
        else { return false }
        return true
    }
}

package final class CompactEncoder: Encoder {
    package let output: CompactOutput
    /// Set when the value used something this form cannot record (see `Keyed`).
    package var unsupported = false
    package var codingPath: [CodingKey] = []
    package var userInfo: [CodingUserInfoKey: Any] = [:]
    package init(output: CompactOutput = CompactOutput()) { self.output = output }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(encoder: self, slot: output.countSlot()))
    }
    package func unkeyedContainer() -> UnkeyedEncodingContainer { Unkeyed(encoder: self, slot: output.countSlot()) }
    package func singleValueContainer() -> SingleValueEncodingContainer { Single(encoder: self) }

    /// Writes a value: primitives directly, arrays of integers in one loop (the same bytes as
    /// element by element, without generic dispatch per element), anything else through its own `encode(to:)`.
    package func write<T: Encodable>(_ value: T) throws {
        if output.primitive(value) { return }
        if T.self == [UInt16].self { return integers(value as! [UInt16]) }
        if T.self == [UInt32].self { return integers(value as! [UInt32]) }
        if T.self == [UInt64].self { return integers(value as! [UInt64]) }
        if T.self == [Int].self { return integers(value as! [Int]) }
        try value.encode(to: self)
    }

    private func integers<I: BinaryInteger>(_ values: [I]) {
        output.set(slot: output.countSlot(), to: values.count)
        for v in values { output.integer(v) }
    }

    package struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        package let encoder: CompactEncoder
        package let slot: Int
        package var codingPath: [CodingKey] { encoder.codingPath }
        /// Writes one entry: the key, a 4-byte length, then what `body` writes (a nil is an empty value).
        private func entry(_ key: CodingKey, _ body: () throws -> Void) rethrows {
            let out = encoder.output
            out.increment(slot: slot)
            out.string(key.stringValue)
            let length = out.countSlot()
            try body()
            out.set(slot: length, to: out.bytes.count - length - 4)
        }
        package mutating func encodeNil(forKey key: Key) throws { entry(key) {} }
        package mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try entry(key) { try encoder.write(value) } }
        package mutating func encode(_ value: Bool, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: String, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Double, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Float, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Int, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Int8, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Int16, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Int32, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: Int64, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: UInt, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: UInt8, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: UInt16, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: UInt32, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        package mutating func encode(_ value: UInt64, forKey key: Key) throws { entry(key) { encoder.output.put(value) } }
        /// Nested containers are written after this call returns, so their length is unknown here:
        /// not supported (the encode throws; no fact type uses them).
        package mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            encoder.unsupported = true
            return encoder.container(keyedBy: keyType)
        }
        package mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            encoder.unsupported = true
            return encoder.unkeyedContainer()
        }
        package mutating func superEncoder() -> Encoder { encoder.unsupported = true; return encoder }
        package mutating func superEncoder(forKey key: Key) -> Encoder { encoder.unsupported = true; return encoder }
    }

    package struct Unkeyed: UnkeyedEncodingContainer {
        package let encoder: CompactEncoder
        package let slot: Int
        package var codingPath: [CodingKey] { encoder.codingPath }
        package private(set) var count = 0
        package init(encoder: CompactEncoder, slot: Int) {
            self.encoder = encoder
            self.slot = slot
        }
        package mutating func element() {
            count += 1
            encoder.output.increment(slot: slot)
        }
        package mutating func encodeNil() throws { element(); encoder.output.bytes.append(0) }
        package mutating func encode<T: Encodable>(_ value: T) throws { element(); try encoder.write(value) }
        package mutating func encode(_ value: Bool) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: String) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Double) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Float) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Int) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Int8) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Int16) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Int32) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: Int64) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: UInt) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: UInt8) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: UInt16) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: UInt32) throws { element(); encoder.output.put(value) }
        package mutating func encode(_ value: UInt64) throws { element(); encoder.output.put(value) }
        package mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
            element()
            return encoder.container(keyedBy: keyType)
        }
        package mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            element()
            return encoder.unkeyedContainer()
        }
        package mutating func superEncoder() -> Encoder { element(); return encoder }
    }

    /// Single values carry a tag (0 nil, 1 value), so `Optional`'s own coding round-trips.
    package struct Single: SingleValueEncodingContainer {
        package let encoder: CompactEncoder
        package var codingPath: [CodingKey] { encoder.codingPath }
        package mutating func encodeNil() throws { encoder.output.bytes.append(0) }
        package mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.output.bytes.append(1)
            try encoder.write(value)
        }
        package mutating func encode(_ value: Bool) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: String) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Double) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Float) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Int) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Int8) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Int16) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Int32) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: Int64) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: UInt) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: UInt8) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: UInt16) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: UInt32) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
        package mutating func encode(_ value: UInt64) throws { encoder.output.bytes.append(1); encoder.output.put(value) }
    }
}

/// Bounds-checked reader of the compact form (every read throws instead of reading past the end).
package final class CompactReader {
    package let bytes: [UInt8]
    package var position = 0
    package init(bytes: [UInt8]) { self.bytes = bytes }
    package var atEnd: Bool { position == bytes.count }

    package func byte() throws -> UInt8 {
        guard position < bytes.count else { throw CompactCoderError.truncated }
        defer { position += 1 }
        return bytes[position]
    }
    package func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
    package func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift <= 63 else { throw CompactCoderError.malformed }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
    package func u32() throws -> Int {
        guard bytes.count - position >= 4 else { throw CompactCoderError.truncated }
        let p = position
        position += 4
        return Int(UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24)
    }
    package func string() throws -> String {
        let n = try varint()
        guard n <= UInt64(bytes.count - position) else { throw CompactCoderError.truncated }
        let range = position..<(position + Int(n))
        position += Int(n)
        guard let s = bytes.withUnsafeBufferPointer({ String(exactUTF8: UnsafeBufferPointer(rebasing: $0[range])) }) else {
            throw CompactCoderError.malformed
        }
        return s
    }
    /// An integer written by `CompactOutput.integer`; throws when it does not fit `T`.
    package func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let first = try byte()
        var magnitude = UInt64(first >> 1 & 0x3F)
        if first & 0x80 != 0 {
            let rest = try varint()
            guard rest < 1 << 58 else { throw CompactCoderError.malformed }
            magnitude |= rest << 6
        }
        if first & 1 == 0 {
            guard let v = T(exactly: magnitude) else { throw CompactCoderError.malformed }
            return v
        }
        guard magnitude > 0, magnitude <= UInt64(Int64.max) + 1, let v = T(exactly: Int64(truncatingIfNeeded: 0 &- magnitude)) else {
            throw CompactCoderError.malformed
        }
        return v
    }

    package func read(_ type: Bool.Type) throws -> Bool {
        let b = try byte()
        guard b <= 1 else { throw CompactCoderError.malformed }
        return b == 1
    }
    package func read(_ type: String.Type) throws -> String { try string() }
    package func read(_ type: Double.Type) throws -> Double { Double(bitPattern: try varint()) }
    package func read(_ type: Float.Type) throws -> Float {
        guard let bits = UInt32(exactly: try varint()) else { throw CompactCoderError.malformed }
        return Float(bitPattern: bits)
    }
    package func read(_ type: Int.Type) throws -> Int { try integer(type) }
    package func read(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    package func read(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    package func read(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    package func read(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    package func read(_ type: UInt.Type) throws -> UInt { try integer(type) }
    package func read(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    package func read(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    package func read(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    package func read(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    /// Reads a primitive of type `T` (nil: not a primitive; the caller decodes it as a value).
    package func primitive<T>(_ type: T.Type) throws -> T? {
        if T.self == UInt16.self { return try read(UInt16.self) as? T }
        if T.self == UInt32.self { return try read(UInt32.self) as? T }
        if T.self == UInt64.self { return try read(UInt64.self) as? T }
        if T.self == Int.self { return try read(Int.self) as? T }
        if T.self == String.self { return try read(String.self) as? T }
        if T.self == Int64.self { return try read(Int64.self) as? T }
        if T.self == Bool.self { return try read(Bool.self) as? T }
        if T.self == UInt8.self { return try read(UInt8.self) as? T }
        if T.self == Int32.self { return try read(Int32.self) as? T }
        if T.self == Double.self { return try read(Double.self) as? T }
        if T.self == Float.self { return try read(Float.self) as? T }
        if T.self == Int8.self { return try read(Int8.self) as? T }
        if T.self == Int16.self { return try read(Int16.self) as? T }
        if T.self == UInt.self { return try read(UInt.self) as? T }
        return nil
    }
}

package final class CompactDecoder: Decoder {
    package let reader: CompactReader
    package var codingPath: [CodingKey] = []
    package var userInfo: [CodingUserInfoKey: Any] = [:]
    package init(reader: CompactReader) { self.reader = reader }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try Keyed<Key>(decoder: self))
    }
    package func unkeyedContainer() throws -> UnkeyedDecodingContainer { Unkeyed(decoder: self, count: try reader.u32()) }
    package func singleValueContainer() throws -> SingleValueDecodingContainer { Single(decoder: self) }

    package func read<T: Decodable>(_ type: T.Type) throws -> T {
        if let v = try reader.primitive(type) { return v }
        if T.self == [UInt16].self { return try integers(UInt16.self) as! T }
        if T.self == [UInt32].self { return try integers(UInt32.self) as! T }
        if T.self == [UInt64].self { return try integers(UInt64.self) as! T }
        if T.self == [Int].self { return try integers(Int.self) as! T }
        return try T(from: self)
    }

    private func integers<I: FixedWidthInteger>(_ type: I.Type) throws -> [I] {
        let count = try reader.u32()
        guard count <= reader.bytes.count - reader.position else { throw CompactCoderError.truncated }
        var out: [I] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try reader.integer(I.self)) }
        return out
    }

    package struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        package let decoder: CompactDecoder
        /// Value ranges by key (the reader stands after the container once it is made).
        package let entries: [String: Range<Int>]
        package init(decoder: CompactDecoder) throws {
            self.decoder = decoder
            let reader = decoder.reader
            let count = try reader.u32()
            var entries: [String: Range<Int>] = [:]
            entries.reserveCapacity(min(count, 64))
            for _ in 0..<count {
                let key = try reader.string()
                let length = try reader.u32()
                guard length <= reader.bytes.count - reader.position else { throw CompactCoderError.truncated }
                entries[key] = reader.position..<(reader.position + length)
                reader.position += length
            }
            self.entries = entries
        }
        package var codingPath: [CodingKey] { decoder.codingPath }
        package var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }
        package func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }
        package func decodeNil(forKey key: Key) throws -> Bool {
            guard let range = entries[key.stringValue] else { throw CompactCoderError.malformed }
            return range.isEmpty
        }
        /// Decodes the value of `key` from its range, which it must use exactly.
        private func value<T>(_ key: Key, _ body: () throws -> T) throws -> T {
            guard let range = entries[key.stringValue], !range.isEmpty else { throw CompactCoderError.malformed }
            let reader = decoder.reader
            let saved = reader.position
            reader.position = range.lowerBound
            let v = try body()
            guard reader.position == range.upperBound else { throw CompactCoderError.malformed }
            reader.position = saved
            return v
        }
        package func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(key) { try decoder.read(type) } }
        package func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(key) { try decoder.reader.read(type) } }
        package func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(key) { try decoder.reader.read(type) } }
        package func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            throw CompactCoderError.unsupported
        }
        package func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { throw CompactCoderError.unsupported }
        package func superDecoder() throws -> Decoder { throw CompactCoderError.unsupported }
        package func superDecoder(forKey key: Key) throws -> Decoder { throw CompactCoderError.unsupported }
    }

    package struct Unkeyed: UnkeyedDecodingContainer {
        package let decoder: CompactDecoder
        package let total: Int
        package var codingPath: [CodingKey] { decoder.codingPath }
        package var count: Int? { total }
        package var currentIndex = 0
        package var isAtEnd: Bool { currentIndex >= total }
        package init(decoder: CompactDecoder, count: Int) {
            self.decoder = decoder
            self.total = count
        }
        private mutating func element() throws {
            guard currentIndex < total else { throw CompactCoderError.truncated }
            currentIndex += 1
        }
        package mutating func decodeNil() throws -> Bool {
            guard currentIndex < total, decoder.reader.peek() == 0 else { return false }
            decoder.reader.position += 1
            currentIndex += 1
            return true
        }
        package mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try element()
            return try decoder.read(type)
        }
        package mutating func decode(_ type: Bool.Type) throws -> Bool { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: String.Type) throws -> String { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Double.Type) throws -> Double { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Float.Type) throws -> Float { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Int.Type) throws -> Int { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: UInt.Type) throws -> UInt { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(); return try decoder.reader.read(type) }
        package mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(); return try decoder.reader.read(type) }
        package mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            try element()
            return try decoder.container(keyedBy: type)
        }
        package mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            try element()
            return try decoder.unkeyedContainer()
        }
        package mutating func superDecoder() throws -> Decoder {
            try element()
            return decoder
        }
    }

    package struct Single: SingleValueDecodingContainer {
        package let decoder: CompactDecoder
        package var codingPath: [CodingKey] { decoder.codingPath }
        package func decodeNil() -> Bool {
            if decoder.reader.peek() == 0 { decoder.reader.position += 1; return true }
            return false
        }
        package func decode<T: Decodable>(_ type: T.Type) throws -> T {
            guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }
            return try decoder.read(type)
        }
        package func decode(_ type: Bool.Type) throws -> Bool { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: String.Type) throws -> String { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Double.Type) throws -> Double { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Float.Type) throws -> Float { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Int.Type) throws -> Int { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Int8.Type) throws -> Int8 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Int16.Type) throws -> Int16 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Int32.Type) throws -> Int32 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: Int64.Type) throws -> Int64 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: UInt.Type) throws -> UInt { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: UInt8.Type) throws -> UInt8 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: UInt16.Type) throws -> UInt16 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: UInt32.Type) throws -> UInt32 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
        package func decode(_ type: UInt64.Type) throws -> UInt64 { guard try decoder.reader.byte() == 1 else { throw CompactCoderError.malformed }; return try decoder.reader.read(type) }
    }
}
