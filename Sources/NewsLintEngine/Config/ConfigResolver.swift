import Foundation
import NewsLintCore
import NewsLintRules

/// Which `.lint.json` applies to each file, as in Ruff: the closest one among the file's
/// ancestors (a nested config replaces its parents unless it `extend`s one), `--config` for
/// every file when given, the built-in defaults for files outside any config's tree.
/// Which paths are named, and in which order, never changes a file's configuration.
///
/// Used while discovering files (one thread); `snapshot()` hands the engine a `ConfigSet`.
public final class ConfigResolver {
    /// All configs load rule packs into this one catalog.
    public private(set) var catalog: Catalog
    /// Index 0 is the run's root configuration (`--config`, the current directory's, or defaults):
    /// the one cross-file rules, image checks and the cache use.
    public private(set) var configurations: [Configuration]
    /// Fixed: every file uses configuration 0 (`--config`, `--no-config`).
    public let fixed: Bool
    private var defaultsIndex: Int?
    /// By path bytes: directories whose names differ only in Unicode normalization are two directories.
    private var byDirectory: [PathKey: Int] = [:]
    private var byFile: [PathKey: Int] = [:]
    /// Problems in config files met during discovery (reported together, then the run stops).
    public private(set) var errors: [ConfigError] = []

    /// Every file uses `config`.
    public init(fixed config: Configuration, catalog: Catalog) {
        self.catalog = catalog
        self.configurations = [config]
        self.fixed = true
    }

    /// Hierarchical: the root is the config found from `currentDirectory` upwards, else defaults there.
    public init(hierarchicalFrom currentDirectory: String, catalog: Catalog) throws {
        self.catalog = catalog
        self.fixed = false
        self.configurations = []
        let cwd = PathResolver.standardized(currentDirectory)
        if let found = Configuration.discover(from: cwd) {
            var c = self.catalog
            let config = try Configuration.load(file: found, catalog: &c)
            self.catalog = c
            configurations = [config]
            byFile[PathKey(PathResolver.standardized(found))] = 0
        } else {
            configurations = [Configuration(directory: cwd)]
            defaultsIndex = 0
        }
    }

    public var root: Configuration { configurations[0] }

    /// The configuration index for files directly in `directory` (absolute).
    public func index(forDirectory directory: String) -> Int {
        if fixed { return 0 }
        let dir = PathResolver.standardized(directory)
        if let known = byDirectory[PathKey(dir)] { return known }
        let result: Int
        let candidate = dir == "/" ? "/" + Configuration.fileName : dir + "/" + Configuration.fileName
        var entry = FileStatus()
        // Anything named `.lint.json`, a symbolic link to nothing (or a loop) included, is a config
        // (one that cannot be read is an error, not no config: the defaults would pass CI on rules
        // the project set otherwise). `lstat` answers for all of them in one call.
        if SystemPath.lstat(candidate, &entry) == 0 {
            result = load(candidate)
        } else {
            let parent = PathComponents.deletingLastComponent(dir)
            result = parent == dir || parent.isEmpty ? defaults() : index(forDirectory: parent)
        }
        byDirectory[PathKey(dir)] = result
        return result
    }

    public func configuration(forDirectory directory: String) -> Configuration { configurations[index(forDirectory: directory)] }

    public func configuration(forFile location: String) -> Configuration {
        configuration(forDirectory: PathComponents.deletingLastComponent(PathResolver.standardized(location)))
    }

    private func load(_ file: String) -> Int {
        if let i = byFile[PathKey(file)] { return i }
        var c = catalog
        do {
            let config = try Configuration.load(file: file, catalog: &c)
            catalog = c
            configurations.append(config)
            if let e = imagesProblem(nested: config) { errors.append(e) }
        } catch let e as ConfigError {
            errors.append(contentsOf: e.all)
            configurations.append(Configuration(directory: PathComponents.deletingLastComponent(file), file: file))
        } catch {
            errors.append(ConfigError(file: file, message: "\(error)"))
            configurations.append(Configuration(directory: PathComponents.deletingLastComponent(file), file: file))
        }
        byFile[PathKey(file)] = configurations.count - 1
        return configurations.count - 1
    }

    /// Image settings are the run's (one URL checker, one cache, the roots every file's `/…` sources
    /// resolve against) and are read from the root configuration only: a nested config's `images`
    /// section was silently ignored, so `roots` or `online` set there looked like they worked.
    /// A section equal to the root's (inherited through `extend`) changes nothing and is accepted.
    private func imagesProblem(nested config: Configuration) -> ConfigError? {
        guard let node = config.sections["images"],
              node.serialized() != root.sections["images"]?.serialized() else { return nil }
        let rootName = root.file.map { "the root config \(SystemPath.display($0))" }
            ?? "the root config (there is none: no \(Configuration.fileName) in \(SystemPath.display(root.directory)) or above)"
        return ConfigError(file: config.sectionFiles["images"] ?? config.file ?? Configuration.fileName, position: node.position, jsonPath: "images",
                           message: "image settings apply to the whole run and are read only from \(rootName), not from a nested config "
                               + "(for files under \(SystemPath.display(config.directory))); move this section to the root config, "
                               + "or run with --config \(SystemPath.display(config.file ?? Configuration.fileName))")
    }

    private func defaults() -> Int {
        if let i = defaultsIndex { return i }
        configurations.append(Configuration(directory: root.directory))
        defaultsIndex = configurations.count - 1
        return configurations.count - 1
    }

    /// Throws every config problem met so far, together.
    public func throwErrors() throws {
        if let first = errors.first { throw ConfigError.combined(first, Array(errors.dropFirst())) }
    }

    /// What the engine needs: the configurations and which directory uses which.
    public func snapshot() -> ConfigSet { ConfigSet(configurations: configurations, byDirectory: fixed ? [:] : byDirectory) }
}

/// The configurations of one run and the directory → configuration map built during discovery.
public struct ConfigSet: Sendable {
    public var configurations: [Configuration]
    package var byDirectory: [PathKey: Int]

    public init(single config: Configuration) {
        configurations = [config]
        byDirectory = [:]
    }

    package init(configurations: [Configuration], byDirectory: [PathKey: Int]) {
        self.configurations = configurations
        self.byDirectory = byDirectory
    }

    /// Index of the configuration for a file (absolute path); 0 when unknown.
    public func index(forFile location: String) -> Int {
        guard configurations.count > 1 else { return 0 }
        let dir = PathComponents.deletingLastComponent(PathResolver.standardized(location))
        return byDirectory[PathKey(dir)] ?? 0
    }

    /// A hash over every configuration (cache keys), independent of the order they were met in.
    public var combinedHash: UInt64 {
        var h = configurations[0].contentHash
        let nested = configurations.dropFirst().map { ($0.file ?? "", $0.directory, $0.contentHash) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        for (file, directory, hash) in nested {
            h = (h &* 0x0000_0100_0000_01B3) ^ hash ^ StableHash.fnv1a64(file + "\u{1F}" + directory)
        }
        return h
    }
}
