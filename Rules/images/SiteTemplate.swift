import Foundation
import NewsLintCore

/// Liquid (Jekyll) and Go-template (Hugo) tags in an image source: `{{ … }}` and `{% … %}`, which
/// the site generator replaces before any browser (or Markdown parser) sees the source. A source
/// made of known site-root tags (`{{ site.baseurl }}`, `{{ site.url }}`,
/// `{{ "/x.png" | relative_url }}` and its kin, `{% link x.png %}`) followed by a path names a
/// site-root path that can be checked like `/x.png`; any other tag makes the source unknowable
/// (`/img/{{ page.slug }}.png`, Hugo shortcodes such as `{{< relref "x.md" >}}`), and it is skipped.
///
/// Hugo's own site-root tags (`{{ .Site.BaseURL }}`, `{{ "x.png" | relURL }}`, `absURL`) are Go
/// template actions, which Hugo executes in its layouts only: in a content file (the posts this
/// linter reads; the `hugo` preset leaves `layouts/` out) only shortcodes (`{{< … >}}`,
/// `{{% … %}}`) are processed, and the action reaches the page as the text written, so the image
/// is broken (`unexpanded`). Jekyll renders Liquid in posts and pages: its tags are resolved.
package enum SiteTemplate {
    package enum Resolution: Equatable {
        /// No template tag in the source.
        case none
        /// The site-root path the tags stand for (starts with `/`), with the source's literal rest.
        case siteRooted([UInt8])
        /// A tag whose output is unknown: the source cannot be checked.
        case opaque
        /// A Hugo template action (the tag's text), which Hugo does not execute in content.
        case unexpanded(String)
    }

    /// What `src` names once its template tags are rendered. Sources without `{{`/`{%` (nearly
    /// all) are told apart eight bytes a step by the absence of `{`.
    package static func resolve(_ src: [UInt8]) -> Resolution {
        guard mayHoldTag(src) else { return .none }
        guard let first = tagStart(src, from: 0) else { return .none }
        // A tag after literal text (`/img/{{ page.slug }}.png`, `https://{{ site.cdn }}/a.png`).
        guard first == 0 else { return .opaque }
        var i = 0
        var afterPrefix = false
        while let open = tagStart(src, from: i), open == i {
            guard let tag = readTag(src, at: i) else { return .opaque }
            if tag.isHugoAction { return .unexpanded(String(decoding: src[open..<tag.next], as: UTF8.self)) }
            i = tag.next
            switch tag.meaning {
            case .prefix:
                afterPrefix = true
            case let .path(path):
                // A whole site path (`relative_url`, `{% link %}`): the rest is literal (a query, a fragment).
                let rest = src[i...]
                guard tagStart(src, from: i) == nil else { return .opaque }
                return .siteRooted(rooted(path) + rest)
            case .unknown:
                return .opaque
            }
        }
        let rest = src[i...]
        guard afterPrefix, !rest.isEmpty, tagStart(src, from: i) == nil else { return .opaque }
        // Jekyll's baseurl and url do not end with `/`, so `{{ site.baseurl }}img/a.png` depends on the site's setting.
        return rest.first == slash ? .siteRooted(Array(rest)) : .opaque
    }

    private static let slash: UInt8 = 0x2F

    private enum Meaning {
        /// The site's base URL or path, before a site-root path.
        case prefix
        /// A site path relative to the site root (with or without a leading `/`).
        case path(ArraySlice<UInt8>)
        case unknown
    }

    /// `/` + `path` without its leading slashes.
    private static func rooted(_ path: ArraySlice<UInt8>) -> [UInt8] {
        [slash] + path.drop(while: { $0 == slash })
    }

    @inline(__always)
    private static func mayHoldTag(_ src: [UInt8]) -> Bool {
        src.withUnsafeBytes { raw -> Bool in
            var i = 0
            while i &+ 8 <= raw.count {
                if ByteWords.has(0x7B, in: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
                i &+= 8
            }
            while i < raw.count {
                if raw[i] == 0x7B { return true }
                i &+= 1
            }
            return false
        }
    }

    /// The index of the first `{{` or `{%` at or after `from`.
    private static func tagStart(_ src: [UInt8], from: Int) -> Int? {
        var i = from
        while i + 1 < src.count {
            if src[i] == 0x7B, src[i + 1] == 0x7B || src[i + 1] == 0x25 { return i }
            i += 1
        }
        return nil
    }

    /// The tag opening at `i`: what it means, the index after its closer, and whether it is one of
    /// Hugo's site-root actions (`hugoSiteRootVariable`, `hugoSitePathFilters`) (nil: unclosed).
    private static func readTag(_ src: [UInt8], at i: Int) -> (meaning: Meaning, next: Int, isHugoAction: Bool)? {
        let isOutput = src[i + 1] == 0x7B  // `{{ … }}`, else `{% … %}`
        let closer: UInt8 = isOutput ? 0x7D : 0x25
        var j = i + 2
        while j + 1 < src.count, !(src[j] == closer && src[j + 1] == 0x7D) { j += 1 }
        guard j + 1 < src.count else { return nil }
        var inner = src[(i + 2)..<j]
        // Whitespace control (`{{- … -}}`, `{%- … -%}`); Hugo shortcodes (`{{< … >}}`, `{{% … %}}`) stay unknown.
        if inner.first == 0x2D { inner = inner.dropFirst() }
        if inner.last == 0x2D { inner = inner.dropLast() }
        inner = trimmed(inner)
        return (isOutput ? outputMeaning(inner) : tagMeaning(inner), j + 2, isOutput && isHugoAction(inner))
    }

    /// Hugo's site-root variable and its site-path functions (Jekyll's are `site.baseurl`, `relative_url`, `absolute_url`).
    private static let hugoSiteRootVariable = Array(".Site.BaseURL".utf8)
    private static let hugoSitePathFilters: [[UInt8]] = ["relURL", "absURL"].map { Array($0.utf8) }

    /// Whether the output tag's text `inner` is `.Site.BaseURL` or a string piped to `relURL` or `absURL`.
    private static func isHugoAction(_ inner: ArraySlice<UInt8>) -> Bool {
        if inner.elementsEqual(hugoSiteRootVariable) { return true }
        guard let bar = inner.lastIndex(of: 0x7C) else { return false }
        let filter = trimmed(inner[(bar + 1)...])
        return hugoSitePathFilters.contains { filter.elementsEqual($0) }
    }

    private static let siteRootVariables: [[UInt8]] = ["site.baseurl", "site.url"].map { Array($0.utf8) }
    /// Filters that make a site path of a string: Jekyll's `relative_url`/`absolute_url`.
    private static let sitePathFilters: [[UInt8]] = ["relative_url", "absolute_url"].map { Array($0.utf8) }

    /// `site.baseurl` and kin, or `"path" | relative_url` and kin.
    private static func outputMeaning(_ inner: ArraySlice<UInt8>) -> Meaning {
        if siteRootVariables.contains(where: { inner.elementsEqual($0) }) { return .prefix }
        guard let quote = inner.first, quote == 0x22 || quote == 0x27,
              let close = inner.dropFirst().firstIndex(of: quote) else { return .unknown }
        let after = trimmed(inner[(close + 1)...])
        guard after.first == 0x7C else { return .unknown }
        let filter = trimmed(after.dropFirst())
        guard sitePathFilters.contains(where: { filter.elementsEqual($0) }) else { return .unknown }
        return .path(inner[(inner.startIndex + 1)..<close])
    }

    private static let linkTag = Array("link".utf8)

    /// `{% link path %}` (Jekyll: a file of the site, relative to its root).
    private static func tagMeaning(_ inner: ArraySlice<UInt8>) -> Meaning {
        guard inner.starts(with: linkTag), inner.count > linkTag.count,
              isSpace(inner[inner.startIndex + linkTag.count]) else { return .unknown }
        let path = trimmed(inner.dropFirst(linkTag.count))
        guard !path.isEmpty, !path.contains(where: isSpace) else { return .unknown }
        return .path(path)
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    private static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return s
    }
}
