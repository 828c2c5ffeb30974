import Foundation

/// The `images` section of `.lint.json`: where root-relative image paths live and how
/// online mode checks remote images. Validated field by field with positions. Codable: online checks hand it
/// to the `newslint-online` helper.
public struct ImageSettings: Sendable, Equatable, Codable {
    /// Check remote images over the network (`--online`).
    public var online = false
    /// Absolute directories that root-relative sources (`/img/a.jpg`) are resolved against, in order.
    public var roots: [String] = []
    /// Seconds before a request is abandoned.
    public var timeout: Double = 10
    /// Extra attempts after a timeout, connection failure or 5xx answer.
    public var retries = 1
    /// Requests in flight at once.
    public var concurrency = 8
    /// Requests in flight to one host at once.
    public var perHost = 2
    /// Absolute path of the on-disk result cache; nil disables it.
    public var cacheFile: String?
    /// Seconds a cached result stays valid.
    public var cacheMaxAge: Double = 86_400
    public var userAgent = "newslint-image-check/1.0"
    /// Let online checks contact loopback, private, link-local and multicast addresses. Only the
    /// command line (or a user config) can set it: a repository's `.lint.json` is ignored here,
    /// since the corpus being linted may be the attacker.
    public var allowPrivateHosts = false

    public init() {}

    /// Command-line values that win over the config.
    public struct Overrides: Sendable, Equatable {
        public var online: Bool?
        public var timeout: Double?
        public var cacheFile: String?
        public var noCache = false
        public var allowPrivateHosts: Bool?
        public init() {}
    }

    public func applying(_ o: Overrides) -> ImageSettings {
        var s = self
        if let v = o.online { s.online = v }
        if let v = o.timeout { s.timeout = v }
        if let v = o.cacheFile { s.cacheFile = v }
        if o.noCache { s.cacheFile = nil }
        if let v = o.allowPrivateHosts { s.allowPrivateHosts = v }
        return s
    }
}
