import Testing
@testable import NewsLintCore

/// `ByteOrderMark` answers as the `starts(with:)` checks it replaced, on files shorter than a mark,
/// a mark alone, a mark split or reversed, and a mark with text after it.
@Suite struct ByteOrderMarkTests {
    static let samples: [[UInt8]] = [
        [], [0xFF], [0xFE], [0xEF], [0xEF, 0xBB],
        [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFF], [0xFE, 0xFE], [0xFE, 0xFE, 0xFF], [0x00, 0xFF, 0xFE],
        [0xFF, 0xFE, 0x41, 0x00], [0xFE, 0xFF, 0x00, 0x41],
        [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x61], [0xEF, 0xBF, 0xBB], [0xBB, 0xBF, 0xEF], [0x61, 0xEF, 0xBB, 0xBF],
        Array("text".utf8),
    ]

    @Test(arguments: samples)
    func marksAreFoundAsStartsWithFoundThem(_ bytes: [UInt8]) {
        #expect(ByteOrderMark.isUTF16(bytes) == (bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])))
        #expect(ByteOrderMark.isUTF8(bytes) == bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    }

    /// Where they are used: a UTF-16 file with NUL bytes is not binary, and a document's body
    /// starts after a UTF-8 mark.
    @Test func binaryFilesAndDocumentsReadTheMarks() {
        #expect(FileReader.binaryReason([0xFF, 0xFE, 0x41, 0x00]) == nil)
        #expect(FileReader.binaryReason([0x41, 0x00]) != nil)
        #expect(Document(path: "a.md", bytes: [0xEF, 0xBB, 0xBF, 0x61, 0x0A]).bomLength == 3)
        #expect(Document(path: "a.md", bytes: [0xEF, 0xBB, 0x61, 0x0A]).bomLength == 0)
    }
}
