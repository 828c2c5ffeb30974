import Foundation

extension String {
    /// The string whose UTF-8 is exactly `bytes`; nil when they are not valid UTF-8.
    ///
    /// Validated here (`UTF8Validation`, ~1 instruction a byte on Chinese text) and then copied
    /// without a second check (`UTF8Span(unchecked:)`): the standard library's own validation
    /// walks a scalar at a time (~9 instructions a byte), and a warm run over a corpus of copies
    /// decodes 60 MB of stored cross-file messages that list paths. `isKnownASCII` is passed
    /// exactly (a pure-ASCII string keeps the flag that makes its comparisons and hashing fast).
    @inlinable
    package init?(exactUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { self = ""; return }
        if #available(macOS 26.0, *) {
            let asciiPrefix = UTF8Validation.asciiPrefixLength(bytes)
            if asciiPrefix < bytes.count {
                guard UTF8Validation.firstInvalidOffset(in: UnsafeBufferPointer(rebasing: bytes[asciiPrefix...])) == nil else { return nil }
            }
            let span = unsafe Span(_unsafeElements: bytes)
            self = String(copying: unsafe UTF8Span(unchecked: span, isKnownASCII: asciiPrefix == bytes.count))
            return
        }
        // `String(decoding:as:)` is specialised for a buffer of bytes and repairs what is invalid
        // with U+FFFD; its output is valid UTF-8, so it equals the input exactly when the input was
        // valid, and one `memcmp` tells a repair apart.
        var decoded = String(decoding: bytes, as: UTF8.self)
        let same = decoded.withUTF8 { out -> Bool in
            guard out.count == bytes.count, let a = out.baseAddress else { return false }
            return memcmp(a, base, bytes.count) == 0
        }
        guard same else { return nil }
        self = decoded
    }

    /// The string whose UTF-8 is `bytes`, which the caller knows to be valid UTF-8 (bytes this
    /// program wrote from a `String`, read back unchanged): copied without validating them. Where
    /// the unchecked copy is not available they are validated as `init?(exactUTF8:)` does.
    @inlinable
    package init?(knownValidUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { self = ""; return }
        if #available(macOS 26.0, *) {
            let span = unsafe Span(_unsafeElements: bytes)
            self = String(copying: unsafe UTF8Span(unchecked: span, isKnownASCII: UTF8Validation.asciiPrefixLength(bytes) == bytes.count))
            return
        }
        guard let s = String(exactUTF8: bytes) else { return nil }
        self = s
    }

    /// What `String(decoding:as:)` makes of `bytes`, without walking valid bytes a scalar at a
    /// time where `init?(exactUTF8:)` validates a word at a time: invalid bytes are repaired with
    /// U+FFFD as before.
    @inlinable
    package init(repairingUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        self = String(exactUTF8: bytes) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// `init(repairingUTF8:)` for an array slice of bytes.
    @inlinable
    package init(repairingUTF8 bytes: ArraySlice<UInt8>) {
        self = bytes.withUnsafeBufferPointer { String(repairingUTF8: $0) }
    }

    /// `init?(exactUTF8:)` for an array slice of bytes.
    @inlinable
    package init?(exactUTF8 bytes: ArraySlice<UInt8>) {
        guard let s = bytes.withUnsafeBufferPointer({ String(exactUTF8: $0) }) else { return nil }
        self = s
    }
}
