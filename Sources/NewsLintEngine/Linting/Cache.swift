import Foundation
import NewsLintCore
import NewsLintRules
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file, enough to notice that it changed: size, modification and
/// status-change times (nanoseconds), inode and device. The change time catches a rewrite whose
/// modification time was put back (`touch -d`, `rsync -t`, archive extraction); nobody can set it.
public struct FileStamp: Sendable, Equatable {
    public var size: UInt64
    public var mtimeSeconds: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64
    public var device: UInt64 = 0
    public var ctimeSeconds: Int64 = 0
    public var ctimeNanoseconds: Int64 = 0

    public init(size: UInt64, mtimeSeconds: Int64, mtimeNanoseconds: Int64, inode: UInt64,
                device: UInt64 = 0, ctimeSeconds: Int64 = 0, ctimeNanoseconds: Int64 = 0) {
        self.size = size
        self.mtimeSeconds = mtimeSeconds
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
        self.device = device
        self.ctimeSeconds = ctimeSeconds
        self.ctimeNanoseconds = ctimeNanoseconds
    }

    /// The same file with the same size and modification time (the change time left out: a
    /// `chmod` changes it and not the text).
    package func sameContentStamp(as other: FileStamp) -> Bool {
        device == other.device && inode == other.inode && size == other.size
            && mtimeSeconds == other.mtimeSeconds && mtimeNanoseconds == other.mtimeNanoseconds
    }

    public static func of(_ path: String) -> FileStamp? {
        var st = stat()
        guard SystemPath.stat(path, &st) == 0 else { return nil }
        return FileStamp(st)
    }

    /// The stamp of a path a cached result depends on (`CacheEntry.dependencies`): a regular
    /// file's, or a directory's. A miss explanation ("on disk as 'A.jpg'") is decided by directory
    /// listings, and a directory's times change when an entry is added, removed or renamed;
    /// `of(_:)` gave every directory nil, so no change to one made an entry stale.
    package static func ofDependency(_ path: String) -> FileStamp? {
        var st = stat()
        guard SystemPath.stat(path, &st) == 0 else { return nil }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFDIR else { return nil }
        return FileStamp(anyKind: st)
    }

    /// What `st` says about a regular file; nil for anything else.
    package init?(_ st: stat) {
        guard (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(anyKind: st)
    }

    private init(anyKind st: stat) {
        #if canImport(Darwin)
        let ts = st.st_mtimespec
        let cs = st.st_ctimespec
        #else
        let ts = st.st_mtim
        let cs = st.st_ctim
        #endif
        self.init(size: UInt64(st.st_size), mtimeSeconds: Int64(ts.tv_sec), mtimeNanoseconds: Int64(ts.tv_nsec), inode: UInt64(st.st_ino),
                  device: UInt64(st.st_dev), ctimeSeconds: Int64(cs.tv_sec), ctimeNanoseconds: Int64(cs.tv_nsec))
    }

    /// A stamp can stand in for the content only when the file was last changed well before the
    /// run that cached it started: a write in the same clock tick as that run's read would leave
    /// the stamp unchanged (git's "racy clean" problem; file systems stamp with a coarse clock).
    /// Until then entries are verified by content hash, and the first run after the window marks them settled.
    package func isSettled(now: Int64) -> Bool { max(mtimeSeconds, ctimeSeconds) < now - 2 }

    package func encode(into w: inout ByteWriter) {
        w.u64(size)
        w.u64(UInt64(bitPattern: mtimeSeconds))
        w.u64(UInt64(bitPattern: mtimeNanoseconds))
        w.u64(inode)
        w.u64(device)
        w.u64(UInt64(bitPattern: ctimeSeconds))
        w.u64(UInt64(bitPattern: ctimeNanoseconds))
    }

    package static func decode(_ r: inout ByteReader) -> FileStamp? {
        guard let size = r.u64(), let sec = r.u64(), let nsec = r.u64(), let inode = r.u64(),
              let device = r.u64(), let csec = r.u64(), let cnsec = r.u64() else { return nil }
        return FileStamp(size: size, mtimeSeconds: Int64(bitPattern: sec), mtimeNanoseconds: Int64(bitPattern: nsec), inode: inode,
                         device: device, ctimeSeconds: Int64(bitPattern: csec), ctimeNanoseconds: Int64(bitPattern: cnsec))
    }
}

/// The per-file lint cache.
///
/// One file per cache key (tool fingerprint, configuration hash, rule selection): a binary table
/// mapping each linted file's absolute location to its stamp, content hash, diagnostics,
/// cross-file facts and suppression regions. Each entry carries its own keyed checksum, verified
/// when the entry is used (on the worker that lints the file, so a warm run verifies in
/// parallel): an entry that fails it is ignored and its file linted again, while the rest of the
/// cache stays usable. An entry is reused when the file's stamp is unchanged and settled, or when
/// its content hash matches; a file whose framing does not parse (truncated, foreign, another
/// version) is ignored whole and rebuilt. The run's cross-file findings live beside it
/// (`CrossFileResultFile`).
///
/// Layout: magic, key (u64); entries, each its length (varint) and sealed bytes: checksum (u64:
/// SipHash-1-3 under the directory's secret combined with the key, of everything after it up to
/// the facts), the facts' checksum (u64, under a key of its own), the facts' length (varint), the
/// body without the facts (`encodeHead`, `encodeTail`), then the facts. A warm run that leaves the
/// facts in the cache copies and verifies only what is before them (facts are most of an entry);
/// they are verified when they are read. The index, one record per
/// entry (hash of its path's bytes, offset of its length; u64 each) sorted by hash then offset;
/// then the index's offset, the entry count and a check of both (u64 each). The file is mapped
/// (`CacheFileImage`) and looked up through the index in place: opening a cache reads its header and trailer,
/// and a run holds neither the file nor a table of it.
public final class LintCache: @unchecked Sendable {
    /// `B`: `boilerplate-repeated`'s facts hash line keys eight bytes a step (`KeyHash`), not with
    /// FNV-1a. `C`: a listing-cap finding carries the counts of the findings it stands for
    /// (`ByteWriter.diagnostic`'s severity byte with `unlistedFlag`). A new build never opens an
    /// older build's cache anyway (the cache key holds the executable's fingerprint); the magic
    /// says which layout a file holds.
    public static let magic: [UInt8] = Array("NLCACHEC".utf8)
    package static let headerSize = 16
    package static let trailerSize = 24
    package static let indexRecordSize = 16
    /// The cache file this instance reads and writes.
    public let file: String
    /// Where the run's cross-file findings are stored (`CrossFileResultFile`).
    public var crossFileResultFile: String { (file.hasSuffix(".cache") ? String(file.dropLast(6)) : file) + ".cross-file" }
    public let key: UInt64
    /// Secret key of the entry checksums (SipHash), random per cache directory and stored beside it
    /// (`cache.key`, mode 0600): an entry written by anyone without the key does not verify.
    package let macKey: (UInt64, UInt64)
    /// The file as opened (nil: none, or its framing did not parse) and where its index is.
    private let image: CacheFileImage?
    private let indexStart: Int
    private let indexCount: Int
    /// This run's entries, framed as the cache file frames them, in a temporary file beside the
    /// cache: a cold run over a large corpus holds only their path hashes (72k files: 131 MB of
    /// entries that were kept in memory until the save, and copied once more to write them).
    private let fresh: Locked<FreshEntries>
    /// This run's cross-file findings once the reduce completed (`keepCrossFile`), saved with the cache.
    private let crossFile = Locked<CrossFileResultRecorder?>(nil)
    /// When the run started (seconds): entries of files changed since two seconds before are not settled.
    package let now: Int64
    /// An atomic count: a lock per hit was ~125 instructions of each.
    private let hitCount = Atomic<Int>(0)
    private let stampHitCount = Atomic<Int>(0)
    /// Stamps the run's files (one directory walk per directory, not per file).
    package let stamper = DirectoryStamper()

    /// Opens (or prepares) the cache for `key` under `directory`; nil when the directory cannot be
    /// created or written, or holds what is not newslint's (`CacheDirectory.refusal`).
    /// `now`: the run's start in seconds (tests: a later one, to settle entries of files just written).
    public static func open(directory: String, key: UInt64, now: Int64 = Int64(Date().timeIntervalSince1970)) -> LintCache? {
        // A directory whose name is not UTF-8 (SystemPath) would be created under a wrong name: run uncached.
        if SystemPath.containsReserved(directory) { return nil }
        // A directory that holds anything but newslint's cache is not made one (`CacheDirectory`).
        if CacheDirectory.refusal(directory) != nil { return nil }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            return nil
        }
        guard access(directory, W_OK) == 0 else { return nil }
        // Mark the directory as a cache for backup tools and git (like Ruff and Cargo do). It holds
        // only newslint's and neutral entries here (`refusal`); an existing `.gitignore` is kept.
        let tag = directory + "/" + CacheDirectory.tagName
        if !fm.fileExists(atPath: tag) {
            try? AtomicWriter.writeNew(CacheDirectory.tag, to: tag)
            let ignore = directory + "/" + CacheDirectory.ignoreName
            if !fm.fileExists(atPath: ignore) { try? AtomicWriter.writeNew(CacheDirectory.ignore, to: ignore) }
        }
        guard let macKey = CacheKeyFile.load(directory: directory) else { return nil }
        let cache = LintCache(file: directory + "/" + StableHash.hex(key) + ".cache", key: key, macKey: macKey, now: now)
        CachePruning.noteUse(of: cache.file, now: cache.now)
        return cache
    }

