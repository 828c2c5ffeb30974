import Foundation
import NewsLintCore
import NewsLintEngine

/// The `newslint-online` side of `HelperURLChecker`: a request (image settings and URLs, JSON)
/// in, the `OnlineChecker` results (JSON) out.
package enum OnlineHelperService {
    /// The response to `input`, or nil when it is not a request.
    package static func respond(to input: Data) -> Data? {
        guard let request = try? JSONDecoder().decode(OnlineHelper.Request.self, from: input) else { return nil }
        let results: OnlineHelper.Response = OnlineChecker(settings: request.settings).check(request.urls)
        return try? JSONEncoder().encode(results)
    }
}
