import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintServer

/// The fix-all code action's edit (`ServerFeatures.wholeChange`) on CRLF text. Its range could
/// start or end between the `\r` and `\n` of a line break, where an LSP position cannot point
/// (it maps to the end of the line's content): a CRLF-to-LF change became an empty no-op edit,
/// or left `\n\r\n` where the CLI wrote `\n\n`.
@Suite struct FixAllLineBreakTests {
    /// `old` with the server's one edit applied, through the server's own position mapping (an
    /// editor applies an LSP range the same way).
    static func applied(_ old: [UInt8], _ new: [UInt8]) -> [UInt8]? {
        let positions = TextPositions(old)
        guard let value = ServerFeatures.wholeChange(from: positions, to: new) else { return old }
        let edit = JSONNode(value)
        guard let range = edit["range"], let start = range["start"], let end = range["end"],
              let startLine = start["line"]?.int, let startCharacter = start["character"]?.int,
              let endLine = end["line"]?.int, let endCharacter = end["character"]?.int,
              let text = edit["newText"]?.string else { return nil }
        let lower = positions.offset(of: LSPPosition(line: startLine, character: startCharacter))
        let upper = positions.offset(of: LSPPosition(line: endLine, character: endCharacter))
        guard lower <= upper else { return nil }
        return Array(old[..<lower]) + Array(text.utf8) + Array(old[upper...])
    }

    @Test func crlfToLFBeforeAWideCharacterIsNotAnEmptyEdit() {
        let old = Array("---\ntitle: t\ndate: 2024-01-01\n---\n\n中文中文中文中文中文中文中文。\r\n第二段第二段第二段第二段。\n".utf8)
        let new = Array("---\ntitle: t\ndate: 2024-01-01\n---\n\n中文中文中文中文中文中文中文。\n第二段第二段第二段第二段。\n".utf8)
        #expect(Self.applied(old, new) == new)
    }

    /// Random texts of line breaks (CRLF, LF, bare CR), CJK, astral and ASCII characters, and a
    /// random change of each (line breaks converted, characters deleted or inserted): the edit
    /// always turns the old text into the new one.
    @Test func theEditAlwaysMakesTheNewText() {
        let pieces = ["\r\n", "\n", "\r", "中", "𠝹", "a", " ", "。"]
        var rng = SeededRandom(seed: 46_002)
        for _ in 0..<5_000 {
            let oldPieces = (0..<(1 + rng.below(12))).map { _ in rng.pick(pieces) }
            var newPieces: [String] = []
            for piece in oldPieces {
                switch rng.below(6) {
                case 0: newPieces.append(piece == "\r\n" ? "\n" : piece)
                case 1: break
                case 2: newPieces += [piece, rng.pick(pieces)]
                default: newPieces.append(piece)
                }
            }
            let old = Array(oldPieces.joined().utf8), new = Array(newPieces.joined().utf8)
            #expect(Self.applied(old, new) == new, "\(oldPieces) -> \(newPieces)")
        }
    }

    /// What the server's fix-all gives equals what `newslint --fix` writes, on CRLF, LF and mixed files.
    @Test func fixAllMatchesTheCLIFixer() {
        let head = "---\ntitle: t\ndate: 2024-01-01\n---\n\n"
        let bodies = [
            "中文中文中文中文中文中文中文。\r\n第二段第二段第二段第二段。\n",
            "第一段第一段第一段。 \r\n\r\n第二段第二段第二段。\t\r\n",
            "第一段第一段第一段。\r\n\n\n\n第二段第二段第二段。 \n第三段第三段。\r\n",
            "第一段第一段第一段。  \n\n第二段第二段第二段。\n",
        ]
        for (n, body) in bodies.enumerated() {
            let dir = TemporaryDirectory()
            let path = dir.write("a\(n).md", head + body)
            let old = Array((head + body).utf8)
            let server = LintWorkspace(root: dir.path).fixAllSafe(location: path, bytes: old)
            _ = CLIRun.run(["--no-cache", "--fix", "-q", path], cwd: dir.path)
            let cli = dir.read("a\(n).md")
            #expect(server == cli, "\(body.debugDescription)")
            #expect(Self.applied(old, server) == cli, "\(body.debugDescription)")
        }
    }
}
