import NewsLintCore

/// Byte searches in paths for the rules that look at a file's name.
package enum PathName {
    /// `s.utf8.lastIndex(of: byte)`, found on the string's contiguous UTF-8: the generic
    /// `lastIndex(of:)` walked a non-ASCII path backwards one index at a time, for every file and
    /// every rule that asked (0.5% of a default run on agora ×1). Eight bytes a step from the end
    /// (`lastIndex(of:in:)`): a byte at a time still cost ~5 instructions per byte of a file name
    /// (most of agora's are Chinese, some hundred bytes).
    @inline(__always)
    package static func lastUTF8Index(of byte: UInt8, in s: Substring) -> String.Index? {
        let utf8 = s.utf8
        let found: Int?? = utf8.withContiguousStorageIfAvailable { lastIndex(of: byte, in: $0) }
        guard let found else { return utf8.lastIndex(of: byte) }
        return found.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }

    /// The last index of `byte` in `buf`: the bytes after the last whole word a byte at a time,
    /// then eight-byte words from the end (loaded unaligned; `ByteWords.has` rules a word out),
    /// then the bytes of the word that holds it.
    package static func lastIndex(of byte: UInt8, in buf: UnsafeBufferPointer<UInt8>) -> Int? {
        var end = buf.count
        guard let base = buf.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        while end >= 8 {
            if ByteWords.has(byte, in: raw.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self)) { break }
            end &-= 8
        }
        var k = end &- 1
        while k >= 0 {
            if buf[k] == byte { return k }
            k &-= 1
        }
        return nil
    }

    /// The part of `path` after its last `/` (all of it when there is none).
    package static func fileName(_ path: String) -> Substring {
        lastUTF8Index(of: UInt8(ascii: "/"), in: path[...]).map { path[path.utf8.index(after: $0)...] } ?? path[...]
    }

    /// The part of `path` before its last `/` (empty when there is none): what splitting at every
    /// `/` and joining all but the last part gives, without building a `Character` per byte.
    package static func directory(_ path: String) -> Substring {
        lastUTF8Index(of: UInt8(ascii: "/"), in: path[...]).map { path[..<$0] } ?? path[path.endIndex...]
    }
}
