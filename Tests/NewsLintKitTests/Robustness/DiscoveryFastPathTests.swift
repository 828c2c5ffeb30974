import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Discovery builds the paths of plain files from bytes (no `String` per file); what it finds must
/// be what the general way (a `String` per name, its `hasPrefix(".")`, then the path) finds.
@Suite struct DiscoveryFastPathTests {
    @Test func plainUTF8IsWhatSystemPathKeepsAsItIs() {
        var state: UInt64 = 3
        func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; return mix64(state) }
        let pieces: [[UInt8]] = [[0x61], [0x2E], Array("新聞".utf8), [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x8F, 0xBF, 0xB7],
                                 [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xC0, 0xAF], [0xB7], [0xC3], [0xE6, 0x96]]
        for _ in 0..<20_000 {
            var name: [UInt8] = []
            for _ in 0..<Int(next() % 5 + 1) {
                let p = pieces[Int(next() % UInt64(pieces.count))]
                name += next() % 7 == 0 ? [UInt8(truncatingIfNeeded: next())] : p
            }
            let plain = name.withUnsafeBufferPointer { FileDiscovery.isPlainUTF8($0) }
            let keptAsIs = !name.contains(0xF4) && String(validating: name, as: UTF8.self) != nil
            #expect(plain == keptAsIs, "\(name)")
            if plain { #expect(Array(SystemPath.decode(name).utf8) == name) }
        }
    }

