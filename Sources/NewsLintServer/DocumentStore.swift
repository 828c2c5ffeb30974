import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// One document the client has open: its text (as UTF-8 bytes) at the client's version.
package struct OpenDocument {
    package let uri: String
    package var languageID: String
    package var version: Int
    package var bytes: [UInt8] {
        didSet { positions = TextPositions(bytes) }
    }
    package private(set) var positions: TextPositions

    package init(uri: String, languageID: String, version: Int, text: String) {
        self.uri = uri
        self.languageID = languageID
        self.version = version
        self.bytes = Array(text.utf8)
        self.positions = TextPositions(bytes)
    }

    /// Applies `didChange` content changes in order (each range refers to the text after the previous one).
    package mutating func apply(_ changes: [TextChange]) {
        for change in changes {
            guard let range = change.range else {
                bytes = Array(change.text.utf8)
                continue
            }
            let lo = positions.offset(of: range.start)
            let hi = max(lo, positions.offset(of: range.end))
            var next = bytes
            next.replaceSubrange(lo..<hi, with: change.text.utf8)
            bytes = next
        }
    }
}

/// A `TextDocumentContentChangeEvent`: a range edit (incremental sync) or the whole text.
package struct TextChange {
    package var range: LSPRange?
    package var text: String

    package init(range: LSPRange?, text: String) {
        self.range = range
        self.text = text
    }

    package init(_ node: JSONNode) throws {
        text = try node.requiredString("text")
        range = try node["range"].map { try $0.lspRange() }
    }
}

/// Open documents by URI.
package struct DocumentStore {
    package private(set) var documents: [String: OpenDocument] = [:]

    package subscript(uri: String) -> OpenDocument? { documents[uri] }

    package mutating func open(_ document: OpenDocument) { documents[document.uri] = document }
    package mutating func close(_ uri: String) { documents[uri] = nil }

    /// False when the document is not open (a client bug: the change cannot be placed).
    package mutating func change(_ uri: String, version: Int, changes: [TextChange]) -> Bool {
        guard var doc = documents[uri] else { return false }
        doc.apply(changes)
        doc.version = version
        documents[uri] = doc
        return true
    }
}

/// `file://` URIs ⇄ paths (percent-encoding per RFC 3986; other schemes have no path).
package enum FileURI {
    package static func path(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = uri.dropFirst("file://".count)
        // file://host/path: only the local host is meaningful.
        if !rest.hasPrefix("/") {
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        return String(rest).removingPercentEncoding
    }

    package static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#[]@!$&'()*+,;=:")
        allowed.insert("/")
        return "file://" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
    }
}
