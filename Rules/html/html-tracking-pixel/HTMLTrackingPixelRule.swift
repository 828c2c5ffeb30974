import Foundation
import NewsLintCore

/// `html-tracking-pixel`: images that are not pictures but beacons: 1×1 or 0×0 `<img>` (by
/// `width`/`height` attributes or an inline style) and images served by known analytics hosts.
/// Scrapers copy them with the article; in a text corpus they are noise and leak readers'
/// requests to trackers. The fix deletes the tag (nothing visible is lost).
public struct HTMLTrackingPixelRule: Rule, RuleWithOptions {
    public static let id = "html-tracking-pixel"
    package let hosts: [String]

    public struct Options: Decodable, Sendable { var hosts: [String] }

    public init(options: RuleOptions) throws {
        hosts = try Self.decodeOptions(options).hosts.map { $0.lowercased() }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        let view = document.html
        for token in view.tokens where token.kind == .startTag && view.isTag(token, named: "img", in: bytes) {
            var reason: String?
            let width = dimension(view.attributeValue(token, named: "width", in: bytes), bytes) ?? styleDimension(token, view, bytes, "width")
            let height = dimension(view.attributeValue(token, named: "height", in: bytes), bytes) ?? styleDimension(token, view, bytes, "height")
            if let width, let height, width <= 1, height <= 1 {
                reason = "\(width)×\(height) image (a tracking pixel, not a picture)"
            } else if let src = view.attributeValue(token, named: "src", in: bytes) {
                let url = String(decoding: bytes[src], as: UTF8.self).lowercased()
                let afterScheme = url.range(of: "//").map { String(url[$0.upperBound...]) } ?? url
                if let host = hosts.first(where: { afterScheme.hasPrefix($0) }) {
                    reason = "image from the tracking host \(host)"
                }
            }
            guard let reason else { continue }
            sink.report(token.range, reason, fix: Fix(.safe, "delete the tracking image", edits: [.delete(HTMLText.deletionRange(bytes, token.range, within: view.range))]))
        }
    }

    /// `1`, `1px`, `0` → the number; percentages and other units are not pixels.
    package func dimension(_ range: Range<Int>?, _ bytes: [UInt8]) -> Int? {
        guard let range else { return nil }
        var text = String(decoding: bytes[range], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasSuffix("px") { text.removeLast(2) }
        return Int(text)
    }

    package func styleDimension(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], _ property: String) -> Int? {
        guard let style = view.attributeValue(token, named: "style", in: bytes) else { return nil }
        let text = String(decoding: bytes[style], as: UTF8.self).lowercased().replacingOccurrences(of: " ", with: "")
        for declaration in text.split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == property else { continue }
            var value = String(parts[1])
            if value.hasSuffix("px") { value.removeLast(2) }
            return Int(value)
        }
        return nil
    }
}
