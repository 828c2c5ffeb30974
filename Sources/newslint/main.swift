import Foundation
import NewsLintCore
import NewsLintCLI

// The executable only hands argv to the library.
// Byte-exact: a file name that is not UTF-8 keeps its bytes (SystemPath).
exit(NewsLintCLI.runProcess(Array(SystemPath.arguments().dropFirst())))
