import Foundation
import NewsLintKit

// The executable only hands argv to the library.
exit(NewsLintCLI.run(Array(CommandLine.arguments.dropFirst())))
