import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// Where the per-file cache lives when nothing says otherwise.
///
/// In the root of the run's configuration (`.newslint-cache/` beside `.lint.json`), like Ruff's
/// `.ruff_cache`. Without a config, in the current directory, unless the current directory is
/// inside a directory being linted: a corpus without a config must not get a cache written into
/// it, so the user cache directory (`$XDG_CACHE_HOME/newslint`, else `~/.cache/newslint`) is used.
/// `--cache-dir`, `NEWSLINT_CACHE_DIR` and the config's `cache.directory` come first.
package enum CacheLocation {
    package static let directoryName = ".newslint-cache"

    /// nil: no acceptable place (no config, the current directory is linted, and no user cache directory).
    package static func defaultDirectory(config: Configuration, io: ToolIO, lintedDirectories: [String]) -> String? {
        if config.file != nil { return config.directory + "/" + directoryName }
        let cwd = PathResolver.standardized(io.currentDirectory)
        let insideLinted = lintedDirectories.contains { d in
            let dir = PathResolver.standardized(NewsLintCLI.resolve(d, io))
            return cwd == dir || cwd.hasPrefix(dir == "/" ? "/" : dir + "/")
        }
        if !insideLinted { return cwd + "/" + directoryName }
        return userDirectory(io)
    }

    /// `$XDG_CACHE_HOME/newslint`, else `$HOME/.cache/newslint`.
    package static func userDirectory(_ io: ToolIO) -> String? {
        if let xdg = io.environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/newslint" }
        if let home = io.environment["HOME"], home.hasPrefix("/") { return home + "/.cache/newslint" }
        return nil
    }

}

/// `newslint clean`: remove the cache a lint run from here would use (and any `.newslint-cache`
/// left in the current directory by earlier versions).
package enum CleanCommand {
    package static let options: [OptionSpec] = [
        NewsLintCLI.Shared.config,
        NewsLintCLI.Shared.noConfig,
        OptionSpec("cache-dir", value: "DIR", help: "Remove this cache directory instead"),
    ]

    package static let help = "newslint clean [OPTIONS]\n\nRemove the cache a lint run from the current directory would use: --cache-dir, NEWSLINT_CACHE_DIR,\nthe config's cache.directory, .newslint-cache beside the config, or the user cache directory\n($XDG_CACHE_HOME/newslint). Only directories newslint created (with its CACHEDIR.TAG) are removed, and of\nthose only the files newslint writes: a directory that also holds anything else is kept.\n\nOPTIONS:\n" + ArgumentParser(command: "clean", options: options + [NewsLintCLI.helpOption]).optionsHelp() + "\n"

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "clean", options: options + [NewsLintCLI.helpOption]).parse(args)
        if let extra = parsed.positionals.first { throw UsageError("'clean' takes no paths (got '\(extra)'); run it where you run 'newslint'") }
        let resolver = try NewsLintCLI.configResolver(parsed, io: io)
        let config = resolver.root
        var candidates: [String] = []
        if let d = parsed.value("cache-dir") { candidates.append(NewsLintCLI.resolve(d, io)) }
        else if let env = io.environment["NEWSLINT_CACHE_DIR"], !env.isEmpty { candidates.append(NewsLintCLI.resolve(env, io)) }
        else {
            if let d = config.sections["cache"]?["directory"]?.string, !d.isEmpty {
                candidates.append(d.hasPrefix("/") ? d : config.directory + "/" + d)
            }
            candidates.append(config.directory + "/" + CacheLocation.directoryName)
            candidates.append(io.currentDirectory + "/" + CacheLocation.directoryName)
            if config.file == nil, let user = CacheLocation.userDirectory(io) { candidates.append(user) }
        }
        var removed = 0
        var seen = Set<String>()
        for dir in candidates.map(PathResolver.standardized) where seen.insert(dir).inserted {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { continue }
            guard CacheDirectory.isNewslintCache(dir) else {
                io.stderr("warning: not removing '\(dir)': it has no newslint CACHEDIR.TAG\n")
                continue
            }
            do {
                let (kept, removedDirectory) = try CacheDirectory.remove(dir)
                if removedDirectory {
                    io.stdout("removed \(dir)\n")
                } else {
                    io.stdout("removed the cache files in \(dir)\n")
                    // A `.gitkeep` or a project's `.gitignore` is expected there: kept without a word.
                    let foreign = kept.filter { !CacheDirectory.neutralNames.contains($0) }
                    if !foreign.isEmpty {
                        io.stderr("warning: kept '\(dir)': it also holds \(foreign.count) entr\(foreign.count == 1 ? "y" : "ies") newslint did not write (\(CacheDirectory.listed(foreign)))\n")
                    }
                }
                removed += 1
            } catch {
                throw UsageError("cannot remove '\(dir)': \(error)")
            }
        }
        if removed == 0 { io.stdout("no cache to remove\n") }
        return ExitCode.ok
    }
}
