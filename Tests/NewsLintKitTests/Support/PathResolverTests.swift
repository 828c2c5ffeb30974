import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

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
        // Built unchecked from the joined bytes: an ASCII flag set wrong would break comparison and hashing.
        #expect(joined == expected)
        #expect(Set([joined, expected]).count == 1)
    }

    /// Shards hash the joined location: every spelling of one file must give one key. (`hasPrefix("./")`
    /// compared characters, so `./` before a combining mark was kept and that spelling hashed apart.)
    @Test func everySpellingOfAFileHasOneShardKey() {
        let base = "/corpus"
        let spellings = ["./\u{301}a.md", "\u{301}a.md", "/corpus/\u{301}a.md", "./\u{E9}t\u{E9}.md"]
        let keys = spellings.prefix(3).map { Array(Shard.key(location: PathResolver.absolute($0, base: base), root: base).utf8) }
        #expect(Set(keys).count == 1)
        #expect(Shard.key(location: PathResolver.absolute(spellings[3], base: base), root: base).utf8.elementsEqual("\u{E9}t\u{E9}.md".utf8))
    }
}

