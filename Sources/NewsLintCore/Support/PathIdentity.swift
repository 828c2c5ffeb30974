import Foundation

/// File names are bytes: `é` (U+00E9) and `e` + U+0301 name two different files in one directory,
/// but Swift's `String` `==`, `<` and hashing compare canonically and take them for one. Paths are
/// therefore compared by their UTF-8 bytes (and used as keys through `PathKey`) wherever identity
/// or order decides what is reported, merged or written.
extension String {
    /// Whether both strings have the same UTF-8 bytes (unlike `==`, which is canonical equivalence).
    @inlinable
    public func hasSameBytes(as other: String) -> Bool {
        let compared = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b -> Bool in
                guard a.count == b.count else { return false }
                guard let pa = a.baseAddress, let pb = b.baseAddress, pa != pb else { return true }
                return memcmp(pa, pb, a.count) == 0
            }
        }
        if let compared, let same = compared { return same }
        return utf8.elementsEqual(other.utf8)
    }

    /// Byte order as one three-way answer: negative when `self`'s UTF-8 comes first, zero when
    /// the bytes are equal. One `memcmp` for native strings, where the generic
    /// `utf8.lexicographicallyPrecedes` stepped a byte at a time (sorting findings whose messages
    /// share a long prefix, such as a group's list of paths, compared them byte by byte).
    @inlinable
    public func bytesCompare(_ other: String) -> Int {
        let compared = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b -> Int in
                String.bytesCompare(a, b)
            }
        }
        if let compared, let order = compared { return order }
        if utf8.elementsEqual(other.utf8) { return 0 }
        return utf8.lexicographicallyPrecedes(other.utf8) ? -1 : 1
    }

    /// `bytesCompare` of two UTF-8 buffers (a record's bytes compared where they lie).
    @inlinable
    public static func bytesCompare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress, pa != pb {
            let c = memcmp(pa, pb, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Byte order of paths (the output order), total even for canonically equivalent names. One
    /// `memcmp` for native strings (sorting a directory and merging per file call it often).
    @inlinable
    public func bytesPrecede(_ other: String) -> Bool { bytesCompare(other) < 0 }
}

/// A path as a dictionary key or set member: equal and hashed by its bytes, so two files whose
/// names differ only in Unicode normalization stay two entries.
public struct PathKey: Hashable, Sendable, Comparable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public static func == (a: PathKey, b: PathKey) -> Bool { a.path.hasSameBytes(as: b.path) }

    public static func < (a: PathKey, b: PathKey) -> Bool { a.path.bytesPrecede(b.path) }

    public func hash(into hasher: inout Hasher) {
        var path = self.path
        path.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension Dictionary where Key == String {
    /// The value stored under exactly these path bytes: a `String` key also answers for a
    /// canonically equivalent name, which is another file.
    public subscript(exactPath path: String) -> Value? {
        guard let i = index(forKey: path), self[i].key.hasSameBytes(as: path) else { return nil }
        return self[i].value
    }
}
