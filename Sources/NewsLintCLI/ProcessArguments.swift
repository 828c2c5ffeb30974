import Foundation
import NewsLintCore

/// Only the CLI reads the process's arguments; every layer below takes them as values.
extension SystemPath {
    /// `argv` decoded byte-exactly (CommandLine.arguments repairs invalid UTF-8 into U+FFFD).
    public static func arguments() -> [String] {
        (0..<Int(CommandLine.argc)).map { i in
            guard let p = CommandLine.unsafeArgv[i] else { return "" }
            return decode(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        }
    }
}
