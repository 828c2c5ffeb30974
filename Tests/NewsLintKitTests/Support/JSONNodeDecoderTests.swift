import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// Every error shape of the one JSON decoder: syntax, type mismatch, missing key, unknown key (with and
/// without a suggestion, and as the cause of a missing key), bad enum value, nested paths, array indices.
@Suite struct JSONNodeDecoderTests {
    struct Limits: Decodable, Equatable {
        var minRun: Int
        var share: Double
        var names: [String]
        var strict: Bool
        var label: String?
    }

    struct Root: Decodable {
        var rules: [String: Limits]
    }

    enum Mode: String, JSONStringEnum { case auto, always, never }
    struct WithMode: Decodable { var mode: Mode }

    let decoder = JSONNodeDecoder(file: "cfg.json")

    func error<T: Decodable>(_ type: T.Type, _ text: String, base: String = "") -> JSONFileError? {
        var d = decoder
        d.basePath = base
        do {
            _ = try d.decode(type, fromJSON: Array(text.utf8))
            return nil
        } catch let e as JSONFileError {
            return e
        } catch {
            Issue.record("not a JSONFileError: \(error)")
            return nil
        }
    }

    @Test func decodesAWellFormedValue() throws {
        let v = try decoder.decode(Limits.self, fromJSON: Array(#"{"minRun": 3, "share": 0.5, "names": ["a"], "strict": true}"#.utf8))
        #expect(v == Limits(minRun: 3, share: 0.5, names: ["a"], strict: true, label: nil))
    }

    @Test func syntaxErrorIsPositioned() {
        let e = error(Limits.self, "{\n  \"minRun\": 3,\n}")
        #expect(e?.description == "cfg.json:3:1: invalid JSON: trailing comma before '}'")
    }

    @Test func typeMismatchNamesPathExpectedAndFound() {
        let e = error(Root.self, """
        {"rules": {"script-mixed": {"minRun": "3", "share": 0.5, "names": [], "strict": true}}}
        """)
        #expect(e?.description == #"cfg.json:1:39: rules.script-mixed.minRun: expected a whole number, found the string "3""#)
    }

    @Test func fractionIsNotAWholeNumber() {
        let e = error(Limits.self, #"{"minRun": 2.5, "share": 1, "names": [], "strict": false}"#)
        #expect(e?.message == "expected a whole number, found 2.5")
        #expect(e?.jsonPath == "minRun")
    }

    @Test func arrayElementHasItsIndexInThePath() {
        let e = error(Limits.self, #"{"minRun": 1, "share": 1, "names": ["a", 7], "strict": false}"#, base: "rules.x")
        #expect(e?.jsonPath == "rules.x.names[1]")
        #expect(e?.position == SourcePosition(line: 1, column: 42))
        #expect(e?.message == "expected a string, found 7")
    }

    @Test func missingKeyPointsAtTheObject() {
        let e = error(Limits.self, "{\n \"minRun\": 1, \"share\": 1, \"names\": []}")
        #expect(e?.description == "cfg.json:1:1: missing key 'strict'")
    }

    @Test func unknownKeyGetsASuggestion() {
        let e = error(Limits.self, #"{"minRun": 1, "share": 1, "names": [], "strict": false, "lable": "x"}"#)
        #expect(e?.jsonPath == "lable")
        #expect(e?.message == "unknown key 'lable'; did you mean 'label'?")
    }

    @Test func unknownKeyWithoutACloseMatchListsTheValidKeys() {
        let e = error(Limits.self, #"{"minRun": 1, "share": 1, "names": [], "strict": false, "zzzzzzzz": 1}"#)
        #expect(e?.message == "unknown key 'zzzzzzzz'; valid keys: label, minRun, names, share, strict")
    }

    @Test func allUnknownKeysAreReportedTogether() {
        let e = error(Limits.self, #"{"minRun": 1, "share": 1, "names": [], "strict": false, "a": 1, "b": 2}"#)
        #expect(e?.all.map(\.jsonPath) == ["a", "b"])
    }

    @Test func aTypoOfARequiredKeyIsReportedAsTheTypo() {
        let e = error(Limits.self, "{\"minRun\": 1, \"share\": 1, \"names\": [],\n \"strcit\": false}")
        #expect(e?.description == "cfg.json:2:2: strcit: unknown key 'strcit'; did you mean 'strict'?")
    }

    @Test func dollarKeysAreComments() throws {
        _ = try decoder.decode(Limits.self, fromJSON: Array(#"{"$comment": "x", "minRun": 1, "share": 1, "names": [], "strict": false}"#.utf8))
    }

    @Test func dictionaryKeysAreAllTaken() throws {
        let v = try decoder.decode([String: Int].self, fromJSON: Array(#"{"a": 1, "b": 2}"#.utf8))
        #expect(v == ["a": 1, "b": 2])
    }

    @Test func wrongContainerKind() {
        #expect(error(Limits.self, "[1]")?.message == "expected an object, found an array")
        #expect(error([Int].self, "{}")?.message == "expected an array, found an object")
        #expect(error(Limits.self, "null")?.message == "expected an object, found null")
    }

    @Test func enumValueGetsAllowedValuesAndSuggestion() {
        let e = error(WithMode.self, #"{"mode": "alway"}"#)
        #expect(e?.description == "cfg.json:1:10: mode: 'alway' is not allowed; expected one of auto, always, never; did you mean 'always'?")
    }

    @Test func unknownKeysCanBeAllowed() throws {
        var d = decoder
        d.rejectsUnknownKeys = false
        _ = try d.decode(WithMode.self, fromJSON: Array(#"{"mode": "auto", "extra": 1}"#.utf8))
    }

    @Test func pathRendering() {
        struct K: CodingKey {
            var stringValue: String; var intValue: Int?
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { return nil }
        }
        #expect(JSONNodeDecoder.render([K("a"), K("b")], base: "rules") == "rules.a.b")
    }

    @Test func oneHintWording() {
        #expect(Suggest.hint(for: "warnng", in: ["warning", "error"]) == "; did you mean 'warning'?")
        #expect(Suggest.hint(for: "zzz", in: ["warning"], otherwise: "; none") == "; none")
        #expect(Suggest.hint(for: "selct", in: ["select"], spelling: { "--" + $0 }) == "; did you mean '--select'?")
    }
}
