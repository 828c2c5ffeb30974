import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// Option defaults are written once, in the catalog's option specs. Every implementation of a rule with
/// options declares a typed `Options` struct; it must decode from the catalog defaults, read every
/// documented option (an unread one is an unknown key), and fail when any one is missing — a Swift-side
/// default (an optional with `??`, `decodeIfPresent`) would let it pass, and is the second default this forbids.
@Suite struct TypedOptionsTests {
    static var implementations: [(id: String, type: Any.Type)] {
        RuleRegistry.perFile.map { ($0.id, $0 as Any.Type) } + RuleRegistry.crossFile.map { ($0.id, $0 as Any.Type) }
    }

    /// Decodes `T.Options` from `options` as given, with no catalog defaults merged in.
    func decodeExactly<T: RuleWithOptions>(_ type: T.Type, _ options: RuleOptions) throws {
        _ = try JSONNodeDecoder(file: "catalog defaults of \(T.id)").decode(T.Options.self, from: options.object)
    }

    @Test func everyRuleWithOptionsDeclaresTypedOptions() throws {
        for (id, type) in Self.implementations {
            let meta = try #require(Catalog.builtin.metadata(id), "\(id) is not in the catalog")
            guard !meta.options.isEmpty else {
                #expect(!(type is any RuleWithOptions.Type), "\(type) declares Options but \(id) documents none")
                continue
            }
            #expect(type is any RuleWithOptions.Type, "\(type) (\(id)) has options in the catalog but no typed Options struct")
        }
    }

    @Test func catalogDefaultsDecodeAndEachIsRequired() throws {
        for (id, type) in Self.implementations {
            guard let typed = type as? any RuleWithOptions.Type, let meta = Catalog.builtin.metadata(id) else { continue }
            let defaults = meta.defaultOptions
            do {
                try decodeExactly(typed, defaults)
            } catch {
                Issue.record("\(type): the catalog defaults of \(id) do not decode: \(error)")
            }
            for spec in meta.options {
                var without = defaults.values
                without[spec.name] = nil
                do {
                    try decodeExactly(typed, RuleOptions(without))
                    Issue.record("\(type) decodes without '\(spec.name)': it has a default of its own (write it only in the catalog)")
                } catch let e as JSONFileError {
                    #expect(e.message == "missing key '\(spec.name)'", "\(type): \(e)")
                }
            }
        }
    }

    @Test func emptyOptionsMeanTheCatalogDefaults() throws {
        let o = try ScriptMixedRule.decodeOptions(RuleOptions())
        let spec = try #require(Catalog.builtin.metadata("script-mixed")?.option("minEvidence"))
        #expect(o.minEvidence == spec.defaultValue.int)
    }

    @Test func aWrongTypeIsAnOptionErrorNamingTheOption() {
        #expect(throws: RuleOptionError.self) {
            try ScriptMixedRule(options: RuleOptions(["minEvidence": JSONNode(.string("five"))]))
        }
        do {
            _ = try FrontMatterFieldRule(options: RuleOptions(["types": JSONParser.parse(#"{"tags": "lst"}"#)]))
            Issue.record("an unknown type name decoded")
        } catch let e as RuleOptionError {
            #expect(e.option == "types.tags")
            #expect(e.message.contains("did you mean 'list'?"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
