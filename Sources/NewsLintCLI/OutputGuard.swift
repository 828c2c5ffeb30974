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

/// Refuses an `--output` file that is one of the inputs: writing the report over an article
/// (after `--fix` had just rewritten it) destroys it. Compared by device and inode, so a
/// different spelling, a symlink or a hard link of an input is caught too.
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

    /// Throws when `output` (resolved) names an existing file among `inputs` (resolved locations).
    package static func check(output: String, display: String, inputs: some Sequence<String>, option: String = "--output") throws {
        guard let target = FileIdentity.of(output) else { return }
        for input in inputs where FileIdentity.of(input) == target {
            throw UsageError("\(option) file '\(display)' is one of the inputs; refusing to overwrite it (choose another file)")
        }
    }

    /// Whether two resolved paths name one file: the same path, or an existing file reached both ways.
    package static func sameFile(_ a: String, _ b: String) -> Bool {
        if FileDiscovery.spellingKey(a) == FileDiscovery.spellingKey(b) { return true }
        guard let x = FileIdentity.of(a) else { return false }
        return x == FileIdentity.of(b)
    }

    /// Throws when `output` (resolved) cannot be written because its directory is missing or not
    /// writable: checked before the run, since the report streams to stdout while files are
    /// linted and a file written at the end must not fail after half a report was printed.
    package static func checkWritable(output: String, display: String, option: String) throws {
        // An existing device or FIFO (`/dev/stdout`, a shell's `>(gzip)`) is written into, not
        // replaced: its directory need not be writable.
        var st = FileStatus()
        if SystemPath.stat(output, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG, (st.st_mode & S_IFMT) != S_IFDIR { return }
        let directory = PathComponents.deletingLastComponent(output)
        var isDirectory: ObjCBool = false
        if SystemPath.exists(output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw UsageError("cannot write \(option) file '\(display)': it is a directory; name a file (e.g. '\(display.hasSuffix("/") ? display : display + "/")report.txt')")
        }
        guard SystemPath.exists(directory.isEmpty ? "/" : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("cannot write \(option) file '\(display)': its directory does not exist (create it first)")
        }
        guard access(directory.isEmpty ? "/" : directory, W_OK) == 0 else {
            throw UsageError("cannot write \(option) file '\(display)': its directory is not writable")
        }
    }
}
