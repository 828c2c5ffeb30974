import Testing
@testable import NewsLintCore

/// `PathResolver.absolute` joins on bytes; these are the cases its callers rely on.
@Suite struct PathResolverTests {
    @Test(arguments: [
        ("/corpus/a.md", "/base", "/corpus/a.md"),        // absolute paths stand
        (".", "/base", "/base"),                          // the base itself
        ("./a.md", "/base", "/base/a.md"),                // one leading `./` dropped
        ("././a.md", "/base", "/base/./a.md"),            // only one, as before
        ("a.md", "/base/", "/base/a.md"),                 // no doubled slash
        ("a.md", "/", "/a.md"),
        (".hidden.md", "/base", "/base/.hidden.md"),      // a dot file is not `./`
        ("..", "/base", "/base/.."),                      // lexical, not standardized
        ("", "/base", "/base/"),
        ("新聞/文章.md", "/語料", "/語料/新聞/文章.md"),
        ("./\u{301}x.md", "/base", "/base/\u{301}x.md"),  // bytes: a combining mark after `./` is its own name
    ])
    func joinsOnBytes(path: String, base: String, expected: String) {
        let joined = PathResolver.absolute(path, base: base)
        #expect(Array(joined.utf8) == Array(expected.utf8))
    }
}
