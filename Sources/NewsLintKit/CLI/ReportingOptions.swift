extension NewsLintCLI {
    /// CI and reporting options of `lint` (formats, statistics, baseline, progress: issue 7).
    static let reportingOptions: [OptionSpec] = []
}
