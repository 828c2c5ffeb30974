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


/// `PathResolver.withAbsolute` hands over the bytes `absolute` makes a string of, and the path
/// or base itself where `absolute` returns it whole.
@Suite struct PathResolverBytesTests {
    @Test func joinedBytesAreTheAbsolutePaths() {
        let bases = ["/base", "/base/", "/", "/語料/新闻", ""]
        var paths = ["/corpus/a.md", ".", "./a.md", "././a.md", "a.md", ".hidden.md", "..", "", "新聞/文章.md",
                     "./\u{301}x.md", "./", "/", "a", "./新", String(repeating: "長", count: 700) + ".md"]
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "/", ".", "新", "\u{301}", "é", "😀", "-", " "]
        for _ in 0..<300 { paths.append((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()) }
        for base in bases {
            for path in paths {
                var unchanged: String?
                let bytes: [UInt8] = PathResolver.withAbsolute(path, base: base, whenUnchanged: { whole -> [UInt8] in
                    unchanged = whole
                    return Array(whole.utf8)
                }) { Array($0) }
                let expected = PathResolver.absolute(path, base: base)
                #expect(bytes == Array(expected.utf8), "\(path) on \(base)")
                // By bytes: "/" and "." before a combining mark are not characters of their own.
                if path.utf8.first == UInt8(ascii: "/") {
                    #expect(unchanged.map { Array($0.utf8) } == Array(path.utf8))
                } else if path.utf8.elementsEqual(".".utf8) {
                    #expect(unchanged.map { Array($0.utf8) } == Array(base.utf8))
                } else {
                    #expect(unchanged == nil, "\(path) on \(base)")
                    // The plain join: the base, a slash unless it ends with one, the path after one leading "./".
                    var plain = Array(base.utf8)
                    if plain.last != UInt8(ascii: "/") { plain.append(UInt8(ascii: "/")) }
                    plain += Array(path.utf8).starts(with: Array("./".utf8)) ? Array(path.utf8.dropFirst(2)) : Array(path.utf8)
                    #expect(bytes == plain, "\(path) on \(base)")
                }
            }
        }
    }
}
