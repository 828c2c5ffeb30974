import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

extension NewsLintCLI {
    /// Image-checking options of `lint` (online mode: issue 5).
    package static let imageOptions: [OptionSpec] = [
        OptionSpec("online", help: "Check remote images over the network (HEAD/GET; see the images config section)"),
        OptionSpec("offline", help: "Do not check remote images, even if images.online is set"),
        OptionSpec("image-timeout", value: "SECONDS", help: "Timeout per remote image request (default: 10)"),
        OptionSpec("image-cache", value: "FILE", help: "Cache remote image results in FILE across runs"),
        OptionSpec("no-image-cache", help: "Ignore images.cache for this run"),
        OptionSpec("allow-private-hosts", help: "Let --online contact loopback, private, link-local and multicast addresses (never enabled by a repository's .lint.json)"),
    ]

    /// Applies the image options to the run's settings (command line wins over `images` in the config).
    package static func applyImageOptions(_ parsed: ParsedArguments, to settings: inout LintSettings, io: ToolIO) throws {
        var o = ImageSettings.Overrides()
        if parsed.has("online") && parsed.has("offline") { throw UsageError("--online and --offline cannot be used together") }
        if parsed.has("online") { o.online = true }
        if parsed.has("offline") { o.online = false }
        if let t = parsed.value("image-timeout") {
            guard let v = Double(t), v >= 0.05, v <= 600 else { throw UsageError("--image-timeout expects seconds from 0.05 to 600, got '\(t)'") }
            o.timeout = v
        }
        if parsed.has("image-cache") && parsed.has("no-image-cache") { throw UsageError("--image-cache and --no-image-cache cannot be used together") }
        if let c = parsed.value("image-cache") {
            guard !c.isEmpty else { throw UsageError("--image-cache needs a file path") }
            o.cacheFile = resolve(c, io)
        }
        o.noCache = parsed.has("no-image-cache")
        if parsed.has("allow-private-hosts") { o.allowPrivateHosts = true }
        settings.environment.imageOverrides = o
    }
}
