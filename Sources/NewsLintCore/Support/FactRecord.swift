/// A cross-file fact written and read as a record of its own fields, without `Codable`: the
/// engine's fact columns and the lint cache hold facts this way. Going through `Codable` (even the
/// positional `CompactCoder`) cost about a tenth of a run's CPU: a keyed container, key strings and
/// generic dispatch per field of every file's fact, on the way in and again in the reduce.
///
/// The record is private to one build (the cache is keyed by the build, and the columns live for
/// one run); what crosses machines (`--facts-out`, `merge`) stays the facts' JSON form.
/// `init(record:)` must read exactly what `write(to:)` wrote and throw on anything else.
public protocol FactRecord {
    func write(to record: inout FactRecordWriter)
    init(record: inout FactRecordReader) throws
}

/// The first byte of a fact's record in a fact column or a lint cache entry: which form follows.
/// A reader that does not know the byte throws (a cache entry is then linted again).
@usableFromInline package enum FactRecordFormat {
    /// `CompactCoder` bytes (facts without a `FactRecord` form: custom rules).
    package static let codable: UInt8 = 0
    /// A fact column's reference to a fact kept as a value (never in the cache).
    package static let value: UInt8 = 1
    /// `FactRecord`, version 1 (fields in the order `write(to:)` puts them).
    @usableFromInline package static let recordV1: UInt8 = 2
}

/// Appends a record's fields: fixed-width little-endian words for hashes, LEB128 varints for
/// counts and numbers that are usually small, length-prefixed UTF-8 for strings.
public struct FactRecordWriter {
    public var bytes: [UInt8]

    public init() {
        bytes = []
        bytes.reserveCapacity(64)
    }

    /// With room for `capacity` bytes (none allocated for 0).
    public init(reservingCapacity capacity: Int) {
        bytes = []
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Inlinable, as `varint` and `fixed32`: rules write their records from another module, and
    /// each was a call (the engine's own framing bytes too).
    @inlinable
    public mutating func byte(_ v: UInt8) { bytes.append(v) }

    /// Byte by byte: `append(contentsOf:)` of the word's bytes cost ~100 instructions a call.
    @inlinable
    public mutating func fixed32(_ v: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v >> 16))
        bytes.append(UInt8(truncatingIfNeeded: v >> 24))
    }

    public mutating func fixed64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    /// Any `Int` (zigzag: small negative numbers stay short).
    public mutating func int(_ v: Int) {
        let n = Int64(v)
        varint(UInt64(bitPattern: (n << 1) ^ (n >> 63)))
    }

    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    /// 0 for nil, else 1 and the string.
    public mutating func optionalString(_ s: String?) {
        guard let s else { return byte(0) }
        byte(1)
        string(s)
    }

    /// 0 for nil, else 1 and the 8 bytes.
    public mutating func optionalFixed64(_ v: UInt64?) {
        guard let v else { return byte(0) }
        byte(1)
        fixed64(v)
    }

    /// The count, then 2 bytes per element.
    public mutating func fixed16Array(_ values: [UInt16]) { values.withUnsafeBufferPointer { fixedArray($0) } }

    /// `fixed16Array` of elements in a buffer (a signature made in temporary storage).
    public mutating func fixed16Array(_ values: UnsafeBufferPointer<UInt16>) { fixedArray(values) }

    /// The count, then 4 bytes per element.
    public mutating func fixed32Array(_ values: [UInt32]) { values.withUnsafeBufferPointer { fixedArray($0) } }

    /// `fixed32Array` of elements in a buffer (units kept in temporary storage).
    public mutating func fixed32Array(_ values: UnsafeBufferPointer<UInt32>) { fixedArray(values) }

    /// The count, then each element's little-endian bytes: one copy on a little-endian machine
    /// (a store per element cost a near-duplicate signature of 144 bins ~2,000 instructions).
    private mutating func fixedArray<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>) {
        varint(UInt64(values.count))
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for v in values { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        #endif
    }
}

