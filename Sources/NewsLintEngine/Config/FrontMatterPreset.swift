import NewsLintCore
import NewsLintRules

/// Front-matter schemas of the static-site generators news corpora come from (or none: `plain`), selected by the
/// `preset` key of `.lint.json` (and written by `newslint init --preset NAME`).
///
/// A preset is rule settings applied before the config's own `rules`, so a config can still
/// override any option. `generic` is the catalog default: it already accepts what Jekyll and Hugo
/// accept (string-or-list taxonomies, a post's date from its file name), so a preset only narrows
/// the schema to one generator's keys and types.
public enum FrontMatterPreset {
    public static let names = ["generic", "hugo", "jekyll", "plain"]

    /// The settings a preset adds, in the shape of a config's `rules` object.
    package static func rules(_ name: String) -> String? {
        switch name {
        case "generic":
            return "{}"
        case "jekyll":
            // Jekyll (YAML front matter read by Psych): `categories`/`tags` may be a space-separated
            // string; a post's date comes from its `YYYY-MM-DD-` file name; `published: false` hides a post.
            return """
            {"front-matter-field": {
              "required": ["title", "date"],
              "dateFromFileName": true,
              "types": {"title": "string", "date": "date", "categories": "string-or-list", "tags": "string-or-list",
                        "category": "string", "published": "bool", "layout": "string", "permalink": "string"},
              "pageFiles": ["404.*"],
              "pageLayouts": ["home", "page"]
            }}
            """
        case "hugo":
            // Hugo (YAML, TOML or JSON front matter): the date may sit under any of its date keys
            // (`date` falls back on `publishDate` and `lastmod`); `draft` is a boolean; taxonomies
            // accept a single string; `_index.md` files are section pages.
            return """
            {"front-matter-field": {
              "required": ["title", "date|publishDate|pubdate|published|lastmod|modified"],
              "dateFromFileName": true,
              "types": {"title": "string", "date": "date", "publishDate": "date", "pubdate": "date", "published": "date",
                        "lastmod": "date", "modified": "date", "expiryDate": "date", "unpublishdate": "date", "draft": "bool",
                        "tags": "string-or-list", "categories": "string-or-list", "keywords": "string-or-list",
                        "aliases": "string-or-list", "weight": "number", "slug": "string"},
              "pageFiles": ["_index.*", "404.*"],
              "pageLayouts": []
            }}
            """
        case "plain":
            // Corpora without front matter (text cleaned for training or search, web-archive
            // captures): every file would be "front matter missing".
            return #"{"front-matter": "off"}"#
        default:
            return nil
        }
    }

    /// The "did you mean" part of an unknown-preset message.
    package static func hint(for name: String) -> String {
        Suggest.hint(for: name, in: names, otherwise: "; expected one of \(names.joined(separator: ", "))")
    }
}
