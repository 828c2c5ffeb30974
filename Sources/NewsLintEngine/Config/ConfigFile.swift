import NewsLintCore

/// The shape of a `.lint.json` as the decoder checks it (keys, types, positions), before the parts that
/// need the catalog or the file system (rule settings, rule packs, images) are checked by `Configuration`.
/// Every bad value is collected (`problems`) so one run reports all of them.
package struct ConfigFile: Decodable {
    package enum CodingKeys: String, CodingKey, CaseIterable {
        case schema = "$schema", comment = "$comment"
        case extend, include, exclude, extensions, maxFileSize, preset, rules, rulePacks, overrides, images, cache
    }

    /// `{"files": [globs], "rules": {...}}`.
    package struct Override: Decodable {
        package enum CodingKeys: String, CodingKey, CaseIterable { case files, rules }
        package var files: [String]
        package var rules: JSONNode?
    }

    package var include: [String]?
    package var exclude: [String]?
    package var extensions: [String]?
    package var maxFileSize: Int?
    package var preset: JSONNode?
    package var rules: JSONNode?
    package var rulePacks: [Located<String>]?
    package var overrides: [Override]?
    /// `images`, `cache`: objects their subsystems read. (There is no `report` section: one was
    /// accepted and never read, so `{"report": {"limit": 5}}` looked like it worked.)
    package var sections: [(key: String, node: JSONNode)] = []
    package var problems: [JSONFileError] = []

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var problems: [JSONFileError] = []
        func collect<T>(_ step: () throws -> T) -> T? { JSONNodeDecoder.collect(&problems, in: decoder, step) }
        include = collect { try c.decodeIfPresent([String].self, forKey: .include) } ?? nil
        exclude = collect { try c.decodeIfPresent([String].self, forKey: .exclude) } ?? nil
        extensions = collect { try c.decodeIfPresent([String].self, forKey: .extensions) } ?? nil
        maxFileSize = collect { () throws -> Int? in
            guard let node = try c.decodeIfPresent(JSONNode.self, forKey: .maxFileSize) else { return nil }
            guard let n = node.int, n > 0 else { throw Self.invalid(c, .maxFileSize, "expected a positive whole number of bytes, found \(node.serialized())") }
            return n
        } ?? nil
        rulePacks = collect { try c.decodeIfPresent([Located<String>].self, forKey: .rulePacks) } ?? nil
        for key in [CodingKeys.images, .cache] {
            collect {
                guard let node = try c.decodeIfPresent(JSONNode.self, forKey: key) else { return }
                guard node.members != nil else { throw Self.invalid(c, key, "expected an object, found \(node.value.typeName)") }
                sections.append((key.rawValue, node))
            }
        }
        rules = collect { try c.decodeIfPresent(JSONNode.self, forKey: .rules) } ?? nil
        preset = collect { try c.decodeIfPresent(JSONNode.self, forKey: .preset) } ?? nil
        if c.contains(.overrides), var list = collect({ () throws -> any UnkeyedDecodingContainer in
            guard let list = try? c.nestedUnkeyedContainer(forKey: .overrides) else {
                throw Self.invalid(c, .overrides, "expected an array of {\"files\": [...], \"rules\": {...}}")
            }
            return list
        }) {
            var items: [Override] = []
            while !list.isAtEnd {
                if let item = collect({ try list.decode(Override.self) }) { items.append(item) }
            }
            overrides = items
        }
        _ = collect { try c.decodeIfPresent(String.self, forKey: .schema) }
        self.problems = problems
    }

    /// A value of the right JSON type that is still unusable, placed at its key's value.
    private static func invalid(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ message: String) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
    }
}