    /// `unnamedEntriesFile` false: this run's entries go to a named temporary file, unlinked at
    /// once, and are copied into the cache file, as where the system cannot make a file without a
    /// name (tests take that path on Linux too).
    package init(file: String, key: UInt64, macKey: (UInt64, UInt64), unnamedEntriesFile: Bool = true,
                 now: Int64 = Int64(Date().timeIntervalSince1970)) {
        self.file = file
        self.now = now
        self.key = key
        self.macKey = macKey
        var header = ByteWriter(bytes: LintCache.magic)
        header.u64(key)
        fresh = Locked(FreshEntries(path: file + ".fresh-\(getpid())-\(UInt32.random(in: 0...UInt32.max))",
                                    directory: PathComponents.deletingLastComponent(file), header: header.bytes,
                                    mayBeUnnamed: unnamedEntriesFile))
        if let image = CacheFileImage(path: file), let layout = LintCache.parseLayout(image, key: key) {
            self.image = image
            indexStart = layout.indexStart
            indexCount = layout.count
        } else {
            image = nil
            indexStart = 0
            indexCount = 0
        }
    }

    /// Where the index is, when the header and trailer are this key's and agree with the file's
    /// size; nil when the file is not a cache of this key. Entries and index records are checked when used.
    package static func parseLayout(_ image: CacheFileImage, key: UInt64) -> (indexStart: Int, count: Int)? {
        let size = image.count
        guard size >= headerSize + trailerSize, image.bytes.starts(with: magic), image.u64(at: magic.count) == key else { return nil }
        let indexOffset = image.u64(at: size - 24), count = image.u64(at: size - 16)
        guard image.u64(at: size - 8) == layoutCheck(indexOffset: indexOffset, count: count, key: key),
              indexOffset >= UInt64(headerSize), indexOffset <= UInt64(size), count <= UInt64(size / indexRecordSize),
              indexOffset + count * UInt64(indexRecordSize) + UInt64(trailerSize) == UInt64(size) else { return nil }
        return (Int(indexOffset), Int(count))
    }

    /// Guards the trailer against a foreign or torn file (the entries have their own checksums).
    package static func layoutCheck(indexOffset: UInt64, count: UInt64, key: UInt64) -> UInt64 {
        FastHash.mix(FastHash.mix(FastHash.mix(key ^ 0x4E4C_4341_4348_4536) ^ indexOffset) ^ count)
    }

    /// File entries whose checksum verifies and whose index record names their path. Verifies
    /// every entry: for tests and reports, not the run's path.
    public var loadedCount: Int {
        guard let image else { return 0 }
        var n = 0
        for i in 0..<indexCount {
            let (hash, offset) = indexRecord(i, in: image)
            guard let sealed = sealedEntry(at: offset, in: image)?.bytes, let body = LintCache.bodyStart(sealed) else { continue }
            var reader = ByteReader(sealed, range: body..<sealed.count)
            guard let length = reader.int(), let path = reader.skip(length) else { continue }
            if sealed.withUnsafeBytes({ PathHash.hash(UnsafeRawBufferPointer(rebasing: $0[path])) }) == hash { n += 1 }
        }
        return n
    }
    /// Whether the cache file holds entries of this key (a run may be answered by it).
    public var hasEntries: Bool { image != nil && indexCount > 0 }
    /// Files answered from the cache in this run.
    public var hits: Int { hitCount.load(ordering: .relaxed) }
    /// Of `hits`, the files answered by their stamp, not read.
    package var stampHits: Int { stampHitCount.load(ordering: .relaxed) }

    /// The entry's checksum: SipHash-1-3 of its body under the directory's secret, bound to this key
    /// (an entry moved from another cache file of the directory does not verify).
    /// What it guards against: whoever can write the cache directory (a shared or restored CI
    /// cache) but not read its 0600 key file cannot make an entry, or move one, that a run would
    /// accept, so cannot make newslint report a result that linting would not give. Forging a
    /// 64-bit tag without the key takes ~2^63 tries, each a newslint run; no attack on SipHash-1-3
    /// does better. Whoever can read the key can also replace the binary's inputs, so no MAC
    /// would help there. Since version A of the format (SipHash-2-4 before it: twice the rounds a word).
    package static func checksum(_ body: UnsafeRawBufferPointer, key: UInt64, macKey: (UInt64, UInt64)) -> UInt64 {
        SipHash13.hash(body, key: macKey.0 ^ key, macKey.1 &+ key)
    }

    /// The checksum of an entry's facts: under a key of its own (a facts section does not verify as
    /// the rest of an entry), and stored in the part the entry's checksum covers (facts moved from
    /// another entry do not verify there).
    package static func factsChecksum(_ facts: UnsafeRawBufferPointer, key: UInt64, macKey: (UInt64, UInt64)) -> UInt64 {
        SipHash13.hash(facts, key: macKey.0 ^ key ^ 0x6661_6374_7353_756D, macKey.1 &+ key)
    }

    /// Where the body starts in sealed bytes (after the two checksums and the facts' length).
    package static func bodyStart(_ sealed: [UInt8]) -> Int? {
        guard sealed.count > 16 else { return nil }
        var r = ByteReader(sealed, range: 16..<sealed.count)
        guard r.int() != nil else { return nil }
        return r.position
    }

    private func indexRecord(_ i: Int, in image: CacheFileImage) -> (hash: UInt64, offset: Int) {
        let at = indexStart + i * LintCache.indexRecordSize
        return (image.u64(at: at), Int(clamping: image.u64(at: at + 8)))
    }

