import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses a file the run writes (`--output`, `--write-baseline`, `--facts-out`) that is one of
/// the inputs or another of those files: writing a report over an article (after `--fix` had just
/// rewritten it) destroys it. Compared by device and inode, so a different spelling, a symlink or
/// a hard link of an input is caught too; and checks before the run that each can be written.
package enum OutputGuard {
    package struct FileIdentity: Hashable {
        package var device: UInt64
        package var inode: UInt64

        package static func of(_ path: String) -> FileIdentity? {
            var st = stat()
            guard SystemPath.stat(path, &st) == 0 else { return nil }
            return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        }
    }

    /// A file the run writes: its option, its name as given, and its resolved path.
    package struct Output {
        package var option: String
        package var display: String
        package var resolved: String

        package init(option: String, display: String, resolved: String) {
            self.option = option
            self.display = display
            self.resolved = resolved
        }
    }

    /// Throws when `output` (resolved) names an existing file among `inputs` (resolved locations).
    package static func check(output: String, display: String, inputs: some Sequence<String>, option: String = "--output") throws {
        try check([Output(option: option, display: display, resolved: output)], inputs: inputs)
    }

    /// Throws when one of `outputs` names an existing file among `inputs`: one pass over the
    /// inputs (a stat each) whatever the number of outputs, and none when no output exists yet.
    package static func check(_ outputs: [Output], inputs: some Sequence<String>) throws {
        var existing: [FileIdentity: Output] = [:]
        for out in outputs { if let id = FileIdentity.of(out.resolved), existing[id] == nil { existing[id] = out } }
        if existing.isEmpty { return }
        for input in inputs {
            guard let id = FileIdentity.of(input), let out = existing[id] else { continue }
            throw UsageError("\(out.option) file '\(out.display)' is one of the inputs; refusing to overwrite it (choose another file)")
        }
    }

    /// Whether two resolved paths name one file: the same path, or an existing file reached both ways.
    package static func sameFile(_ a: String, _ b: String) -> Bool {
        if PathResolver.droppingDotComponents(a) == PathResolver.droppingDotComponents(b) { return true }
        guard let x = FileIdentity.of(a) else { return false }
        return x == FileIdentity.of(b)
    }

    /// Throws when `output` (resolved) cannot be written because its directory is missing or not
    /// writable: checked before the run, since the report streams to stdout while files are
    /// linted and a file written at the end must not fail after half a report was printed.
    package static func checkWritable(output: String, display: String, option: String) throws {
        switch AtomicWriter.existingTarget(output) {
        // An existing device or FIFO (`/dev/stdout`, a shell's `>(gzip)`) is written into, not
        // replaced: its directory need not be writable.
        case .special: return
        case .directory:
            throw UsageError("cannot write \(option) file '\(display)': it is a directory; name a file (e.g. '\(display.hasSuffix("/") ? display : display + "/")report.txt')")
        case .regular, nil: break
        }
        let directory = PathComponents.deletingLastComponent(output)
        var isDirectory: ObjCBool = false
        guard SystemPath.exists(directory.isEmpty ? "/" : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("cannot write \(option) file '\(display)': its directory does not exist (create it first)")
        }
        guard access(directory.isEmpty ? "/" : directory, W_OK) == 0 else {
            throw UsageError("cannot write \(option) file '\(display)': its directory is not writable")
        }
    }
}
