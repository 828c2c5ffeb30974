import Foundation
import NewsLintCore

/// Online checks run in a second executable, `newslint-online`, built with `newslint` and
/// installed beside it. URLSession lives in FoundationNetworking, which brings libcurl and its
/// TLS, Kerberos and LDAP libraries (35 of the 51 shared objects `newslint` loaded): linking it
/// cost every offline run about a third of its start-up. Only a run that checks remote images
/// pays for it now, once, when the helper starts.
package enum OnlineHelper {
    /// The helper's file name.
    package static let name = "newslint-online"

    /// The helper beside the running executable (symlinks resolved), or nil when it is not there.
    package static func locate() -> String? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        let candidate = executable.deletingLastPathComponent().appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// What the helper reads on stdin: the run's image settings and the URLs to check.
    package struct Request: Codable, Sendable {
        package var settings: ImageSettings
        package var urls: [String]
        package init(settings: ImageSettings, urls: [String]) {
            self.settings = settings
            self.urls = urls
        }
    }

    /// What the helper writes on stdout: one result per requested URL.
    package typealias Response = [String: URLCheckResult]
}

/// Online mode was asked for but `newslint-online` is not installed beside `newslint`.
package struct OnlineHelperMissing: Error, CustomStringConvertible {
    package var description: String {
        "online image checks need the '\(OnlineHelper.name)' executable beside newslint (it is built with newslint by `swift build`; install both)"
    }
}

/// The `URLChecker` of a run: hands the URLs to `newslint-online` (one process per call) and
/// remembers the answers, so every URL is checked once per run, as `OnlineChecker` does in-process.
package final class HelperURLChecker: URLChecker, @unchecked Sendable {
    package let settings: ImageSettings
    package let helper: String
    private let memo = Locked<[String: URLCheckResult]>([:])

    package init(settings: ImageSettings, helper: String) {
        self.settings = settings
        self.helper = helper
    }

    package func check(_ urls: [String]) -> [String: URLCheckResult] {
        var results: [String: URLCheckResult] = [:]
        var todo: [String] = []
        memo.withLock { known in
            for url in Set(urls) {
                if let r = known[url] { results[url] = r } else { todo.append(url) }
            }
        }
        guard !todo.isEmpty else { return results }
        let fresh = run(OnlineHelper.Request(settings: settings, urls: todo.sorted()))
        memo.withLock { known in for (url, r) in fresh { known[url] = r } }
        results.merge(fresh) { $1 }
        return results
    }

    /// One helper process: the request on its stdin, the answers from its stdout. The helper reads
    /// all of stdin before it writes, so writing first and then reading cannot block on a full pipe.
    /// Its stderr is ours. A helper that fails leaves every URL with the reason, reported as unreachable.
    private func run(_ request: OnlineHelper.Request) -> [String: URLCheckResult] {
        func failed(_ why: String) -> [String: URLCheckResult] {
            Dictionary(uniqueKeysWithValues: request.urls.map { ($0, URLCheckResult(ok: false, detail: "not checked: \(why)")) })
        }
        guard let input = try? JSONEncoder().encode(request) else { return failed("the request could not be encoded") }
        // The request reaches the helper as an unlinked temporary file on its stdin, not through a
        // pipe: a helper that exits before reading (it cannot load, it crashed) must not end this
        // run with SIGPIPE.
        guard let requestFile = Self.unlinkedFile(holding: input) else { return failed("the request could not be written to the temporary directory") }
        defer { try? requestFile.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        let stdout = Pipe()
        process.standardInput = requestFile
        process.standardOutput = stdout
        do { try process.run() } catch { return failed("\(OnlineHelper.name) did not start (\(error))") }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0,
              let response = try? JSONDecoder().decode(OnlineHelper.Response.self, from: output) else {
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "killed by signal \(process.terminationStatus)"
            return failed("\(OnlineHelper.name) failed (\(how))")
        }
        var results = response
        for url in request.urls where results[url] == nil { results[url] = URLCheckResult(ok: false, detail: "not checked: no answer from \(OnlineHelper.name)") }
        return results
    }

    /// A file under `TMPDIR` holding `bytes`, open for reading from the start and already unlinked.
    private static func unlinkedFile(holding bytes: Data) -> FileHandle? {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = directory + "/newslint-online-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        unlink(path)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: bytes)
            try handle.seek(toOffset: 0)
        } catch {
            return nil
        }
        return handle
    }
}