    /// Index positions of the records for `hash` (sorted by offset within a hash: the last one is the latest).
    private func records(for hash: UInt64, in image: CacheFileImage) -> Range<Int> {
        guard indexCount > 0 else { return 0..<0 }
        func hashAt(_ i: Int) -> UInt64 { indexRecord(i, in: image).hash }
        // Path hashes are uniform, so the first record for `hash` is near hash / 2^64 of the way
        // through the index: a window around that guess is widened until it brackets the hash and
        // then bisected (bisecting the whole index touched ~17 scattered pages per file).
        let guess = min(indexCount - 1, Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(indexCount)).high))
        var lo: Int, hi: Int, step = 8
        if hashAt(guess) < hash {
            lo = guess + 1
            hi = min(indexCount, lo + step)
            while hi < indexCount && hashAt(hi) < hash {
                lo = hi + 1
                step *= 2
                hi = min(indexCount, lo + step)
            }
        } else {
            hi = guess
            lo = max(0, hi - step)
            while lo > 0 && hashAt(lo) >= hash {
                hi = lo
                step *= 2
                lo = max(0, hi - step)
            }
        }
        while lo < hi {
            let mid = (lo + hi) / 2
            if indexRecord(mid, in: image).hash < hash { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < indexCount, indexRecord(end, in: image).hash == hash { end += 1 }
        return lo..<end
    }

    /// The entry framed at `offset`, copied out of the file,
    /// when its framing stays within the entries and its checksums verify. `withFacts` false: only
    /// the part before the facts is copied and verified, and `facts` says where they are.
    private func sealedEntry(at offset: Int, in image: CacheFileImage, withFacts: Bool = true) -> SealedEntry? {
        guard offset >= LintCache.headerSize, offset < indexStart,
              let (length, start) = image.varint(at: offset, end: indexStart),
              length > 16, length <= UInt64(indexStart - start) else { return nil }
        let end = start + Int(length)
        guard let (factsLength, bodyStart) = image.varint(at: start + 16, end: end), factsLength <= UInt64(end - bodyStart) else { return nil }
        let factsStart = end - Int(factsLength)
        let sealed = image.copy(start..<(withFacts ? end : factsStart))
        let ok = sealed.withUnsafeBytes { all -> Bool in
            let stored = UInt64(littleEndian: all.loadUnaligned(as: UInt64.self))
            guard stored == LintCache.checksum(UnsafeRawBufferPointer(rebasing: all[8..<(factsStart - start)]), key: key, macKey: macKey) else { return false }
            // The facts' checksum as the verified part states it (not as read from the mapping before).
            let factsSum = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            return !withFacts || factsSum == LintCache.factsChecksum(UnsafeRawBufferPointer(rebasing: all[(factsStart - start)...]), key: key, macKey: macKey)
        }
        guard ok else { return nil }
        let factsSum = sealed.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        return SealedEntry(bytes: sealed, facts: CachedFactsLocation(offset: factsStart, length: Int(factsLength), checksum: factsSum))
    }

    /// A verified entry's bytes and where its facts are. A named type, not a tuple: an optional
    /// tuple was destroyed through the runtime's generic tuple witnesses once per lookup.
    private struct SealedEntry {
        let bytes: [UInt8]
        let facts: CachedFactsLocation
    }

    /// The verified entry for `location`; nil when there is none or it fails its checksum or decode.
    /// `decodingDiagnostics` false (the run's path): the diagnostics are checked for framing only and
    /// kept as the entry's bytes (`CacheEntry.storedDiagnostics`), decoded once where they are
    /// output; true (tests, tools): decoded here under `displayPath`, sharing `knownStrings` (rule ids).
    /// `withFacts` false: the entry's facts are neither copied nor verified (`CacheEntry.facts` is
    /// empty and `factsInCache` says where they are, for `facts(at:)`).
    package func entry(for location: String, displayPath: String = "", knownStrings: KnownStrings = KnownStrings(),
                       decodingDiagnostics: Bool = true, withFacts: Bool = true) -> CacheEntry? {
        var bytes = location
        return bytes.withUTF8 { entry(at: $0, named: location, displayPath: displayPath, knownStrings: knownStrings,
                                      decodingDiagnostics: decodingDiagnostics, withFacts: withFacts) }
    }

    /// `entry(for:)` by the location's UTF-8 bytes, for a hit answered by its stamp: the entry's
    /// `location` is left empty (the caller has the bytes; a string made for it on every hit
    /// was a quarter of the location's cost), so such an entry must not be recorded again.
    package func entryForStamp(at location: UnsafeBufferPointer<UInt8>, displayPath: String, knownStrings: KnownStrings,
                               withFacts: Bool) -> CacheEntry? {
        entry(at: location, named: nil, displayPath: displayPath, knownStrings: knownStrings, decodingDiagnostics: false, withFacts: withFacts)
    }

    /// `named`: the location as a string (nil: the entry's `location` is empty).
    private func entry(at location: UnsafeBufferPointer<UInt8>, named name: String?, displayPath: String, knownStrings: KnownStrings,
                       decodingDiagnostics: Bool, withFacts: Bool) -> CacheEntry? {
        guard let image else { return nil }
        // A later entry for a path wins (a file the save wrote twice).
        for i in records(for: LintCache.pathHash(location), in: image).reversed() {
            guard let sealed = sealedEntry(at: indexRecord(i, in: image).offset, in: image, withFacts: withFacts),
                  let body = LintCache.bodyStart(sealed.bytes) else { continue }
            if let entry = CacheEntry.decode(sealed.bytes, range: body..<sealed.bytes.count, withFacts: withFacts, expected: location, named: name,
                                             displayPath: displayPath, knownStrings: knownStrings, decodingDiagnostics: decodingDiagnostics,
                                             factsInCache: sealed.facts) {
                return entry
            }
        }
        return nil
    }

    /// The facts of an entry this run used (`CacheEntry.factsInCache`), read from the cache file
    /// and verified against the checksum its entry states: each fact's rule id and bytes, in order.
    /// False when they do not verify or parse (then some may have been passed on).
    package func facts(at location: CachedFactsLocation, _ body: (_ rule: UnsafeRawBufferPointer, _ data: [UInt8]) -> Void) -> Bool {
        guard let image, location.offset >= LintCache.headerSize, location.length >= 0, location.offset <= indexStart - location.length else { return false }
        // Copied before it is verified: the mapped file could change in between.
        let copy = image.copy(location.offset..<(location.offset + location.length))
        let intact = copy.withUnsafeBytes { LintCache.factsChecksum($0, key: key, macKey: macKey) } == location.checksum
        guard intact, let facts = CacheEntry.decodeFacts(copy, range: 0..<copy.count) else { return false }
        for f in facts {
            var rule = f.rule
            rule.withUTF8 { body(UnsafeRawBufferPointer($0), Array(f.data)) }
        }
        return true
    }

    /// The pass is over: neither its entries' pages nor what its workers freed are needed any more
    /// (called before the reduce or the output, which need the memory).
    package func releaseEntryPages() {
        image?.releasePages()
        releaseFreedMemory()
    }

    package static func pathHash(_ path: String) -> UInt64 {
        var p = path
        return p.withUTF8 { pathHash($0) }
    }

    /// The index's hash of a location given as its UTF-8 bytes: what `record` files an entry
    /// under, so a lookup by bytes and one by string must both ask this.
    package static func pathHash(_ location: UnsafeBufferPointer<UInt8>) -> UInt64 {
        PathHash.hash(UnsafeRawBufferPointer(location))
    }

    /// `byStamp`: answered by the file's stamp, without reading it (else by its content hash).
    package func noteHit(byStamp: Bool = false) {
        hitCount.add(1, ordering: .relaxed)
        if byStamp { stampHitCount.add(1, ordering: .relaxed) }
    }

    /// Starts verifying the stored cross-file result of a run over `fileCount` files (whatever
    /// facts it was computed from) on a thread of its own; nil when none is stored.
    package func verifyingStoredCrossFile(fileCount: Int) -> PendingCrossFileResult? {
        PendingCrossFileResult(path: crossFileResultFile, key: key, macKey: macKey, fileCount: fileCount)
    }

    /// The stored cross-file findings of a run whose facts had `digest` (see
    /// `Linter.lintStreaming`), verified and ready to merge in output order; nil when there is no
    /// such result or it does not verify. `pending`: the verification started earlier in the run.
    package func storedCrossFile(digest: UInt64, knownStrings: KnownStrings = KnownStrings(),
                                 pending: PendingCrossFileResult? = nil) -> StoredCrossFileResult? {
        if let pending { return pending.result(digest: digest, knownStrings: knownStrings) }
        return CrossFileResultFile.open(crossFileResultFile, key: key, digest: digest, macKey: macKey, knownStrings: knownStrings)
    }

    /// A receiver that forwards the reduce's findings to `next` and keeps them for the cache;
    /// they are saved only when handed to `keepCrossFile` after a complete reduce.
    /// `pathsLost`: why the paths its deferred findings name could not be read back (nil: they were);
    /// the result is not saved then (see `CrossFileResultRecorder.write`).
    package func crossFileRecorder(digest: UInt64, fileCount: Int, forwardingTo next: (any DiagnosticReceiver)?,
                                   pathsLost: @escaping @Sendable () -> String?) -> CrossFileResultRecorder {
        CrossFileResultRecorder(forwardingTo: next, digest: digest, fileCount: fileCount, key: key, macKey: macKey, pathsLost: pathsLost)
    }

    /// Saves `recorder`'s findings as the cross-file result with the cache.
    package func keepCrossFile(_ recorder: CrossFileResultRecorder) { crossFile.withLock { $0 = recorder } }

    package func recordCrossFile(digest: UInt64, fileCount: Int, diagnostics: [Diagnostic]) {
        // Made during the reduce: a path lost then is in the run's `readFailures`, checked before this is called.
        let recorder = crossFileRecorder(digest: digest, fileCount: fileCount, forwardingTo: nil, pathsLost: { nil })
        for d in diagnostics { recorder.add(d) }
        keepCrossFile(recorder)
    }

    /// Records the outcome of linting one file in this run.
    /// Returns the entry's findings as its sealed bytes hold them (`SpilledDiagnostics`, with its
    /// source-lines section), so that the output spill can take them without encoding them again.
    @discardableResult
    package func record(_ entry: CacheEntry) -> SpilledDiagnostics {
        // An entry read by a location's bytes has none (`entryForStamp`): filed under the hash of
        // "", it would never be found again.
        assert(!entry.location.isEmpty, "a cache entry recorded without its location")
        var e = entry
        e.settled = entry.stamp.isSettled(now: now)
        let (bytes, sections) = sealed(e)
        let hash = LintCache.pathHash(entry.location)
        fresh.withLock { $0.append(bytes, hash: hash) }
        return SpilledDiagnostics(bytes: bytes, range: sections.findings, count: sections.count,
                                  lines: (sections.lines, sections.lineCount))
    }

    deinit { fresh.withLock { $0.discard() } }

    /// An entry as the file stores it (the layout in the type's comment), and where in those bytes
    /// its findings and source-lines section are.
    package func sealed(_ entry: CacheEntry) -> (bytes: [UInt8], sections: CacheEntry.StoredSections) {
        // Both writers sized once from the entry (an estimate a little over): grown by doubling
        // from empty, they were reallocated and copied ~13 times a file (41 M instructions and
        // 17 M of releases at agora ×1, a sixth of what writing the cache cost a cold run).
        var facts = ByteWriter()
        facts.bytes.reserveCapacity(entry.encodedFactsCapacity)
        entry.encodeFacts(into: &facts)
        let factsSum = facts.bytes.withUnsafeBytes { LintCache.factsChecksum($0, key: key, macKey: macKey) }
        var w = ByteWriter()
        w.bytes.reserveCapacity(24 + entry.encodedHeadAndTailCapacity + facts.bytes.count)
        w.bytes.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0] as [UInt8])
        w.u64(factsSum)
        w.varint(UInt64(facts.bytes.count))
        let sections = entry.encodeHead(into: &w)
        entry.encodeTail(into: &w)
        let sum = w.bytes.withUnsafeBytes { LintCache.checksum(UnsafeRawBufferPointer(rebasing: $0[8...]), key: key, macKey: macKey) }
        for k in 0..<8 { w.bytes[k] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k))) }
        w.bytes.append(contentsOf: facts.bytes)
        return (w.bytes, sections)
    }

    /// Writes what this run changed: the cross-file result it computed, and the cache file if any
    /// entry is new: the untouched loaded entries that still verify (a corrupt entry is dropped
    /// here rather than carried along) and whose file still exists (the entries of deleted or
    /// renamed files would otherwise stay forever) and this run's entries, streamed from their
    /// temporary file, then the index of them all. Where the temporary file holds the header (an
    /// unnamed file on Linux), this run's entries come first and the kept ones are appended to it.
    public func save() throws {
        // Independent files: one that cannot be written does not keep the other from being saved.
        var failure: (any Error)?
        do { try saveEntries() } catch { failure = error }
        if let recorder = crossFile.withLock({ r -> CrossFileResultRecorder? in defer { r = nil }; return r }) {
            do { try LintCache.replace(crossFileResultFile) { out in try recorder.write(crossFileResultFile, to: out) } } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        CachePruning.prune(directory: PathComponents.deletingLastComponent(file), current: file, now: now)
    }

    private func saveEntries() throws {
        try fresh.withLock { fresh in
            defer { fresh.discard() }
            if fresh.count == 0 { return }
            try fresh.flush()
            var index: [(hash: UInt64, offset: UInt64)] = []
            index.reserveCapacity(indexCount + fresh.count)
            if fresh.holdsHeader {
                // The temporary file already is the new cache file up to this run's entries: the
                // loaded entries kept and the index go on its end, and it is linked into place.
                // Writing the entries into a second file and reading them back cost a 131 MB copy
                // at agora ×10, serial before the output.
                var offset = LintCache.headerSize
                for entry in fresh.order {
                    index.append((entry.hash, UInt64(offset)))
                    offset += entry.framedSize
                }
                try fresh.complete(as: file) { out in
                    try writeKeptEntries(replacedBy: fresh.order, offset: &offset, index: &index, out)
                    try writeIndex(&index, entriesEnd: offset, out)
                }
                return
            }
            try LintCache.replace(file) { out in
                try out(fresh.header)
                var offset = fresh.header.count
                try writeKeptEntries(replacedBy: fresh.order, offset: &offset, index: &index, out)
                try fresh.copy(to: out)
                for entry in fresh.order {
                    index.append((entry.hash, UInt64(offset)))
                    offset += entry.framedSize
                }
                try writeIndex(&index, entriesEnd: offset, out)
            }
        }
    }

    /// Writes the untouched loaded entries that still verify and whose file still exists, framed,
    /// from `offset` on, and indexes them. Loaded entries this run replaced (`fresh`: its
    /// entries) are left out.
    private func writeKeptEntries(replacedBy fresh: [(hash: UInt64, framedSize: Int)], offset: inout Int,
                                  index: inout [(hash: UInt64, offset: UInt64)], _ out: ([UInt8]) throws -> Void) throws {
        guard let image else { return }
        // In file order (not sorted: entry order carries no meaning, the index finds them).
        // Both lists sorted by hash: one merge walk.
        let replaced = fresh.map(\.hash).sorted()
        var kept: [(hash: UInt64, offset: Int)] = []
        kept.reserveCapacity(indexCount)
        var r = 0
        for i in 0..<indexCount {
            let record = indexRecord(i, in: image)
            while r < replaced.count, replaced[r] < record.hash { r += 1 }
            if r == replaced.count || replaced[r] != record.hash { kept.append(record) }
        }
        kept.sort { $0.offset < $1.offset }
        var w = ByteWriter()
        for record in kept {
            guard let sealed = sealedEntry(at: record.offset, in: image)?.bytes, LintCache.storedFileExists(sealed) else { continue }
            let start = w.bytes.count
            w.blob(sealed)
            index.append((record.hash, UInt64(offset)))
            offset += w.bytes.count - start
            if w.bytes.count >= FreshEntries.bufferSize { try out(w.bytes); w.bytes.removeAll(keepingCapacity: true) }
        }
        if !w.bytes.isEmpty { try out(w.bytes) }
    }

    /// Writes the index (sorted by hash, then offset) and the trailer after entries that end at `entriesEnd`.
    private func writeIndex(_ index: inout [(hash: UInt64, offset: UInt64)], entriesEnd offset: Int, _ out: ([UInt8]) throws -> Void) throws {
        index.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.offset < $1.offset }
        var w = ByteWriter()
        for record in index {
            w.u64(record.hash)
            w.u64(record.offset)
            if w.bytes.count >= FreshEntries.bufferSize { try out(w.bytes); w.bytes.removeAll(keepingCapacity: true) }
        }
        w.u64(UInt64(offset))
        w.u64(UInt64(index.count))
        w.u64(LintCache.layoutCheck(indexOffset: UInt64(offset), count: UInt64(index.count), key: key))
        try out(w.bytes)
    }

    /// Whether the file a sealed entry was written for is still there; its path is the body's first
    /// field. A path that cannot be read is taken as gone.
    private static func storedFileExists(_ sealed: [UInt8]) -> Bool {
        guard let body = bodyStart(sealed) else { return false }
        var reader = ByteReader(sealed, range: body..<sealed.count)
        guard let n = reader.int(), let path = reader.skip(n) else { return false }
        var cPath = Array(sealed[path])
        guard !cPath.contains(0) else { return false }
        cPath.append(0)
        return cPath.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { access($0.baseAddress!, F_OK) == 0 }
        }
    }

    /// Temp file + rename, without fsync: readers never see a partial file, and a file torn by a
    /// crash fails its framing or its entries' checksums and is ignored, so durability is not worth
    /// an fsync per run.
    package static func replace(_ path: String, with bytes: [UInt8]) throws {
        try replace(path) { out in try out(bytes) }
    }

    /// `replace(_:with:)` for contents too large to build in memory: `produce` writes them in pieces
    /// through the function it is given.
    package static func replace(_ path: String, produce: (_ out: ([UInt8]) throws -> Void) throws -> Void) throws {
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = SystemPath.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CacheWriteError(path: temp, message: String(cString: strerror(errno))) }
        // Ctrl-C during a save must not leave a temporary file as large as the cache behind.
        let slot = InterruptCleanup.register(temp)
        defer { InterruptCleanup.release(slot) }
        do {
            try produce { bytes in
                if let reason = FreshEntries.writeAll(bytes, to: fd) { throw CacheWriteError(path: temp, message: reason) }
            }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        TestHook.holdTempFile()
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw CacheWriteError(path: path, message: reason)
        }
    }

    /// The cache key: everything besides a file's own bytes that decides its diagnostics.
    /// `options`: any other command-line settings that could change diagnostics (options added by other
    /// subsystems land here by default, so a new option can cost a cache miss but never a stale result).
    public static func key(config: Configuration, catalog: Catalog, filter: RuleFilter, options: String = "") -> UInt64 {
        var s = "newslint \(NewsLintVersion.current)\n\(toolFingerprint)\noptions \(options)\n"
        s += "config \(StableHash.hex(config.contentHash)) \(config.file ?? "-") \(config.directory) \(config.maxFileSize)\n"
        s += "select \(filter.select?.joined(separator: ",") ?? "-") ignore \(filter.ignore.joined(separator: ","))\n"
        // Every file of every rule pack, wherever it sits below the pack directory.
        for pack in config.rulePacks { s += "pack \(pack) \(RulePackRegistry.contentDigest(pack))\n" }
        for r in catalog.rules {
            s += "\(r.id) \(r.family) \(r.severity.rawValue) \(r.enabledByDefault) \(r.source)"
            for o in r.options { s += " \(o.name)=\(o.defaultValue.serialized())" }
            s += "\n"
        }
        return FastHash.hash(Array(s.utf8))
    }

    /// Identifies this build: the embedded catalog plus the executable's size and mtime,
    /// so a rebuilt binary with changed rule code never reads a stale cache.
    package static let toolFingerprint: String = {
        // Each file hashed 8 bytes a step (no copy of the whole catalog): startup of every cached run.
        var h: UInt64 = 0x6361_7461_6C6F_6721
        for file in EmbeddedCatalog.files {
            h = FastHash.mix(h ^ LintCache.pathHash(file.path))
            h = FastHash.mix(h ^ FastHash.hash(file.bytes))
        }
        var s = StableHash.hex(h)
        if let stamp = executableStamp {
            s += " \(stamp.size) \(stamp.mtimeSeconds).\(stamp.mtimeNanoseconds)"
        }
        return s
    }()

    /// The running executable's stamp. On Linux its path is read from `/proc/self/exe`:
    /// `Bundle.main` lists the directory the binary sits in, ~7 M instructions on every cached run
    /// when that is a directory of 3,000 entries such as `/usr/bin`. The link is read rather than
    /// followed by `stat`, which under valgrind would reach valgrind's own tool binary.
    static var executableStamp: FileStamp? {
        if let path = procSelfExecutablePath(), let stamp = FileStamp.of(path) { return stamp }
        guard let exe = Bundle.main.executablePath ?? CommandLine.arguments.first else { return nil }
        return FileStamp.of(exe)
    }

    /// The target of `/proc/self/exe` (nil where there is none, as off Linux).
    static func procSelfExecutablePath() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4097)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        return nil
        #endif
    }
}

