import Testing
@testable import NewsLintCore

/// Session 40: the keys a `CaseIterable` coding-key type declares are looked up (a run-time
/// conformance cast, ~200,000 instructions on first sight of a type) only when an object has a
/// member no key asked for. The unknown keys reported must be the ones the eager lookup reported:
/// for a type that declares its keys, the members outside them (a declared key the type did not
/// read is not unknown, an undeclared one it read through a second key type still is); for one that
/// does not, the members not asked for. Checked on seeded random objects against those definitions.
@Suite struct JSONDeclaredKeysTests {
    enum DeclaredKeys: String, CodingKey, CaseIterable { case a, b, c, d }
    struct OtherKeys: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// Reads `a` and `b` through keys that declare `a`–`d`.
    struct Declared: Decodable {
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: DeclaredKeys.self)
            _ = try c.decodeIfPresent(Int.self, forKey: .a)
            _ = try c.decodeIfPresent(Int.self, forKey: .b)
        }
    }

    /// Reads `a` and `b` through keys that declare nothing.
    struct Undeclared: Decodable {
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: OtherKeys.self)
            for name in ["a", "b"] { _ = try c.decodeIfPresent(Int.self, forKey: OtherKeys(stringValue: name)!) }
        }
    }

    /// Reads `a` through the declaring keys, then `x` through other keys of the same object.
    struct Mixed: Decodable {
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: DeclaredKeys.self)
            _ = try c.decodeIfPresent(Int.self, forKey: .a)
            let other = try decoder.container(keyedBy: OtherKeys.self)
            _ = try other.decodeIfPresent(Int.self, forKey: OtherKeys(stringValue: "x")!)
        }
    }

    /// Each object under a key, as a root whose own keys are the type's names.
    struct Root: Decodable {
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: DeclaredKeys.self)
            _ = try c.decodeIfPresent(Declared.self, forKey: .a)
            _ = try c.decodeIfPresent(Undeclared.self, forKey: .b)
            _ = try c.decodeIfPresent(Mixed.self, forKey: .c)
        }
    }

    /// The unknown keys `decode` reports, as "path" strings in report order; [] when it decodes.
    func reported(_ json: String) -> [String] {
        do {
            _ = try JSONNodeDecoder(file: "t.json").decode(Root.self, fromJSON: Array(json.utf8))
            return []
        } catch let e as JSONFileError {
            return e.all.filter { $0.message.hasPrefix("unknown key") }.map { $0.jsonPath ?? "" }
        } catch {
            Issue.record("not a JSONFileError: \(error)")
            return []
        }
    }

    @Test func unknownKeysAreTheDeclaredOrAskedDefinitions() {
        var rng = SeededRandom(seed: 4040)
        let pool = ["a", "b", "c", "d", "x", "y", "$note"]
        var sawNone = 0, sawSome = 0
        for _ in 0..<400 {
            var json = "{"
            var expected: [String] = []
            for (index, object) in ["a", "b", "c"].enumerated() where rng.chance(0.8) {
                let members = pool.filter { _ in rng.chance(0.4) }
                if json.count > 1 { json += ", " }
                json += "\"\(object)\": {" + members.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
                let unknown: [String]
                switch index {
                case 0: unknown = members.filter { !DeclaredKeys.allCases.map(\.stringValue).contains($0) && !$0.hasPrefix("$") }
                case 1: unknown = members.filter { !["a", "b"].contains($0) && !$0.hasPrefix("$") }
                default: unknown = members.filter { !DeclaredKeys.allCases.map(\.stringValue).contains($0) && !$0.hasPrefix("$") }
                }
                expected += unknown.map { object + "." + $0 }
            }
            if rng.chance(0.2) { json += (json.count > 1 ? ", " : "") + "\"zz\": 1"; expected.append("zz") }
            json += "}"
            let found = reported(json)
            #expect(found.sorted() == expected.sorted(), "\(json)")
            if expected.isEmpty { sawNone += 1 } else { sawSome += 1 }
        }
        #expect(sawNone > 20 && sawSome > 100)
    }
}
