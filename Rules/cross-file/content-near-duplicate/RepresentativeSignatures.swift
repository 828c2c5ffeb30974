import Foundation
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The near-duplicate reduce's signatures, one per representative (distinct body), `width` bins
/// each, in rep order. Up to `memoryBudget` bytes they stay in one flat array (a corpus of a few
/// thousand bodies reduces as before); past it they move to an unlinked temporary file (under
/// `TMPDIR`, never in the corpus) and are read back in blocks (the boilerplate count, each band's
/// keys) or by rep (candidate pairs, the report): 288 bytes per distinct body were most of the
/// reduce's memory on a corpus of distinct bodies.
/// If the file cannot be created or written, signatures stay in memory (as `SpillLog` does); if it
/// cannot be read back, `fallback` gives a rep's signature from its fact (slower, never wrong).
/// Used from one thread.
package final class RepresentativeSignatures {
    package let width: Int
    package let memoryBudget: Int
    package private(set) var count = 0
    /// Reps `onFile...` (all of them while nothing went to the file), one after the other.
    private var memory: [UInt16] = []
    /// Reps `0..<onFile` are in the temporary file, rep r at byte `r * width * 2`.
    private var onFile = 0
    private var fd: Int32 = -1
    private var diskFailed = false
    /// Set when a read of the file failed; every read then goes to `fallback`.
    package private(set) var readFailed = false
    /// A rep's signature from elsewhere (its fact), for a file that does not read back.
    package var fallback: ((Int) -> [UInt16])?
    /// Rep-at-a-time reads of the file (`withPair`).
    private var scratchA: [UInt16] = []
    private var scratchB: [UInt16] = []
    /// Creates the temporary file; tests hand in one they can damage.
    private let createFile: () -> (fd: Int32, path: String)?

    package init(width: Int, memoryBudget: Int, createFile: @escaping () -> (fd: Int32, path: String)? = SpillLog.unlinkedTemporaryFile) {
        self.width = width
        self.memoryBudget = max(0, memoryBudget)
        self.createFile = createFile
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether every signature is in memory (nothing went to the file).
    package var isInMemory: Bool { onFile == 0 }

    /// Calls `body` with every signature, flat; only while `isInMemory`.
    package func withFlatInMemory<T>(_ body: ([UInt16]) -> T) -> T {
        precondition(isInMemory, "the signatures went to the temporary file: read them with forEachBlock")
        return body(memory)
    }

    /// Room for up to `representatives` signatures at once, as much as memory holds before the
    /// file takes them (the reduce knows its fact count, an upper bound): grown by doubling, the
    /// store copied itself 14 times at agora ×1 (~2.5 M instructions, and the old buffer beside
    /// the new one while it did).
    package func reserve(representatives: Int) {
        guard onFile == 0, memory.isEmpty else { return }
        memory.reserveCapacity(min(max(0, representatives) * width, memoryBudget / 2 + width))
    }

    /// Signatures the memory store has room for without growing (for tests and measurements).
    package var memoryCapacity: Int { memory.capacity / max(1, width) }

    /// Appends the next rep's signature (`width` bins).
    package func append(_ signature: [UInt16]) {
        // Past half the budget, room for exactly the most it holds before a flush (the budget
        // plus one signature), not the next doubling (4.8 MB for a 4 MB budget).
        let needed = memory.count + signature.count
        if needed > memory.capacity, needed * 4 > memoryBudget { memory.reserveCapacity(max(needed, memoryBudget / 2 + width)) }
        memory.append(contentsOf: signature)
        count += 1
        if memory.count * 2 > memoryBudget { flush() }
    }

    /// Appends the next rep's signature from its little-endian bytes (`width` bins, 2 bytes each,
    /// perhaps unaligned: a fact record's), without an array in between.
    package func append(littleEndian bytes: UnsafeRawBufferPointer) {
        let n = bytes.count / 2
        let needed = memory.count + n
        if needed > memory.capacity, needed * 4 > memoryBudget { memory.reserveCapacity(max(needed, memoryBudget / 2 + width)) }
        // Through an aligned buffer on the stack (at most 2 KB here, on the stack up to 1 KB):
        // `append(contentsOf:)` of a buffer is a copy, where of a repeated zero and then a copy
        // over it was ~270 instructions a signature.
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: n) { staged in
            #if _endian(little)
            if let from = bytes.baseAddress, let to = staged.baseAddress { UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: 2 * n) }
            #else
            for k in 0..<n { staged[k] = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self)) }
            #endif
            memory.append(contentsOf: UnsafeBufferPointer(staged))
        }
        count += 1
        if memory.count * 2 > memoryBudget { flush() }
    }

    /// After the last `append`: what is held for the file goes there and its buffer is released.
    package func finishAppending() {
        guard onFile > 0, !memory.isEmpty else { return }
        flush()
        if onFile == count { memory = [] }
    }

    private func flush() {
        guard !diskFailed else { return }
        if fd < 0, let file = createFile() { fd = file.fd }
        guard fd >= 0 else { diskFailed = true; return }
        let failed = memory.withUnsafeBytes { FileDescriptorWriting.writeAll($0, to: fd, at: off_t(onFile * width * 2)) }
        guard failed == nil else { diskFailed = true; return }
        onFile = count
        memory.removeAll(keepingCapacity: true)
    }

    /// Reads reps `first..<(first + n)` from the file into `buffer` (resized); false when it failed.
    private func read(_ first: Int, _ n: Int, into buffer: inout [UInt16]) -> Bool {
        if buffer.count != n * width { buffer = [UInt16](repeating: 0, count: n * width) }
        guard !readFailed else { return false }
        let fd = self.fd
        let ok = buffer.withUnsafeMutableBytes { FileDescriptorReading.readAll(into: $0, from: fd, at: off_t(first * width * 2)) } == nil
        if !ok { readFailed = true }
        return ok
    }

    /// Rep `r`'s signature from `fallback` (zeros without one, or when it gives another length).
    private func fallbackSignature(_ r: Int) -> [UInt16] {
        let signature = fallback?(r) ?? []
        return signature.count == width ? signature : [UInt16](repeating: 0, count: width)
    }

    /// Calls `body` with consecutive blocks of reps in order: the first rep of the block and the
    /// block's signatures, flat (`flat.count / width` reps). In memory: one block.
    package func forEachBlock(_ body: (_ first: Int, _ flat: UnsafeBufferPointer<UInt16>) -> Void) {
        if onFile > 0 {
            let perBlock = max(1, (1 << 18) / max(1, width * 2))
            var buffer: [UInt16] = []
            var first = 0
            while first < onFile {
                let n = min(perBlock, onFile - first)
                if !read(first, n, into: &buffer) {
                    for i in 0..<n { buffer.replaceSubrange((i * width)..<((i + 1) * width), with: fallbackSignature(first + i)) }
                }
                buffer.withUnsafeBufferPointer { body(first, $0) }
                first += n
            }
        }
        if !memory.isEmpty { memory.withUnsafeBufferPointer { body(onFile, $0) } }
    }

    /// Calls `body` with the signatures of reps `x` and `y`.
    package func withPair<T>(_ x: Int, _ y: Int, _ body: (ArraySlice<UInt16>, ArraySlice<UInt16>) -> T) -> T {
        if x >= onFile, y >= onFile {
            let a = (x - onFile) * width, b = (y - onFile) * width
            return body(memory[a..<(a + width)], memory[b..<(b + width)])
        }
        load(x, into: &scratchA)
        load(y, into: &scratchB)
        return body(scratchA[...], scratchB[...])
    }

    private func load(_ r: Int, into buffer: inout [UInt16]) {
        if r >= onFile {
            let a = (r - onFile) * width
            buffer = Array(memory[a..<(a + width)])
        } else if !read(r, 1, into: &buffer) {
            buffer = fallbackSignature(r)
        }
    }
}