/// A run's new cache entries on their way to the save: framed entries buffered, then appended to a
/// temporary file in the cache directory (created on the first flush without a name, or unlinked
/// at once: only the open descriptor reaches it, closed by the save or when the cache goes away).
/// A write that fails drops the entries and makes the save report why.
///
/// Where the file system makes files without a name (Linux `O_TMPFILE`), the file starts with the
/// cache file's header, and the save completes it and links it into place (`complete(as:)`):
/// the entries are written once, not copied into another file.
private struct FreshEntries: Sendable {
    static let bufferSize = 1 << 20
    let path: String
    /// The cache directory, where a file without a name is made.
    let directory: String
    /// The cache file's header (`LintCache.headerSize` bytes).
    let header: [UInt8]
    /// Path hash and size as framed (length and sealed bytes) of each entry, in file order: the save indexes them.
    private(set) var order: [(hash: UInt64, framedSize: Int)] = []
    var count: Int { order.count }
    /// Whether a file without a name is tried first.
    let mayBeUnnamed: Bool
    /// Whether the file starts with `header` and has no name (it can be linked into place).
    private(set) var holdsHeader = false
    private var buffer = ByteWriter()
    private var fd: Int32 = -1
    private var failure: String?

    init(path: String, directory: String, header: [UInt8], mayBeUnnamed: Bool) {
        self.path = path
        self.directory = directory
        self.header = header
        self.mayBeUnnamed = mayBeUnnamed
    }

    mutating func append(_ sealed: [UInt8], hash: UInt64) {
        guard failure == nil else { return }
        var length = ByteWriter()
        length.varint(UInt64(sealed.count))
        order.append((hash, length.bytes.count + sealed.count))
        if sealed.count >= Self.bufferSize {
            // A large entry goes to the file as it is, not through the buffer.
            buffer.varint(UInt64(sealed.count))
            try? flush()
            if failure == nil, fd >= 0 { failure = Self.writeAll(sealed, to: fd) }
            return
        }
        buffer.blob(sealed)
        if buffer.bytes.count >= Self.bufferSize { try? flush() }
    }

    /// Writes the buffered entries to the temporary file; throws (and keeps failing) once a write failed.
    mutating func flush() throws {
        if failure == nil, !buffer.bytes.isEmpty {
            if fd < 0 { makeFile() }
            if failure == nil { failure = Self.writeAll(buffer.bytes, to: fd) }
            buffer.bytes.removeAll(keepingCapacity: true)
        }
        if let failure { throw CacheWriteError(path: path, message: failure) }
    }

