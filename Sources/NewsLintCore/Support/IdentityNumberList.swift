/// A list of numbers that, in the usual case, is its own index (0, 1, 2 …): nothing is stored
/// until an appended number differs from its index, then the numbers are listed, 4 bytes each.
/// The fact columns' file numbers and a run's input numbers are this (every file has facts,
/// every input is a file), and 4 bytes a file was a third of what a run held per file.
package struct IdentityNumberList: Sendable {
    /// The numbers once one differed from its index; empty while each is its index.
    private var listed: [Int32] = []
    private var isIdentity = true
    package private(set) var count = 0

    package init() {}

    /// Appends `number` at index `count`.
    @inline(__always)
    package mutating func append(_ number: Int) {
        if isIdentity, number != count { startListing() }
        if !isIdentity { listed.append(Int32(truncatingIfNeeded: number)) }
        count += 1
    }

    /// The first number that is not its index: the ones before it are listed.
    @inline(never)
    private mutating func startListing() {
        listed = (0..<Int32(truncatingIfNeeded: count)).map { $0 }
        isIdentity = false
    }

    @inline(__always)
    package subscript(i: Int) -> Int { isIdentity ? i : Int(listed[i]) }
}
