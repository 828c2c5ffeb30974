extension NewsLintCLI {
    /// Image-checking options of `lint` (online mode: issue 5).
    static let imageOptions: [OptionSpec] = []
}