    /// Makes the temporary file: one without a name that starts with the header where the system
    /// can, else a named one unlinked at once. Either way a run stopped by Ctrl-C or a kill leaves
    /// nothing in the cache directory.
    private mutating func makeFile() {
        #if os(Linux)
        // Without O_EXCL, so that `linkat` can give it a name later; the mode is the cache file's.
        let unnamed = mayBeUnnamed ? SystemPath.open(directory, __O_TMPFILE | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o644) : -1
        if unnamed >= 0 {
            if Self.writeAll(header, to: unnamed) == nil {
                fd = unnamed
                holdsHeader = true
                return
            }
            close(unnamed)
        }
        #endif
        fd = SystemPath.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { failure = String(cString: strerror(errno)) } else { unlink(path) }
    }

    /// For a file that `holdsHeader`: appends what `produce` writes (the rest of the cache file)
    /// and puts the file at `target` by a link under a temporary name and a rename, as
    /// `LintCache.replace` would. Without `/proc` to link through, its contents are copied there.
    func complete(as target: String, _ produce: (_ out: ([UInt8]) throws -> Void) throws -> Void) throws {
        try produce { bytes in
            if let reason = Self.writeAll(bytes, to: fd) { throw CacheWriteError(path: target, message: reason) }
        }
        #if os(Linux)
        let temp = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let slot = InterruptCleanup.register(temp)
        defer { InterruptCleanup.release(slot) }
        if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, temp, AT_SYMLINK_FOLLOW) == 0 {
            guard rename(temp, target) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temp)
                throw CacheWriteError(path: target, message: reason)
            }
            return
        }
        #endif
        try LintCache.replace(target) { out in try copy(to: out) }
    }

    /// Passes the temporary file's contents to `out` in pieces.
    func copy(to out: ([UInt8]) throws -> Void) throws {
        guard fd >= 0 else { return }
        try FileDescriptorReading.forEachPiece(of: fd, pieceSize: Self.bufferSize,
                                               error: { CacheWriteError(path: path, message: FileDescriptorWriting.reason($0)) }, out)
    }

    mutating func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        buffer = ByteWriter()
        order = []
        holdsHeader = false
    }

    /// nil when every byte was written, else why not.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
        FileDescriptorWriting.writeAll(bytes, to: fd).map(FileDescriptorWriting.reason)
    }
}

package struct CacheWriteError: Error, CustomStringConvertible {
    package var path: String
    package var message: String
    package var description: String { "\(path): \(message)" }
}

/// One file's cached lint result.
package struct CacheEntry: Sendable {
    package var location: String
    package var stamp: FileStamp
    package var settled: Bool
    package var contentHash: UInt64
    package var byteCount: Int
    /// Diagnostics (stored without their path: decoded under the display path of the run).
    /// Empty when the entry was read without decoding them: then `storedDiagnostics` has them.
    package var diagnostics: [Diagnostic]
    /// The diagnostics as the entry's bytes, when read without decoding them (`decodingDiagnostics`).
    package var storedDiagnostics: SpilledDiagnostics?
    /// The source lines the pass captured (`LintSettings.captureSourceLines`; empty when that run
    /// did not): those the diagnostics point at and those cross-file findings on the file would
    /// (`CrossFileRule.quotedLine`), so a hit answers code frames without reading the file. When
    /// read without decoding, `storedDiagnostics.lines` has them.
    package var sourceLines: [Int: String] = [:]
    /// Longest line (UTF-8 bytes) an entry stores.
    package static let storedLineLimit = 4096
    /// Encoded cross-file facts by rule id (when decoded, slices of the loaded cache file: a cache
    /// hit hands them to the fact columns as they are).
    package var facts: [(rule: String, data: ArraySlice<UInt8>)]
    /// `digest(facts)`, stored so that a hit need not hash its facts again.
    package var factDigest: UInt64
    /// Other files the result depends on (local images a rule probed), with their stamp then
    /// (nil: missing). The entry is stale when any of them changed, appeared or vanished.
    package var dependencies: [(path: String, stamp: FileStamp?)] = []
    /// Suppression regions for cross-file findings (nil: none), when the pass computed them
    /// (`regionsKnown`): a hit then need not read the file to apply them.
    package var crossFileRegions: [Suppressions.Region]?
    package var regionsKnown = false
    /// Where its facts are in the cache file the run opened (nil: not read from it).
    package var factsInCache: CachedFactsLocation?

    package init(location: String, stamp: FileStamp, settled: Bool, contentHash: UInt64, byteCount: Int, diagnostics: [Diagnostic],
                 facts: [(rule: String, data: ArraySlice<UInt8>)], dependencies: [(path: String, stamp: FileStamp?)] = [],
                 crossFileRegions: [Suppressions.Region]? = nil, regionsKnown: Bool = false, factDigest: UInt64? = nil) {
        self.init(decodedAt: location, stamp: stamp, settled: settled, contentHash: contentHash, byteCount: byteCount,
                  diagnostics: diagnostics, storedDiagnostics: nil, sourceLines: [:], facts: facts,
                  factDigest: factDigest ?? CacheEntry.digest(facts), dependencies: dependencies,
                  crossFileRegions: crossFileRegions, regionsKnown: regionsKnown, factsInCache: nil)
    }

    /// An entry with every field set where it is built. A decoded entry assembled and then amended
    /// (stored diagnostics, lines, facts' place) was copied once more per cache hit (~380
    /// instructions: a retain and a release of each of its references).
    private init(decodedAt location: String, stamp: FileStamp, settled: Bool, contentHash: UInt64, byteCount: Int,
                 diagnostics: [Diagnostic], storedDiagnostics: SpilledDiagnostics?, sourceLines: [Int: String],
                 facts: [(rule: String, data: ArraySlice<UInt8>)], factDigest: UInt64, dependencies: [(path: String, stamp: FileStamp?)],
                 crossFileRegions: [Suppressions.Region]?, regionsKnown: Bool, factsInCache: CachedFactsLocation?) {
        self.location = location
        self.stamp = stamp
        self.settled = settled
        self.contentHash = contentHash
        self.byteCount = byteCount
        self.diagnostics = diagnostics
        self.storedDiagnostics = storedDiagnostics
        self.sourceLines = sourceLines
        self.facts = facts
        self.factDigest = factDigest
        self.dependencies = dependencies
        self.crossFileRegions = crossFileRegions
        self.regionsKnown = regionsKnown
        self.factsInCache = factsInCache
    }

    /// A digest of encoded facts (rule ids and bytes, in order).
    package static func digest(_ facts: [(rule: String, data: ArraySlice<UInt8>)]) -> UInt64 {
        facts.reduce(emptyDigest) { digest(adding: $1.rule, $1.data, to: $0) }
    }

    package static let emptyDigest: UInt64 = 0x243F_6A88_85A3_08D3

    /// `digest` one fact at a time.
    package static func digest(adding rule: String, _ data: ArraySlice<UInt8>, to h: UInt64) -> UInt64 {
        FastHash.mix(FastHash.mix(h ^ LintCache.pathHash(rule)) ^ ContentHash.hash(data))
    }

    /// Whether every dependency still has the stamp it had when the entry was made.
    package var dependenciesUnchanged: Bool { dependencies.allSatisfy { FileStamp.ofDependency($0.path) == $0.stamp } }

    /// The body with its facts last (`decode` with `facts`).
    package func encode(into w: inout ByteWriter) {
        encodeHead(into: &w)
        encodeTail(into: &w)
        encodeFacts(into: &w)
    }

    /// Bytes `encodeFacts` writes, or a little more (each length as its longest varint).
    package var encodedFactsCapacity: Int {
        facts.reduce(10) { $0 + 20 + $1.rule.utf8.count + $1.data.count }
    }

    /// Bytes `encodeHead` and `encodeTail` write, or about: exact sizes for what is stored as
    /// bytes, a guess per finding written fresh (a few bytes of numbers, its rule and message
    /// the first time the file names them) and per source line. A guess under the size
    /// costs one doubling, as before.
    package var encodedHeadAndTailCapacity: Int {
        var n = 64 + location.utf8.count
        if let stored = storedDiagnostics {
            n += stored.range.count + (stored.lines?.range.count ?? 0)
        } else {
            // A file's first findings carry their strings whole; later ones mostly name them by
            // number (a few bytes): a file with a million findings does not reserve 96 MB.
            n += 96 * min(diagnostics.count, 64) + 24 * max(0, diagnostics.count - 64)
            for (_, text) in sourceLines { n += 16 + text.utf8.count }
        }
        for d in dependencies { n += 64 + d.path.utf8.count }
        n += 32 * (crossFileRegions?.count ?? 0)
        return n
    }

    package func encodeFacts(into w: inout ByteWriter) {
        w.varint(UInt64(facts.count))
        for f in facts {
            w.string(f.rule)
            w.blob(f.data)
        }
    }

    /// The first part of the body (`encode`).
    /// Returns where in `w` the findings and the source-lines section went (`StoredSections`).
    @discardableResult
    package func encodeHead(into w: inout ByteWriter) -> StoredSections {
        w.string(location)
        stamp.encode(into: &w)
        w.byte(settled ? 1 : 0)
        w.u64(contentHash)
        w.varint(UInt64(byteCount))
        // In the output spill's form (`SpilledStrings`): a hit hands these bytes to the spill as they are.
        if let stored = storedDiagnostics {
            w.varint(UInt64(stored.count))
            let start = w.bytes.count
            w.bytes.append(contentsOf: stored.bytes[stored.range])
            let end = w.bytes.count
            if let lines = stored.lines { w.bytes.append(contentsOf: stored.bytes[lines.range]) } else { w.varint(0) }
            return StoredSections(findings: start..<end, count: stored.count, lines: end..<w.bytes.count, lineCount: stored.lines?.count ?? 0)
        }
        w.varint(UInt64(diagnostics.count))
        let start = w.bytes.count
        var strings = SpilledStrings.Writer()
        for d in diagnostics { w.diagnostic(d) { strings.write($1, to: &$0) } }
        let end = w.bytes.count
        w.sourceLines(sourceLines)
        return StoredSections(findings: start..<end, count: diagnostics.count, lines: end..<w.bytes.count, lineCount: sourceLines.count)
    }

    /// Where `encodeHead` put an entry's findings and its source-lines section (with its count).
    package struct StoredSections {
        package var findings: Range<Int>
        package var count: Int
        package var lines: Range<Int>
        package var lineCount: Int
    }

    /// The rest of the body before the facts (`encode`).
    package func encodeTail(into w: inout ByteWriter) {
        w.u64(factDigest)
        w.varint(UInt64(dependencies.count))
        for d in dependencies {
            w.string(d.path)
            if let st = d.stamp {
                w.byte(1)
                st.encode(into: &w)
            } else {
                w.byte(0)
            }
        }
        w.byte(regionsKnown ? 1 : 0)
        let regions = crossFileRegions ?? []
        w.varint(UInt64(regions.count))
        for r in regions { w.region(r) }
    }

    /// Decodes an entry's body (`encode`); nil for anything malformed (never trusted, never a crash).
    /// `withFacts` false: the body ends before its facts (`facts` is then empty). `location`:
    /// the path the entry must be for, compared byte for byte (nil: decoded from the entry);
    /// `displayPath`: the path the diagnostics get; `knownStrings`: see `RecentStrings.pinned`;
    /// `factsInCache`: where the entry's facts are in the cache file (`CacheEntry.factsInCache`).
    package static func decode(_ bytes: [UInt8], range: Range<Int>, withFacts: Bool = true, location expected: String? = nil,
                               displayPath: String = "", knownStrings: KnownStrings = KnownStrings(),
                               decodingDiagnostics: Bool = true, factsInCache: CachedFactsLocation? = nil) -> CacheEntry? {
        guard var name = expected else {
            return decode(bytes, range: range, withFacts: withFacts, expected: nil, named: nil, displayPath: displayPath,
                          knownStrings: knownStrings, decodingDiagnostics: decodingDiagnostics, factsInCache: factsInCache)
        }
        return name.withUTF8 {
            decode(bytes, range: range, withFacts: withFacts, expected: $0, named: expected, displayPath: displayPath,
                   knownStrings: knownStrings, decodingDiagnostics: decodingDiagnostics, factsInCache: factsInCache)
        }
    }

    /// `decode` with the location it must be for as bytes (`expected`; nil: decoded from the
    /// entry) and as a string (`name`; nil with `expected`: the entry's `location` is left empty).
    fileprivate static func decode(_ bytes: [UInt8], range: Range<Int>, withFacts: Bool, expected: UnsafeBufferPointer<UInt8>?, named name: String?,
                                   displayPath: String, knownStrings: KnownStrings,
                                   decodingDiagnostics: Bool, factsInCache: CachedFactsLocation?) -> CacheEntry? {
        var r = ByteReader(bytes, range: range)
        let location: String
        if let expected {
            guard let n = r.int(), let pathRange = r.skip(n), expected.count == n,
                  bytes.withUnsafeBufferPointer({ b in
                      guard n > 0 else { return true }
                      guard let p = expected.baseAddress, let q = b.baseAddress else { return false }
                      return memcmp(p, q + pathRange.lowerBound, n) == 0
                  }) else { return nil }
            location = name ?? ""
        } else {
            guard let decoded = r.string() else { return nil }
            location = decoded
        }
        guard let stamp = FileStamp.decode(&r), let settled = r.byte(), let hash = r.u64(), let byteCount = r.int(),
              let count = r.int() else { return nil }
        var diagnostics: [Diagnostic] = []
        var sourceLines: [Int: String] = [:]
        var stored: SpilledDiagnostics?
        var strings = RecentStrings(pinned: knownStrings)
        if decodingDiagnostics {
            var texts: [String] = []
            guard let decoded = r.spilledDiagnostics(count, path: displayPath, strings: &texts, recent: &strings),
                  let lines = r.sourceLines() else { return nil }
            diagnostics = decoded
            sourceLines = lines
        } else {
            let start = r.position
            var texts = 0
            for _ in 0..<count { guard r.skipSpilledDiagnostic(strings: &texts) else { return nil } }
            let end = r.position
            guard let lineCount = r.skipSourceLines() else { return nil }
            stored = SpilledDiagnostics(bytes: bytes, range: start..<end, count: count, lines: (end..<r.position, lineCount))
        }
        guard let factDigest = r.u64(), let dependencyCount = r.int() else { return nil }
        var dependencies: [(path: String, stamp: FileStamp?)] = []
        for _ in 0..<dependencyCount {
            guard let path = r.string(), let present = r.byte() else { return nil }
            if present == 0 { dependencies.append((path, nil)); continue }
            guard let st = FileStamp.decode(&r) else { return nil }
            dependencies.append((path, st))
        }
        guard let known = r.byte(), known <= 1, let regionCount = r.int() else { return nil }
        var regions: [Suppressions.Region] = []
        for _ in 0..<regionCount {
            guard let region = r.region() else { return nil }
            regions.append(region)
        }
        var facts: [(rule: String, data: ArraySlice<UInt8>)] = []
        if withFacts {
            guard let decoded = decodeFacts(&r, strings: &strings) else { return nil }
            facts = decoded
        }
        guard r.atEnd else { return nil }
        return CacheEntry(decodedAt: location, stamp: stamp, settled: settled == 1, contentHash: hash, byteCount: byteCount,
                          diagnostics: diagnostics, storedDiagnostics: stored, sourceLines: sourceLines, facts: facts,
                          factDigest: factDigest, dependencies: dependencies, crossFileRegions: regions.isEmpty ? nil : regions,
                          regionsKnown: known == 1, factsInCache: factsInCache)
    }

    /// A facts section (`encodeFacts`) that fills `range`; nil when malformed.
    package static func decodeFacts(_ bytes: [UInt8], range: Range<Int>) -> [(rule: String, data: ArraySlice<UInt8>)]? {
        var r = ByteReader(bytes, range: range)
        var strings = RecentStrings()
        guard let facts = decodeFacts(&r, strings: &strings), r.atEnd else { return nil }
        return facts
    }

    private static func decodeFacts(_ r: inout ByteReader, strings: inout RecentStrings) -> [(rule: String, data: ArraySlice<UInt8>)]? {
        guard let factCount = r.int() else { return nil }
        var facts: [(rule: String, data: ArraySlice<UInt8>)] = []
        facts.reserveCapacity(min(factCount, 64))
        for _ in 0..<factCount {
            guard let rule = r.string(&strings), let n = r.int(), let data = r.skip(n) else { return nil }
            facts.append((rule, r.bytes[data]))
        }
        return facts
    }
}

