import Foundation
import NewsLintCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which hosts online mode may contact. A linter run in CI over an untrusted corpus must not
/// become a way to probe the CI machine's network: loopback, private, link-local, multicast and
/// unspecified addresses are refused (checked on every redirect hop, after DNS resolution) unless
/// `allowPrivateHosts` was given on the command line.
package enum HostPolicy {
    /// Why `url` may not be requested, or nil when it may.
    package static func refusal(_ url: URL, allowPrivate: Bool) -> String? {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return "only http and https URLs are checked" }
        guard var host = url.host, !host.isEmpty else { return "not a valid URL" }
        if allowPrivate { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if isLocalhostName(host) { return "host not allowed (private, local or multicast address)" }
        let addresses = resolve(host)
        // An unresolvable name is not requested (the HTTP client may resolve it another way: curl
        // answers `*.localhost` itself, with 127.0.0.1) and gets the same answer as an unreachable
        // host, so it tells nothing about which names resolve.
        if addresses.isEmpty { return OnlineChecker.noAnswer }
        if addresses.contains(where: isRestricted) { return "host not allowed (private, local or multicast address)" }
        return nil
    }

    /// `localhost`, a name below it (RFC 6761: always loopback, and resolved by curl without
    /// asking the system) and their spellings with a final dot, in any case.
    package static func isLocalhostName(_ host: String) -> Bool {
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name == "localhost" || name.hasSuffix(".localhost")
    }

    /// An address as bytes: 4 for IPv4, 16 for IPv6.
    package static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [[UInt8]] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let info = p {
            if let sa = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    out.append(withUnsafeBytes(of: &a) { Array($0) })
                } else if info.pointee.ai_family == AF_INET6 {
                    var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    out.append(withUnsafeBytes(of: &a) { Array($0) })
                }
            }
            p = info.pointee.ai_next
        }
        return out
    }

    /// Loopback, private, shared (CGNAT), link-local, multicast, broadcast, unspecified and
    /// reserved ranges, for IPv4 and IPv6 (IPv4-mapped and NAT64-embedded addresses judged as IPv4).
    package static func isRestricted(_ a: [UInt8]) -> Bool {
        if a.count == 4 {
            switch (a[0], a[1]) {
            case (0, _), (10, _), (127, _), (224...255, _): return true
            case (100, 64...127), (169, 254), (172, 16...31), (192, 168), (198, 18...19): return true
            case (192, 0) where a[2] == 0 || a[2] == 2: return true
            default: return false
            }
        }
        guard a.count == 16 else { return true }
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xFF && a[11] == 0xFF { return isRestricted(Array(a[12..<16])) }
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B { return isRestricted(Array(a[12..<16])) }
        if a[0..<15].allSatisfy({ $0 == 0 }) { return true }                    // :: and ::1
        if a[0..<12].allSatisfy({ $0 == 0 }) { return true }                    // IPv4-compatible (deprecated)
        if a[0] & 0xFE == 0xFC { return true }                                  // fc00::/7 unique local
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return true }                  // fe80::/10 link-local
        if a[0] == 0xFE && a[1] & 0xC0 == 0xC0 { return true }                  // fec0::/10 site-local
        if a[0] == 0xFF { return true }                                          // multicast
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return true } // documentation
        return false
    }
}

/// Hands every redirect back unfollowed (the 3xx becomes the task's response), so the checker
/// validates each hop's scheme and address before requesting it.
package final class NoRedirectDelegate: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    package func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
