import NewsLintCore

extension RuleOptions {
    /// These values over the built-in catalog defaults of `rule`, decoded into the rule's typed options.
    /// Defaults are written once, in the catalog's option specs: the struct declares none, so a value
    /// the catalog lacks is a decoding error rather than a silent second default.
    public func decode<Options: Decodable>(_ type: Options.Type, rule: String) throws -> Options {
        var merged = Catalog.builtin.metadata(rule)?.defaultOptions.values ?? [:]
        merged.merge(values) { $1 }
        do {
            return try JSONNodeDecoder(file: "options of \(rule)").decode(type, from: RuleOptions(merged).object)
        } catch let e as JSONFileError {
            // The engine places option errors at the config value (`optionError`).
            throw RuleOptionError(option: e.jsonPath ?? "", message: e.message)
        }
    }
}

extension RuleWithOptions {
    /// The rule's options: catalog defaults overlaid with `options` (config values), decoded.
    public static func decodeOptions(_ options: RuleOptions) throws -> Options {
        try options.decode(Options.self, rule: id)
    }
}