extension ByteReader {
    /// Steps over one diagnostic in the output spill's form (`SpilledStrings`; a cache entry
    /// stores them so), checking its framing as `spilledDiagnostics` would without building it;
    /// `strings`: how many strings the record has spelled out so far. False when malformed.
    /// The strings it spells out are validated as UTF-8 here: the output spill copies a hit's
    /// diagnostics and reads them back without validating them again, so what a cache file holds
    /// must be valid before it gets that far (the keyed checksum only says the cache wrote it).
    /// Edit replacements are bytes, never made into strings; they are checked too, so that an
    /// entry the cache could not have written is not used at all.
    package mutating func skipSpilledDiagnostic(strings: inout Int) -> Bool {
        skipDiagnostic(text: { $0.skipSpilledString(&strings) }, replacement: { $0.skipString(validating: true) })
    }

    /// Steps over a source-lines section (`ByteWriter.sourceLines`), checking its framing; the
    /// number of lines, nil when malformed. Their text is not validated here: `sourceLines()`
    /// leaves out a line that is not UTF-8 (the output then reads that line from the file).
    package mutating func skipSourceLines() -> Int? {
        guard let count = int() else { return nil }
        for _ in 0..<count {
            guard int() != nil, let n = int(), skip(n) != nil else { return nil }
        }
        return count
    }

    /// A source-lines section (`ByteWriter.sourceLines`); nil when its framing is malformed.
    /// `knownValid`: the section's texts are known to be valid UTF-8 (the output spill's, see
    /// `DiagnosticSpill.decodeAll`), so they are copied without validating them again (a quoted
    /// line is a whole line, often a minified page's: 31 M instructions of validation at agora ×1).
    package mutating func sourceLines(knownValid: Bool = false) -> [Int: String]? {
        guard let count = int() else { return nil }
        var lines: [Int: String] = [:]
        // Sized once (grown an insertion at a time, it was resized twice a file); the count is
        // the record's, so it is bounded here, not trusted.
        if count > 1 { lines.reserveCapacity(min(count, 4096)) }
        for _ in 0..<count {
            guard let n = int(), let length = int(), let range = skip(length) else { return nil }
            let text = bytes.withUnsafeBufferPointer { all in
                let line = UnsafeBufferPointer(rebasing: all[range])
                return knownValid ? String(knownValidUTF8: line) : String(exactUTF8: line)
            }
            if let text { lines[n] = text }
        }
        return lines
    }

