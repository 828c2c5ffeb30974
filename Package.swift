// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The catalog files beside the rule sources in `Rules/` (rule.json, examples/, data/, notices).
/// `Scripts/embed-catalog` compiles them into `Rules/Catalog/EmbeddedCatalog.swift`, so the rules
/// target excludes them; listing them here keeps "add a rule" to one folder, with no manifest edit.
let catalogFiles: [String] = {
    let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Rules").path
    guard let walker = FileManager.default.enumerator(atPath: rules) else { return [] }
    var files: [String] = []
    while let path = walker.nextObject() as? String {
        let name = (path as NSString).lastPathComponent
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: rules + "/" + path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            if name == "examples" || name == "data" { files.append(path); walker.skipDescendants() }
        } else if !name.hasSuffix(".swift") {
            files.append(path)
        }
    }
    return files.sorted()
}()

/// Release builds reference concrete generic types through their metadata accessors instead of by
/// mangled name. Instantiating `KeyedDecodingContainer<Options.CodingKeys>` (every rule's typed
/// options) or `Dictionary<String, String>` from a mangled name checks the generic requirements by
/// scanning every protocol conformance record in the binary (5,700 with Foundation linked in), once
/// per type: 11% of a one-file run's CPU, 6% with this flag, which saves 15% of that run
/// (BENCHMARKS.md, "Startup"); the binary grows by 0.1%.
/// A hidden Swift frontend flag: if a toolchain drops it, delete this setting.
///
/// Release builds also leave out the run-time exclusivity checks (`swift_beginAccess` on class
/// properties and captured variables: 1.5% of a cold run's instructions, 4.5% of a warm one's,
/// mostly the pass's bookkeeping and the output merge). The compile-time checks stay, and debug
/// builds, which `swift test` runs, keep the run-time ones.
///
/// Release builds also turn off the "aggressive" large-loadable-types reg2mem heuristic of IRGen
/// (seen in Swift 6.3): with it, building a struct of several references (`Diagnostic`,
/// `FileOutcome`, `CacheEntry`) and storing it (an array append, an optional returned) copied it on
/// the stack and destroyed the original: a retain and a release of each of its references per value
/// built (outlined `WOc`/`WOh` pairs). Without it: cold −0.5%, engine floor −3.1%, warm ×10 −0.7%
/// of instructions (BENCHMARKS.md, "Session 27"). A hidden frontend flag, and an unknown flag fails
/// the build, so it is passed only to the compiler it was verified with (6.3); an older one builds
/// without it, a little slower. If a toolchain drops it, delete this setting.
let releaseSwiftSettings: [SwiftSetting] = {
    var settings: [SwiftSetting] = [
        .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    ]
    #if compiler(>=6.3)
    settings.append(.unsafeFlags(["-Xfrontend", "-disable-aggressive-reg2mem"], .when(configuration: .release)))
    #endif
    return settings
}()

// Layers, each depending only on the ones above it (the compiler enforces the direction):
// core → rules → engine → report → server → CLI → the `newslint` executable.
// Online mode's URLSession code: engine → NewsLintOnline, the `newslint-online` executable.
let package = Package(
    name: "newslint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newslint", targets: ["newslint"]),
        .executable(name: "newslint-online", targets: ["NewsLintOnline"]),
        .library(name: "NewsLintKit", targets: ["NewsLintCore", "NewsLintRules", "NewsLintEngine", "NewsLintReport", "NewsLintServer", "NewsLintCLI"]),
    ],
    targets: [
        // The document model (bytes, lines, front matter, HTML view), scanning helpers, and what a
        // rule produces: diagnostics, fixes as byte edits, cross-file facts. No files, no argv.
        .target(name: "NewsLintCore", swiftSettings: releaseSwiftSettings),
        // Every built-in rule and the rule catalog (metadata and data tables embedded in the binary).
        // One folder per rule: Rules/<family>/<rule-id>/ holds its Swift source, rule.json and examples.
        .target(name: "NewsLintRules", dependencies: ["NewsLintCore"], path: "Rules", exclude: catalogFiles, swiftSettings: releaseSwiftSettings),
        // Discovery, configuration, the run (one read and one pass per file), cache, facts and
        // shards, the fixer and atomic writes, online image checks.
        .target(name: "NewsLintEngine", dependencies: ["NewsLintCore", "NewsLintRules"], swiftSettings: releaseSwiftSettings),
        // Output formats, baseline, corpus summary and the HTML report.
        .target(name: "NewsLintReport", dependencies: ["NewsLintCore", "NewsLintRules", "NewsLintEngine"], swiftSettings: releaseSwiftSettings),
        // The language server (`newslint server`).
        .target(name: "NewsLintServer", dependencies: ["NewsLintCore", "NewsLintRules", "NewsLintEngine"], swiftSettings: releaseSwiftSettings),
        // The URLSession checker of online mode (FoundationNetworking: libcurl, TLS), an executable of
        // its own (`newslint-online`) so that `newslint` does not load those libraries on every start.
        // Its code stays in the executable target: a library target it depended on would be linked
        // into `newslint` as well.
        .executableTarget(name: "NewsLintOnline", dependencies: ["NewsLintCore", "NewsLintEngine"]),
        // Argument parsing and the subcommands: maps options to engine requests and outcomes to exit codes.
        .target(name: "NewsLintCLI", dependencies: ["NewsLintCore", "NewsLintRules", "NewsLintEngine", "NewsLintReport", "NewsLintServer"], swiftSettings: releaseSwiftSettings),
        // Thin entry point: hands argv to NewsLintCLI. Depending on the `newslint-online` executable
        // builds it with `newslint` (`swift run newslint` too) without linking it in. The release
        // build on Linux links the Swift runtime and Foundation statically: the dynamic loader
        // resolved 18,000 symbol relocations across their shared objects at every start
        // (BENCHMARKS.md, "Startup"); the binary grows from 18 to 89 MB (63 MB stripped, mostly ICU data).
        .executableTarget(name: "newslint", dependencies: ["NewsLintCLI", "NewsLintOnline"],
                          swiftSettings: releaseSwiftSettings + [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
                          linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]),
        .testTarget(
            name: "NewsLintKitTests",
            dependencies: ["NewsLintCore", "NewsLintRules", "NewsLintEngine", "NewsLintReport", "NewsLintServer", "NewsLintCLI", "NewsLintOnline"],
            exclude: ["Fixtures"]
        ),
    ]
)
