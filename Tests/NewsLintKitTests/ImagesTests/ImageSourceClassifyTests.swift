import Foundation
import Testing
@testable import NewsLintRules

/// `ImageSource.classify` tests schemes on bytes and builds strings only for messages: its verdicts
/// and messages are those of the `String` version it replaced (lowercased scheme, `Set` lookup,
/// `//host` classified as `https:` + the source).
@Suite struct ImageSourceClassifyTests {
    static let schemes = ImageSource.Schemes(["http", "https", "data"])

    static func verdict(_ source: String, spacesAllowed: Bool = false) -> ImageSource.Verdict {
        ImageSource.classify(Array(source.utf8), schemes: schemes, spacesAllowed: spacesAllowed)
    }

    @Test func acceptedSchemesIgnoreASCIICase() {
        #expect(Self.verdict("https://img.example.com/a.jpg") == .remote)
        #expect(Self.verdict("HTTPS://img.example.com/a.jpg") == .remote)
        #expect(Self.verdict("hTtP://img.example.com:8080/a.jpg") == .remote)
        #expect(Self.verdict("Data:image/png;base64,AAAA") == .data)
        #expect(Self.verdict("data:image/png;base64") == .broken("malformed data: URI (no ',')"))
    }

    @Test func otherSchemesAreNamedLowercased() {
        #expect(Self.verdict("FTP://example.com/a.jpg") == .broken("unsupported URL scheme 'ftp'"))
        #expect(Self.verdict("web+Img://x") == .broken("unsupported URL scheme 'web+img'"))
        // A scheme that only shares a prefix with an accepted one.
        #expect(Self.verdict("httpx://example.com/a.jpg") == .broken("unsupported URL scheme 'httpx'"))
        #expect(Self.verdict("dat://example.com/a.jpg") == .broken("unsupported URL scheme 'dat'"))
        #expect(Self.verdict("C:\\images\\a.jpg") == .broken("'C:\\images\\a.jpg' looks like a Windows path, not a URL"))
    }

    @Test func malformedURLsQuoteTheSourceAsWritten() {
        #expect(Self.verdict("HTTP:/example.com/a.jpg") == .broken("malformed URL 'HTTP:/example.com/a.jpg': expected 'http://host'"))
        #expect(Self.verdict("https://:80/a.jpg") == .broken("malformed URL 'https://:80/a.jpg': empty host"))
        #expect(Self.verdict("https://example.com:99999/a.jpg") == .broken("malformed URL 'https://example.com:99999/a.jpg': bad port"))
        #expect(Self.verdict("https://[::1/a.jpg") == .broken("malformed URL 'https://[::1/a.jpg': unclosed '[' in host"))
        #expect(Self.verdict("https://exa^mple.com/a.jpg") == .broken("malformed URL 'https://exa^mple.com/a.jpg': invalid character '^' in host"))
        #expect(Self.verdict("https://example.com/a b.jpg") == .broken("whitespace in image URL"))
        #expect(Self.verdict("https://example.com/a b.jpg", spacesAllowed: true) == .remote)
    }

    @Test func protocolRelativeSourcesAreHTTPS() {
        #expect(Self.verdict("//img.example.com/a.jpg") == .remote)
        #expect(ImageSource.remoteURL(Array("//img.example.com/a.jpg".utf8)) == "https://img.example.com/a.jpg")
        #expect(ImageSource.remoteURL(Array("http://img.example.com/a.jpg".utf8)) == "http://img.example.com/a.jpg")
        #expect(Self.verdict("///a.jpg") == .broken("malformed URL 'https:///a.jpg': empty host"))
        let noHTTP = ImageSource.classify(Array("//img.example.com/a.jpg".utf8), schemes: ImageSource.Schemes(["data"]))
        #expect(noHTTP == .broken("protocol-relative URL but http(s) is not accepted"))
    }

    @Test func localPathsAndFragments() {
        #expect(Self.verdict("images/%E5%9C%96.jpg?w=1") == .local(path: "images/圖.jpg", rooted: false))
        #expect(Self.verdict("/uploads/a.jpg#x") == .local(path: "/uploads/a.jpg", rooted: true))
        #expect(Self.verdict("#top") == .skip)
        #expect(Self.verdict("") == .broken("empty image source"))
        #expect(Self.verdict("a\u{7F}.jpg") == .broken("control character in image source"))
    }
}