    /// A stored source-lines section (`ByteWriter.sourceLines`, framing already checked) as the
    /// output spill may copy it, whose lines it reads back without validating them: the section
    /// itself when each line is valid UTF-8, else the section again without the lines that are
    /// not (as `sourceLines()` would have left them out; the output then reads them from the file).
    package static func spillableSourceLines(_ bytes: [UInt8], _ range: Range<Int>) -> ArraySlice<UInt8> {
        var r = ByteReader(bytes, range: range)
        guard let count = r.int() else { return bytes[range] }
        var valid = true
        for _ in 0..<count where valid {
            guard r.int() != nil, let length = r.int(), let text = r.skip(length) else { return bytes[range] }
            valid = bytes.withUnsafeBufferPointer { isValidUTF8(UnsafeBufferPointer(rebasing: $0[text])) }
        }
        if valid { return bytes[range] }
        var again = ByteReader(bytes, range: range)
        guard let lines = again.sourceLines() else { return bytes[range] }
        var w = ByteWriter()
        w.sourceLines(lines)
        return w.bytes[...]
    }

    private mutating func skipSpilledString(_ strings: inout Int) -> Bool {
        guard let ref = int() else { return false }
        if ref > 0 { return ref <= strings }
        guard skipString(validating: true) else { return false }
        strings += 1
        return true
    }

    /// Steps over one diagnostic written by `ByteWriter.diagnostic`, checking its framing (as
    /// `diagnostic(path:text:)` would) without building it; false when malformed.
    package mutating func skipDiagnostic() -> Bool {
        skipDiagnostic(text: { $0.skipString() }, replacement: { $0.skipString() })
    }

    /// The same with the rule id, message and fix description stepped over by `text`, and each
    /// edit's replacement by `replacement`.
    @inline(__always)
    package mutating func skipDiagnostic(text: (inout ByteReader) -> Bool, replacement: (inout ByteReader) -> Bool) -> Bool {
        guard text(&self), let sev = byte(), sev & ~ByteWriter.unlistedFlag <= 2,
              sev & ByteWriter.unlistedFlag == 0 || unlistedFindings() != nil, int() != nil, int() != nil, int() != nil, int() != nil,
              text(&self), let hasFix = byte(), hasFix <= 2 else { return false }
        if hasFix != 0 {
            guard text(&self), let editCount = int() else { return false }
            for _ in 0..<editCount {
                guard let lo = int(), let hi = int(), lo <= hi, replacement(&self) else { return false }
            }
        }
        return true
    }

    /// Steps over a length-prefixed string or blob; with `validating`, false also when the string
    /// is not valid UTF-8.
    package mutating func skipString(validating: Bool = false) -> Bool {
        guard let n = int(), let range = skip(n) else { return false }
        guard validating, !range.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { Self.isValidUTF8(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Whether `text` is valid UTF-8: its ASCII start is stepped over here, inlined (most rule
    /// ids, messages and replacements a cache hit checks are ASCII throughout, and the call to
    /// the validator cost more than the check), the rest from there by `UTF8Validation`.
    @inline(__always)
    package static func isValidUTF8(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let ascii = UTF8Validation.asciiPrefixLength(text)
        return ascii == text.count || UTF8Validation.firstInvalidOffset(in: UnsafeBufferPointer(rebasing: text[ascii...])) == nil
    }
}

/// Little-endian binary writer for the cache.
package struct ByteWriter {
    package var bytes: [UInt8] = []
    package init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }
    package mutating func byte(_ b: UInt8) { bytes.append(b) }
    package mutating func u64(_ v: UInt64) {
        var x = v
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }
    /// Most values (lengths, counts, lines, string numbers) take one byte: that case is inlined
    /// into the writers (called, a value was ~44 instructions; a spilled finding writes ~8).
    @inline(__always)
    package mutating func varint(_ v: UInt64) {
        if v < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v))
        } else {
            longVarint(v)
        }
    }
    @inline(never)
    private mutating func longVarint(_ v: UInt64) {
        // Two bytes (lines, columns, lengths up to 16 KB) without the loop.
        if v < 0x4000 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            bytes.append(UInt8(truncatingIfNeeded: v >> 7))
            return
        }
        // Three bytes (fix edits' offsets up to 2 MB: two a finding) without the loop (appended
        // as a raw buffer of three, they cost more: ~100 instructions a value).
        if v < 0x20_0000 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            bytes.append(UInt8(truncatingIfNeeded: v >> 7) | 0x80)
            bytes.append(UInt8(truncatingIfNeeded: v >> 14))
            return
        }
        var x = v
        while x >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }
    /// How many bytes `varint(v)` writes.
    package static func varintSize(_ v: UInt64) -> Int {
        var x = v, n = 1
        while x >= 0x80 { x >>= 7; n += 1 }
        return n
    }
    /// Source lines by number, ascending: the count, then each number and text (the output
    /// spill's record ends with this section, and a cache entry stores it so).
    package mutating func sourceLines(_ lines: [Int: String]) {
        varint(UInt64(lines.count))
        // Most records capture none (a format that quotes no line): sorting the empty
        // dictionary's pairs was ~240 instructions a file's record.
        guard !lines.isEmpty else { return }
        for (n, text) in lines.sorted(by: { $0.key < $1.key }) {
            varint(UInt64(max(0, n)))
            string(text)
        }
    }
    /// An empty blob (a fix deleting text: nearly every fix edit's replacement) is its length
    /// alone: appending its no bytes was a call of ~70 instructions a finding.
    package mutating func blob(_ b: [UInt8]) {
        varint(UInt64(b.count))
        if !b.isEmpty { bytes.append(contentsOf: b) }
    }
    package mutating func blob(_ b: ArraySlice<UInt8>) { varint(UInt64(b.count)); bytes.append(contentsOf: b) }
    /// The length and the bytes; returns where the bytes went in `bytes`. Inlined: called out of
    /// line, the spill's string writes cost ~0.8 M more at agora ×1.
    @inline(__always) @discardableResult
    package mutating func blob(_ b: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        varint(UInt64(b.count))
        let start = bytes.count
        bytes.append(contentsOf: b)
        return start..<bytes.count
    }
    package mutating func string(_ s: String) {
        // Read in place (a mutable copy for `withUTF8` retained and released the string).
        let wrote: Void? = s.utf8.withContiguousStorageIfAvailable { blob($0) }
        guard wrote == nil else { return }
        var s = s
        _ = s.withUTF8 { blob($0) }
    }
}

