import Foundation

extension String {
    /// The string whose UTF-8 is exactly `bytes`; nil when they are not valid UTF-8.
    ///
    /// `String(validating:as:)` answers the same, but it is generic in the standard library and
    /// looks up type metadata on every call: a third of its cost when a warm run decodes the
    /// stored findings' messages. `String(decoding:as:)` is specialised for a buffer of bytes and
    /// repairs what is invalid with U+FFFD; its output is valid UTF-8, so it equals the input
    /// exactly when the input was valid, and one `memcmp` tells a repair apart.
    @inlinable
    package init?(exactUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        var decoded = String(decoding: bytes, as: UTF8.self)
        let same = decoded.withUTF8 { out -> Bool in
            guard out.count == bytes.count else { return false }
            guard let a = out.baseAddress, let b = bytes.baseAddress else { return true }
            return memcmp(a, b, bytes.count) == 0
        }
        guard same else { return nil }
        self = decoded
    }

    /// `init?(exactUTF8:)` for an array slice of bytes.
    @inlinable
    package init?(exactUTF8 bytes: ArraySlice<UInt8>) {
        guard let s = bytes.withUnsafeBufferPointer({ String(exactUTF8: $0) }) else { return nil }
        self = s
    }
}
