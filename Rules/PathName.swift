/// Byte searches in paths for the rules that look at a file's name.
package enum PathName {
    /// `s.utf8.lastIndex(of: byte)`, found with a byte loop on the string's contiguous UTF-8: the
    /// generic `lastIndex(of:)` walked a non-ASCII path backwards one index at a time, for every
    /// file and every rule that asked (0.5% of a default run on agora ×1).
    @inline(__always)
    package static func lastUTF8Index(of byte: UInt8, in s: Substring) -> String.Index? {
        let utf8 = s.utf8
        let found: Int?? = utf8.withContiguousStorageIfAvailable { buf -> Int? in
            var k = buf.count - 1
            while k >= 0 {
                if buf[k] == byte { return k }
                k -= 1
            }
            return nil
        }
        guard let found else { return utf8.lastIndex(of: byte) }
        return found.map { utf8.index(utf8.startIndex, offsetBy: $0) }
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
