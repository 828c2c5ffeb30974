/// How a document's bytes read as text, decided once per document (the rules layer's
/// `Document.encoding` fills it: the decoders and their tables live there) and read by
/// `encoding-invalid`, the engine and the fixer alike.
public enum DocumentEncoding: Sendable, Equatable {
    /// Well-formed UTF-8: what every rule reads.
    case utf8
    /// Not UTF-8, but the whole file decodes in another encoding and re-encodes to the same bytes
    /// (`name`, e.g. "GB18030"; `text`, the decoded text). The file's text was never decoded as
    /// UTF-8, so rules reading it would judge bytes, not characters: only the encoding is reported.
    case legacy(name: String, text: String)
    /// Not UTF-8 and no lossless decoding: UTF-8 with ill-formed sequences (or an encoding not
    /// recognised). Rules still read it; no fix is safe on it: the engine drops the rules' fixes
    /// and `--fix` applies none.
    case unknown

    /// Whether the whole text is in another encoding (`legacy`).
    public var isWhollyOtherEncoding: Bool {
        if case .legacy = self { return true }
        return false
    }
}