/// Bounds-checked reader: every accessor returns nil instead of reading past its range.
package struct ByteReader {
    package let bytes: [UInt8]
    package var position: Int
    package let end: Int

    package init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = max(0, min(range.lowerBound, bytes.count))
        self.end = max(position, min(range.upperBound, bytes.count))
    }

    package var atEnd: Bool { position == end }

    package mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return bytes[position]
    }
    /// One unaligned little-endian load (a byte at a time, with a bounds check each, it was ~40
    /// instructions a value; a cache hit reads nine of them, seven for its stamp).
    package mutating func u64() -> UInt64? {
        guard end - position >= 8 else { return nil }
        let at = position
        position += 8
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    }
    /// Most values (lengths, counts, lines, columns, string references) fit in one byte, and
    /// fix edits' offsets in two: those cases are inlined into the readers (a call per value was
    /// ~30 instructions of a spilled finding's ~15 values), longer ones take the loop.
    @inline(__always)
    package mutating func varint() -> UInt64? {
        guard position < end else { return nil }
        let first = bytes[position]
        if first < 0x80 {
            position += 1
            return UInt64(first)
        }
        if position + 1 < end, bytes[position + 1] < 0x80 {
            defer { position += 2 }
            return UInt64(first & 0x7F) | UInt64(bytes[position + 1]) << 7
        }
        return longVarint()
    }

    @inline(never)
    private mutating func longVarint() -> UInt64? {
        // Three bytes (fix edits' offsets up to 2 MB: two a finding) without the loop. `varint()`
        // comes here only when the first byte continues (and the second too, when there is one).
        if end - position >= 3, bytes[position + 1] >= 0x80, bytes[position + 2] < 0x80 {
            defer { position += 3 }
            return UInt64(bytes[position] & 0x7F) | UInt64(bytes[position + 1] & 0x7F) << 7 | UInt64(bytes[position + 2]) << 14
        }
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while let b = byte() {
            if shift > 63 { return nil }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }
    /// A non-negative Int (rejects absurd values rather than trapping). Inlined into its readers:
    /// called, it took ~22 instructions a value, and a warm run over agora ×10 reads millions.
    @inline(__always)
    package mutating func int() -> Int? {
        guard let v = varint(), v <= UInt64(Int32.max) else { return nil }
        return Int(v)
    }
    package mutating func skip(_ n: Int) -> Range<Int>? {
        guard n >= 0, end - position >= n else { return nil }
        defer { position += n }
        return position..<(position + n)
    }
    package mutating func string() -> String? {
        guard let n = int(), let range = skip(n) else { return nil }
        return bytes.withUnsafeBufferPointer { String(exactUTF8: UnsafeBufferPointer(rebasing: $0[range])) }
    }
    /// A string the caller knows this program wrote from a `String` (`String(knownValidUTF8:)`:
    /// not validated again).
    package mutating func knownValidString() -> String? {
        guard let n = int(), let range = skip(n) else { return nil }
        return bytes.withUnsafeBufferPointer { String(knownValidUTF8: UnsafeBufferPointer(rebasing: $0[range])) }
    }
    /// A blob that is a fix edit's replacement, shared through `recent` with an equal one decoded lately.
    package mutating func replacement(_ recent: inout RecentStrings) -> [UInt8]? {
        guard let n = int(), let range = skip(n) else { return nil }
        return bytes.withUnsafeBufferPointer { recent.replacement(UnsafeBufferPointer(rebasing: $0[range])) }
    }
    /// A string, handed out from `recent` when it was decoded lately.
    package mutating func string(_ recent: inout RecentStrings) -> String? {
        guard let n = int(), let range = skip(n) else { return nil }
        return bytes.withUnsafeBufferPointer { recent.string(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// The one-byte codes of the stored diagnostic layout, spelled once for its writer
/// (`ByteWriter.diagnostic`) and its three readers (the decoder, the spill's and the stored
/// cross-file result's framers): 0 info, 1 warning, 2 error.
extension Severity {
    @inline(__always) var storedByte: UInt8 { self == .error ? 2 : (self == .warning ? 1 : 0) }

    /// Nil for a byte the writer never makes.
    @inline(__always) init?(storedByte: UInt8) {
        switch storedByte {
        case 0: self = .info
        case 1: self = .warning
        case 2: self = .error
        default: return nil
        }
    }
}

/// A fix's kind in the stored layout: 1 safe, 2 unsafe (0: no fix).
extension Applicability {
    @inline(__always) var storedByte: UInt8 { self == .safe ? 1 : 2 }

    /// Nil for 0 (no fix) and for a byte the writer never makes.
    @inline(__always) init?(storedByte: UInt8) {
        switch storedByte {
        case 1: self = .safe
        case 2: self = .unsafe
        default: return nil
        }
    }
}

/// The compact binary form of a diagnostic, shared by the cache and the output spill.
extension ByteWriter {
    /// Set in a finding's severity byte when the counts of the findings it stands for follow it
    /// (`Diagnostic.unlisted`: the listing cap's "N more … not listed" finding alone).
    package static let unlistedFlag: UInt8 = 0x80

    /// `UnlistedFindings` as five varints: infos, warnings, errors, safe fixes, unsafe fixes.
    package mutating func unlistedFindings(_ u: UnlistedFindings) {
        for n in [u.infos, u.warnings, u.errors, u.safeFixes, u.unsafeFixes] { varint(UInt64(max(0, n))) }
    }

    package mutating func diagnostic(_ d: Diagnostic) {
        diagnostic(d) { $0.string($1) }
    }

    /// The same with the rule id, message and fix description written by `text` (the output
    /// spill numbers the ones a file repeats).
    package mutating func diagnostic(_ d: Diagnostic, text: (inout ByteWriter, String) -> Void) {
        withUnsafePointer(to: d) { diagnostic(at: $0, text: text) }
    }

    /// The same for the finding at `d`, its fields read where it is: handed the finding, the
    /// output spill copied each one first (a retain and a release of each of its strings, and
    /// an outlined destroy: ~130 instructions a finding in the destroy alone).
    @inline(__always)
    package mutating func diagnostic(at d: UnsafePointer<Diagnostic>, text: (inout ByteWriter, String) -> Void) {
        text(&self, d.pointee.rule)
        if let unlisted = d.pointee.unlisted {
            byte(d.pointee.severity.storedByte | Self.unlistedFlag)
            unlistedFindings(unlisted)
        } else {
            byte(d.pointee.severity.storedByte)
        }
        varint(UInt64(max(0, d.pointee.line)))
        varint(UInt64(max(0, d.pointee.column)))
        varint(d.pointee.endLine.map { UInt64(max(0, $0)) + 1 } ?? 0)
        varint(d.pointee.endColumn.map { UInt64(max(0, $0)) + 1 } ?? 0)
        text(&self, d.pointee.message)
        if let fix = d.pointee.fix {
            byte(fix.applicability.storedByte)
            text(&self, fix.description)
            // Read in place (`edits` makes an array of a fix's inline edit).
            varint(UInt64(fix.editCount))
            fix.forEachEdit { e in
                varint(UInt64(e.range.lowerBound))
                varint(UInt64(e.range.upperBound))
                blob(e.replacement)
            }
        } else {
            byte(0)
        }
    }
}

extension ByteReader {
    /// A diagnostic written by `ByteWriter.diagnostic` (which does not store the path); nil when malformed.
    /// Rule ids, messages and fix descriptions are shared through `strings` (one per stream).
    package mutating func diagnostic(path: String, strings: inout RecentStrings) -> Diagnostic? {
        diagnostic(path: path, recent: &strings) { $0.string(&$1) }
    }

    /// The same with the rule id, message and fix description read by `text`; fix replacements
    /// are shared through `recent` (`RecentStrings.replacement`). Inlined into its few readers
    /// (the spill's, the cross-file results', the sorted runs'), where `text` is then a direct
    /// call: called, it cost ~280 instructions more a finding on the spill's decoding thread.
    @inline(__always)
    package mutating func diagnostic(path: String, recent: inout RecentStrings,
                                     text: (inout ByteReader, inout RecentStrings) -> String?) -> Diagnostic? {
        guard let rule = text(&self, &recent), var sev = byte() else { return nil }
        var unlisted: UnlistedFindings?
        if sev & ByteWriter.unlistedFlag != 0 {
            guard let counts = unlistedFindings() else { return nil }
            unlisted = counts
            sev &= ~ByteWriter.unlistedFlag
        }
        guard let line = int(), let column = int(),
              let endLine = int(), let endColumn = int(), let message = text(&self, &recent), let hasFix = byte(),
              let severity = Severity(storedByte: sev) else { return nil }
        // The fix is stored into the finding as it is made: made apart and handed to the init,
        // it was copied there and destroyed (a retain and a release of each of its parts).
        var d = Diagnostic(rule: rule, severity: severity, path: path, line: line, column: column,
                           endLine: endLine == 0 ? nil : endLine - 1, endColumn: endColumn == 0 ? nil : endColumn - 1,
                           message: message)
        if hasFix != 0 {
            guard let applicability = Applicability(storedByte: hasFix), let description = text(&self, &recent), let editCount = int() else { return nil }
            if editCount == 1 {
                // Nearly every fix has one edit: held inline by the fix, no array allocated.
                guard let lo = int(), let hi = int(), lo <= hi, let replacement = replacement(&recent) else { return nil }
                d.fix = Fix(applicability, description, edit: Edit(range: lo..<hi, replacement: replacement))
            } else {
                var edits: [Edit] = []
                edits.reserveCapacity(min(editCount, 64))
                for _ in 0..<editCount {
                    guard let lo = int(), let hi = int(), lo <= hi, let replacement = replacement(&recent) else { return nil }
                    edits.append(Edit(range: lo..<hi, replacement: replacement))
                }
                d.fix = Fix(applicability, description, edits: edits)
            }
        }
        if let unlisted { d.unlisted = unlisted }
        return d
    }

    /// Counts written by `ByteWriter.unlistedFindings`; nil when malformed.
    package mutating func unlistedFindings() -> UnlistedFindings? {
        guard let infos = int(), let warnings = int(), let errors = int(), let safe = int(), let unsafe = int() else { return nil }
        return UnlistedFindings(infos: infos, warnings: warnings, errors: errors, safeFixes: safe, unsafeFixes: unsafe)
    }
}

/// The compact form of a suppression region (cross-file findings are checked against it).
extension ByteWriter {
    package mutating func region(_ r: Suppressions.Region) {
        varint(UInt64(max(0, r.directive)))
        if let names = r.names {
            byte(1)
            strings(names)
        } else {
            byte(0)
        }
        strings(r.except)
        varint(UInt64(max(0, r.lines.lowerBound)))
        varint(UInt64(max(0, r.lines.upperBound)))
    }

    /// A set of strings, sorted so equal sets encode alike.
    private mutating func strings(_ set: Set<String>) {
        varint(UInt64(set.count))
        for s in set.sorted() { string(s) }
    }
}

extension ByteReader {
    package mutating func region() -> Suppressions.Region? {
        guard let directive = int(), let hasNames = byte(), hasNames <= 1 else { return nil }
        var names: Set<String>?
        if hasNames == 1 {
            guard let set = strings() else { return nil }
            names = set
        }
        guard let except = strings(), let lower = int(), let upper = int(), lower <= upper else { return nil }
        return Suppressions.Region(directive: directive, names: names, except: except, lines: lower...upper)
    }

    private mutating func strings() -> Set<String>? {
        guard let count = int() else { return nil }
        var set = Set<String>()
        for _ in 0..<count {
            guard let s = string() else { return nil }
            set.insert(s)
        }
        return set
    }
}

/// Where a cache entry's facts are in the cache file, and the checksum they must have (stated in
/// the part of the entry that was verified when it was used).
package struct CachedFactsLocation: Sendable, Equatable {
    package var offset: Int
    package var length: Int
    package var checksum: UInt64
}

/// The per-directory secret of the cache checksums: 16 random bytes in `cache.key`, created once
/// with mode 0600 (exclusive create, so concurrent runs agree on one key).
package enum CacheKeyFile {
    package static let name = "cache.key"

    /// Whether `name` is the key file or one of its temporaries (written by `load`).
    package static func isOwnName(_ name: String) -> Bool {
        name == self.name || name.hasPrefix(self.name + temporaryMark)
    }

    private static let temporaryMark = ".tmp-"

    package static func load(directory: String) -> (UInt64, UInt64)? {
        let path = directory + "/" + name
        if let key = read(path) { return key }
        var rng = SystemRandomNumberGenerator()
        let key = (rng.next() as UInt64, rng.next() as UInt64)
        var bytes: [UInt8] = []
        for v in [key.0, key.1] { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
        // Written beside it and linked into place, so no reader ever sees a short key file; a
        // damaged one (a crash in an older version, an empty file) is replaced, which only makes
        // the entries written under it fail their checksums.
        let temp = path + temporaryMark + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, 16) }
        close(fd)
        defer { unlink(temp) }
        guard written == 16 else { return nil }
        if link(temp, path) == 0 { return key }
        // Another run got there first (its key is whole: it was linked complete), or the file is damaged.
        if errno == EEXIST {
            if let theirs = read(path) { return theirs }
            guard rename(temp, path) == 0 else { return nil }
            return read(path)
        }
        return nil
    }

    private static func read(_ path: String) -> (UInt64, UInt64)? {
        guard case let .bytes(b) = FileReader.read(path, maxSize: 64), b.count == 16 else { return nil }
        var r = ByteReader(b, range: 0..<16)
        guard let a = r.u64(), let c = r.u64() else { return nil }
        return (a, c)
    }
}
