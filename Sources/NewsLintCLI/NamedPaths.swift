import Foundation
import NewsLintCore
import NewsLintEngine

/// Paths named on the command line of `report` and `learn` (`lint` reports its own as findings).
package enum NamedPaths {
    /// A named path that does not exist or a directory that yields no files is a mistake: a health
    /// report of nothing (100/100), a pack learned from nothing or from one unreadable "file"
    /// would pass for a result.
    package static func refuseMissingOrEmpty(_ paths: [String], expanded: (files: PathList, problems: [InputProblem]),
                                             discovery: FileDiscovery, resolver: ConfigResolver, io: ToolIO) throws {
        var mistakes: [String] = []
        for p in paths {
            var isDirectory: ObjCBool = false
            if !SystemPath.exists(NewsLintCLI.resolve(p, io), isDirectory: &isDirectory) {
                let reason = expanded.problems.first { $0.path.hasSameBytes(as: p) }?.message ?? "cannot open"
                mistakes.append("'\(p)': \(reason); name files or directories that exist")
            } else if isDirectory.boolValue {
                let prefix = p.hasSuffix("/") ? p : p + "/"
                // A directory named twice (`c ./c`, `c c/./sub`) lists its files once, under the first
                // spelling: the second still yields them, as `lint` judges it.
                if p == "." ? expanded.files.isEmpty : !expanded.files.contains(where: { $0.utf8.starts(with: prefix.utf8) }),
                   !(paths.count > 1 && LintInputs.yieldsUnderAnotherSpelling(p, expanded.files, discovery)) {
                    mistakes.append(EmptyPathExplainer.explain(p, problems: expanded.problems, resolver: resolver, respectIgnoreFiles: true, io: io))
                }
            }
        }
        if !mistakes.isEmpty { throw UsageError(mistakes.joined(separator: "\nerror: ")) }
    }
}
