import Foundation
import Testing

/// The compiler keeps each layer from importing the ones below it; these checks cover what an
/// import cannot show: a rule reaching the file system, the process or the terminal through
/// Foundation, which every layer may import.
@Suite struct LayeringTests {
    /// APIs that read or write outside the document, or reach the process (argv, environment, output).
    static let outsideWorld = ["FileManager", "FileHandle", "FileReader", "DirectoryReader", "SystemPath.",
                               "fopen(", "print(", "CommandLine", "ProcessInfo", "URLSession", "Process(", "getenv("]

    @Test func rulesNeverTouchFilesArgvOrOutput() throws {
        let rules = PackagePaths.root.appendingPathComponent("Rules")
        guard let walker = FileManager.default.enumerator(at: rules, includingPropertiesForKeys: nil) else {
            Issue.record("cannot list \(rules.path)")
            return
        }
        var offenders: [String] = []
        var checked = 0
        for case let url as URL in walker where url.pathExtension == "swift" && url.lastPathComponent != "EmbeddedCatalog.swift" {
            checked += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for api in Self.outsideWorld where code.contains(api) {
                    offenders.append("\(url.path.dropFirst(rules.path.count + 1)):\(number + 1): \(api)")
                }
            }
        }
        #expect(checked > 40, "found the rule sources")
        #expect(offenders.isEmpty, "a rule asks `sink.environment` for the outside world: \(offenders)")
    }
}