/// Reads a record's fields back, bounds-checked: every read throws instead of reading past the
/// end. It reads the caller's buffer in place, so it must not outlive the closure that lends it.
public struct FactRecordReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var position = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var atEnd: Bool { position == bytes.count }
    private var remaining: Int { bytes.count - position }

    public mutating func byte() throws -> UInt8 {
        guard remaining >= 1 else { throw CompactCoderError.truncated }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func fixed32() throws -> UInt32 {
        guard remaining >= 4 else { throw CompactCoderError.truncated }
        defer { position += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    public mutating func fixed64() throws -> UInt64 {
        guard remaining >= 8 else { throw CompactCoderError.truncated }
        defer { position += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    public mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b <= 1 else { throw CompactCoderError.malformed }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    public mutating func int() throws -> Int {
        let z = try varint()
        let n = Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
        guard let v = Int(exactly: n) else { throw CompactCoderError.malformed }
        return v
    }

    /// A count of elements of `size` bytes each that the rest of the record can hold.
    public mutating func count(elementSize size: Int) throws -> Int {
        // A count below 128 (nearly all) is one byte: no varint loop.
        if position < bytes.count, case let b = bytes[position], b < 0x80 {
            guard Int(b) <= (bytes.count - position - 1) / max(size, 1) else { throw CompactCoderError.truncated }
            position += 1
            return Int(b)
        }
        let n = try varint()
        guard n <= UInt64(remaining / max(size, 1)) else { throw CompactCoderError.truncated }
        return Int(n)
    }

    public mutating func string() throws -> String {
        let n = try count(elementSize: 1)
        let range = position..<(position + n)
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[range]).assumingMemoryBound(to: UInt8.self)
        guard let s = String(exactUTF8: utf8) else { throw CompactCoderError.malformed }
        position += n
        return s
    }

    /// What `string()` reads, as its UTF-8 bytes in place (valid while the record is lent), not
    /// checked to be UTF-8: for a reader that compares the bytes with a string it already has,
    /// and makes (and checks) a `String` only for new ones.
    public mutating func stringBytes() throws -> UnsafeRawBufferPointer { try lentBytes(count: count(elementSize: 1)) }

    /// The next `n` bytes in place (`n` already checked against what is left), read past.
    @inline(__always)
    private mutating func lentBytes(count n: Int) -> UnsafeRawBufferPointer {
        let start = position
        position += n
        return UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + start }, count: n)
    }

    public mutating func optionalString() throws -> String? {
        switch try byte() {
        case 0: return nil
        case 1: return try string()
        default: throw CompactCoderError.malformed
        }
    }

    public mutating func optionalFixed64() throws -> UInt64? {
        switch try byte() {
        case 0: return nil
        case 1: return try fixed64()
        default: throw CompactCoderError.malformed
        }
    }

    public mutating func fixed16Array() throws -> [UInt16] { try fixedArray() }

    /// What `fixed16Array()` reads, as its little-endian bytes in place (valid while the record
    /// is lent): for a reader that copies or skips the values instead of making an array.
    public mutating func fixed16ArrayBytes() throws -> UnsafeRawBufferPointer { try lentBytes(count: 2 * count(elementSize: 2)) }

    public mutating func fixed32Array() throws -> [UInt32] { try fixedArray() }

    /// What `fixed32Array()` reads, as its little-endian bytes in place (valid while the record
    /// is lent): for a reader that reads the values where they are instead of making an array.
    public mutating func fixed32ArrayBytes() throws -> UnsafeRawBufferPointer { try lentBytes(count: 4 * count(elementSize: 4)) }

    /// A count, then that many little-endian integers: one copy of the bytes on a little-endian
    /// machine (the per-element load was most of a decode of boilerplate-repeated's line hashes,
    /// which its reduce now reads in place and decodes only for a record it cannot read so).
    /// Staged (`Array(stagingCount:)`): a near-duplicate signature or a file's line hashes fit in 1 KB, and the standard allocation path cost more
    /// than the bytes' copy.
    private mutating func fixedArray<T: FixedWidthInteger & BitwiseCopyable>() throws -> [T] {
        let size = MemoryLayout<T>.size
        let n = try count(elementSize: size)
        let start = position
        position += size * n
        return [T](stagingCount: n) { out in
            #if _endian(little)
            if let from = bytes.baseAddress, let to = out.baseAddress {
                UnsafeMutableRawPointer(to).copyMemory(from: from + start, byteCount: size * n)
            }
            #else
            for k in 0..<n { out[k] = T(littleEndian: bytes.loadUnaligned(fromByteOffset: start + size * k, as: T.self)) }
            #endif
        }
    }
}
