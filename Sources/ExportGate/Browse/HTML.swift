import Foundation

/// The browse page's HTML, built as text with every value escaped: a record's fields, names and
/// file names are data from the export and may hold markup.
struct HTML {
  private(set) var text = ""

  /// `value` with markup characters escaped, for text and attribute values alike (the
  /// reports' escaping: control characters a page should not carry become `?`).
  static func escape(_ value: String) -> String { Markup.escape(value) }

  /// `value` for a URL's query or path segment: everything but unreserved characters encoded.
  static func component(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
  }

  /// Markup written as is (the caller's own, never a value).
  mutating func raw(_ markup: String) { text += markup }

  /// A value, escaped.
  mutating func add(_ value: String) { text += Self.escape(value) }

  /// A link (the URL is the caller's, built with ``component(_:)``; the label is escaped).
  mutating func link(_ url: String, _ label: String, attributes: String = "") {
    text += "<a href=\"\(Self.escape(url))\"\(attributes)>\(Self.escape(label))</a>"
  }

  /// A whole page: title, breadcrumbs (label and URL; the last without one), the search box,
  /// then `body`.
  static func page(
    title: String, crumbs: [(String, String?)], token: String, query: String = "", body: String
  ) -> String {
    var page = HTML()
    page.raw(
      """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="referrer" content="no-referrer">
      <title>
      """)
    page.add(title + " · ExportGate")
    page.raw("</title><style>\(style)</style></head><body><header><nav aria-label=\"breadcrumbs\">")
    for (index, crumb) in crumbs.enumerated() {
      if index > 0 { page.raw(" › ") }
      if let url = crumb.1 {
        page.link(url, crumb.0)
      } else {
        page.raw("<span>")
        page.add(crumb.0)
        page.raw("</span>")
      }
    }
    page.raw(
      "</nav><form method=\"get\" action=\"/search\" role=\"search\"><input type=\"hidden\" name=\"t\" value=\""
    )
    page.add(token)
    page.raw("\"><input type=\"search\" name=\"q\" aria-label=\"Search every record\" value=\"")
    page.add(query)
    page.raw(
      "\" placeholder=\"Search every record\"> <button type=\"submit\">Search</button></form></header><main>"
    )
    page.raw(body)
    page.raw("</main></body></html>\n")
    return page.text
  }

  static let style = """
    body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
    header{background:#0b3d62;color:#fff;padding:.6em 1.2em;display:flex;flex-wrap:wrap;gap:1em;align-items:center;justify-content:space-between}
    header a{color:#fff}header input{width:22em;max-width:60vw;padding:.3em}
    main{padding:1em 1.2em;max-width:80em}h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:1.2em 0 .4em}
    table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
    th{background:#eef2f5}mark{background:#ffe58a}.muted{color:#666}.hits li{margin:.4em 0}
    .fields th{width:14em}.pager{margin:.8em 0}img.preview{max-width:32em;max-height:24em;border:1px solid #ddd}
    iframe.preview{width:100%;height:32em;border:1px solid #ddd}.table-wrap{overflow-x:auto}
    """
}
