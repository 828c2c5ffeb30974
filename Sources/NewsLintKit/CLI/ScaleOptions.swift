extension NewsLintCLI {
    /// Scale options of `lint` (cache, shards, facts: issue 8).
    static let scaleOptions: [OptionSpec] = []
}