    /// The listing sorts by a 16-byte key after the prefix all names share, then by whole names:
    /// names that differ before, inside and after the key, or only in length, come out in byte order.
    @Test func listingIsInByteOrderWhereverNamesDiffer() throws {
        let dir = TemporaryDirectory()
        var names: Set<String> = []
        var state: UInt64 = 7
        func next() -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) }
        let alphabet = ["a", "b", "-", "新", "聞", "é", "0"]
        for _ in 0..<300 {
            var name = "2024-11-0"
            for _ in 0..<(next() % 30) { name += alphabet[next() % alphabet.count] }
            names.insert(name + ".md")
            names.insert(name)
        }
        for name in names { close(SystemPath.open(dir.path + "/" + name, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)) }
        let listing = try #require(DirectoryReader.listing(dir.path))
        let listed = listing.indices.map { listing.name($0) }
        #expect(listed.count == names.count)
        #expect(listed.elementsEqual(names.sorted { $0.bytesPrecede($1) }) { $0.hasSameBytes(as: $1) })
        #expect(listing.namesArePlainUTF8)
        // One name that is not UTF-8 and the directory's names are no longer all plain.
        let raw: [UInt8] = Array("2024-11-0".utf8) + [0xD0, 0xC2]
        close(SystemPath.open(dir.path + "/" + SystemPath.decode(raw), O_CREAT | O_WRONLY | O_CLOEXEC, 0o644))
        #expect(try !#require(DirectoryReader.listing(dir.path)).namesArePlainUTF8)
    }

    /// `sortedOrder` against a plain sort of the names' bytes, on many random sets: names that
    /// share a prefix of every length, end just before, at and after the 8- and 16-byte keys'
    /// edges, differ only in length or only past the keys, hold bytes ≥ 0x80 (the keys compare
    /// bytes unsigned), and one- and two-name sets. The names sit in one buffer at odd offsets.
    @Test func sortedOrderIsTheNamesByteOrder() {
        var state: UInt64 = 11
        func next() -> Int { state &+= 0x9E37_79B9_7F4A_7C15; return Int(truncatingIfNeeded: mix64(state) >> 1) }
        let alphabet: [UInt8] = [0x01, 0x2D, 0x30, 0x61, 0x62, 0x7F, 0x80, 0xE6, 0xFF]
        for round in 0..<400 {
            let prefix = (0..<(next() % 24)).map { _ in alphabet[next() % alphabet.count] }
            var names: Set<[UInt8]> = []
            let wanted = round % 50 == 0 ? 1 + round % 3 : 2 + next() % 60
            while names.count < wanted {
                // Lengths around the keys' edges after the shared prefix: 0...20 more bytes.
                var name = prefix + (0..<(next() % 21)).map { _ in alphabet[next() % alphabet.count] }
                if name.isEmpty { name = [0x61] }
                names.insert(name)
                // A longer name with the same start and a shorter one.
                if next() % 3 == 0 { names.insert(name + [alphabet[next() % alphabet.count]]) }
                if next() % 3 == 0, name.count > 1 { names.insert(Array(name.dropLast())) }
            }
            var buffer: [UInt8] = [0x5A]
            var found: [(start: Int, count: Int, kind: DirectoryReader.Kind)] = []
            // In an order of the test's own (a directory lists in hash order).
            var listed = names.sorted { $0.lexicographicallyPrecedes($1) }
            for i in listed.indices.reversed() where i > 0 { listed.swapAt(i, next() % (i + 1)) }
            for name in listed {
                found.append((buffer.count, name.count, .file))
                buffer += name
                buffer += [UInt8](repeating: 0x5A, count: next() % 3)
            }
            let order = buffer.withUnsafeBufferPointer { DirectoryReader.sortedOrder(of: found, in: $0) }
            let sorted = order.map { listed[$0] }
            #expect(sorted == listed.sorted { $0.lexicographicallyPrecedes($1) }, "round \(round)")
        }
    }

    @Test func walkFindsWhatTheGeneralWayFinds() throws {
        let dir = TemporaryDirectory()
        let names: [[UInt8]] = [
            Array("a.md".utf8), Array("B.MD".utf8), Array("c.Html".utf8), Array("d.txt".utf8), Array(".hidden.md".utf8),
            Array("新聞報導.md".utf8), Array("2024-11-30-RTHK-香港.html".utf8),
            [0x2E, 0xCC, 0x81] + Array("x.md".utf8),           // "." + combining acute: not hidden to String
            [0xD0, 0xC2, 0xC5, 0xB7] + Array(".md".utf8),      // GB18030, not UTF-8
            [0xF4, 0x8F, 0xBF, 0xB7] + Array(".md".utf8),      // a real U+10FFF7
            Array("e\u{301}.md".utf8), Array("\u{E9}.md".utf8), // NFD and NFC: two files
        ]
        var made = 0
        for name in names {
            let path = dir.path + "/" + SystemPath.decode(name)
            let fd = SystemPath.open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
            if fd >= 0 { close(fd); made += 1 }
        }
        #expect(mkdir(dir.path + "/sub", 0o755) == 0)
        for name in ["z.md", "y.md"] { close(SystemPath.open(dir.path + "/sub/" + name, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)) }
        var config = Configuration(directory: dir.path)
        config.extensions = [".md", ".html"]
        let discovery = FileDiscovery(config: config, base: dir.path)
        for root in [".", "./", dir.path, dir.path + "/"] {
            let found = discovery.expand([root]).files
            // The general way: decoded names in byte order, String's hasPrefix, the path from Strings.
            var expected: [String] = []
            let prefix = root == "." ? "" : (root.hasSuffix("/") ? root : root + "/")
            for (name, kind) in try #require(DirectoryReader.entries(PathResolver.absolute(root, base: dir.path))) where !name.hasPrefix(".") {
                if kind == .directory {
                    expected += ["y.md", "z.md"].map { prefix + name + "/" + $0 }
                } else if config.extensions.contains(where: { FileDiscovery.hasSuffixIgnoringASCIICase(name.utf8, $0.utf8) }) {
                    expected.append(prefix + name)
                }
            }
            // Names that are not UTF-8 sort by their `SystemPath` form: the list is then sorted as before.
            expected.sort { $0.bytesPrecede($1) }
            #expect(found.count == expected.count)
            #expect(zip(found, expected).allSatisfy { $0.hasSameBytes(as: $1) }, "\(Array(found)) vs \(expected)")
        }
        #expect(made >= 8)
    }
}
