/// The tool's version, stamped into caches, facts files and reports (the CLI prints it).
public enum NewsLintVersion {
    public static let current = "0.1.0"
}
