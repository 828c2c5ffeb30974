import Foundation

/// A usage error: exit code 2 with a message that names the problem and suggests a fix.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
