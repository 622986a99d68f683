import Foundation

/// The browse page's pages, rendered on the server from the archive: the objects, a search
/// over all of them, one object's records, one record (fields, lookups as links, records that
/// point to it, files), and everything one group points from. Every link carries the token, so
/// that each works without JavaScript or cookies (a text browser, a script).
struct BrowsePages {
  let browser: ArchiveBrowser
  let search: ArchiveSearch
  let token: String
  let title: String

  static let pageSize = 50

  /// `path` with the token and `parameters` as its query.
  func url(_ path: String, _ parameters: [(String, String)] = []) -> String {
    let query = ([("t", token)] + parameters).map { "\($0.0)=\(HTML.component($0.1))" }
    return path + "?" + query.joined(separator: "&")
  }

  func recordURL(_ object: String, _ id: String) -> String {
    url("/r/\(HTML.component(object))/\(HTML.component(id))")
  }

  private var home: (String, String?) { (title, url("/")) }

  func objectsPage() -> String {
    var body = HTML()
    body.raw("<h1>")
    body.add(title)
    body.raw("</h1><table><thead><tr><th>Object</th><th>Records</th></tr></thead><tbody>")
    for object in browser.objects {
      body.raw("<tr><td>")
      body.link(url("/o/\(HTML.component(object.name))"), object.name)
      body.raw("</td><td>\(object.records)</td></tr>")
    }
    body.raw("</tbody></table>")
    return HTML.page(title: title, crumbs: [(title, nil)], token: token, body: body.text)
  }

  func searchPage(_ text: String, page: Int) throws -> String {
    var body = HTML()
    let hits = try search.search(text, limit: Self.pageSize + 1, offset: page * Self.pageSize)
    body.raw("<h1>Records holding “")
    body.add(text)
    body.raw("”</h1>")
    if hits.isEmpty { body.raw("<p>No record holds every word.</p>") }
    var order: [String] = []
    var groups: [String: [ArchiveSearch.Hit]] = [:]
    for hit in hits.prefix(Self.pageSize) {
      if groups[hit.object] == nil { order.append(hit.object) }
      groups[hit.object, default: []].append(hit)
    }
    for object in order {
      let group = groups[object] ?? []
      body.raw("<h2>")
      body.add("\(object) (\(group.count))")
      body.raw("</h2><ul class=\"hits\">")
      for hit in group {
        body.raw("<li>")
        if let id = hit.id {
          body.link(recordURL(object, id), hit.label ?? id)
          body.raw(" <span class=\"muted\">")
          body.add(id)
          body.raw("</span>")
        } else {
          body.add(hit.label ?? object)
        }
        body.raw("<br>")
        for piece in hit.snippetPieces {
          if piece.isMatch { body.raw("<mark>") }
          body.add(piece.text)
          if piece.isMatch { body.raw("</mark>") }
        }
        body.raw("</li>")
      }
      body.raw("</ul>")
    }
    pager(&body, page: page, hasMore: hits.count > Self.pageSize) {
      url("/search", [("q", text), ("page", String($0))])
    }
    return HTML.page(
      title: "Search: \(text)", crumbs: [home, ("Search", nil)], token: token, query: text,
      body: body.text)
  }

  func tablePage(_ object: String, sort: String?, descending: Bool, page: Int) throws -> String? {
    guard
      let table = try browser.table(
        object, sort: sort, descending: descending, page: page, pageSize: Self.pageSize)
    else { return nil }
    var body = HTML()
    let first = table.page * table.pageSize
    body.raw("<h1>")
    body.add(object)
    body.raw("</h1><p class=\"muted\">")
    body.add(
      table.rows.isEmpty
        ? "\(table.object.records) record(s)"
        : "records \(first + 1)–\(first + table.rows.count) of \(table.object.records)")
    body.raw("</p><div class=\"table-wrap\"><table><thead><tr>")
    for column in table.columns {
      body.raw("<th>")
      if table.sortable.contains(column) {
        let descendingNext = table.sort == column && !table.descending
        let arrow = table.sort == column ? (table.descending ? " ▼" : " ▲") : ""
        body.link(
          url(
            "/o/\(HTML.component(object))",
            [("sort", column), ("desc", descendingNext ? "1" : "0")]),
          column + arrow)
      } else {
        body.add(column)
      }
      body.raw("</th>")
    }
    body.raw("</tr></thead><tbody>")
    let idColumn = table.columns.firstIndex(of: "Id")
    for row in table.rows {
      body.raw("<tr>")
      for (index, value) in row.enumerated() {
        body.raw("<td>")
        if index == idColumn, let value {
          body.link(recordURL(object, value), value)
        } else {
          body.add(Self.shortened(value ?? ""))
        }
        body.raw("</td>")
      }
      body.raw("</tr>")
    }
    body.raw("</tbody></table></div>")
    let parameters: (Int) -> [(String, String)] = { number in
      (table.sort.map { [("sort", $0), ("desc", table.descending ? "1" : "0")] } ?? [])
        + [("page", String(number))]
    }
    pager(&body, page: table.page, hasMore: first + table.rows.count < table.object.records) {
      url("/o/\(HTML.component(object))", parameters($0))
    }
    return HTML.page(title: object, crumbs: [home, (object, nil)], token: token, body: body.text)
  }

  func recordPage(_ object: String, _ id: String) throws -> String? {
    guard let record = try browser.record(object: object, id: id) else { return nil }
    var body = HTML()
    body.raw("<h1>")
    body.add(record.label ?? id)
    body.raw(" <span class=\"muted\">")
    body.add("\(object) \(id)")
    body.raw("</span></h1><table class=\"fields\"><tbody>")
    for field in record.fields {
      body.raw("<tr><th>")
      body.add(field.name)
      body.raw("</th><td>")
      if let link = field.link, let target = link.object, browser.object(target) != nil {
        body.link(recordURL(target, link.id), link.label ?? link.id)
        if link.label != nil {
          body.raw(" <span class=\"muted\">")
          body.add(link.id)
          body.raw("</span>")
        }
      } else {
        body.add(field.value ?? "")
      }
      body.raw("</td></tr>")
    }
    body.raw("</tbody></table>")
    files(record.files, into: &body)
    body.raw("<h2>Related records</h2>")
    if record.related.isEmpty { body.raw("<p class=\"muted\">No record points to this one.</p>") }
    for group in record.related { related(group, of: record, into: &body) }
    let crumbs = [home, (object, url("/o/\(HTML.component(object))")), (record.label ?? id, nil)]
    return HTML.page(title: record.label ?? id, crumbs: crumbs, token: token, body: body.text)
  }

  private func related(
    _ group: ArchiveBrowser.RelatedGroup, of record: ArchiveBrowser.RecordPage,
    into body: inout HTML
  ) {
    body.raw("<h3>")
    body.add("\(group.object) by \(group.field) (\(group.count))")
    body.raw("</h3>")
    recordList(group, into: &body)
    if group.count > group.records.count {
      body.link(
        url(
          "/r/\(HTML.component(record.object))/\(HTML.component(record.id))/related",
          [("object", group.object), ("field", group.field)]),
        "all \(group.count) →")
    }
  }

  func relatedPage(_ object: String, _ id: String, from source: String, field: String, page: Int)
    throws -> String?
  {
    guard
      let group = try browser.related(
        to: id, limit: Self.pageSize, offset: page * Self.pageSize, only: (source, field)
      ).first
    else { return nil }
    let label = try browser.label(object: object, id: id) ?? id
    var body = HTML()
    body.raw("<h1>")
    body.add("\(group.object) by \(group.field) → \(label) (\(group.count))")
    body.raw("</h1>")
    recordList(group, into: &body)
    let base = "/r/\(HTML.component(object))/\(HTML.component(id))/related"
    pager(&body, page: page, hasMore: (page + 1) * Self.pageSize < group.count) {
      url(base, [("object", source), ("field", field), ("page", String($0))])
    }
    let crumbs = [
      home, (object, url("/o/\(HTML.component(object))")), (label, recordURL(object, id)),
      ("\(group.object) by \(group.field)", nil),
    ]
    return HTML.page(title: label, crumbs: crumbs, token: token, body: body.text)
  }

  /// A group's records as links named by their labels.
  private func recordList(_ group: ArchiveBrowser.RelatedGroup, into body: inout HTML) {
    body.raw("<ul>")
    for link in group.records {
      body.raw("<li>")
      body.link(recordURL(group.object, link.id), link.label ?? link.id)
      body.raw("</li>")
    }
    body.raw("</ul>")
  }

  private func files(_ files: [ArchiveBrowser.File], into body: inout HTML) {
    guard !files.isEmpty else { return }
    body.raw(
      "<h2>Files</h2><table><thead><tr><th>Name</th><th>Size</th><th>Type</th><th>Status</th></tr></thead><tbody>"
    )
    for file in files {
      let name = file.path.map { ($0 as NSString).lastPathComponent } ?? file.id
      let type = BrowseFiles.mediaType(of: name)
      body.raw("<tr><td>")
      if let path = file.path, !path.isEmpty {
        body.link(url("/file/\(HTML.component(file.id))"), name, attributes: " download")
      } else {
        body.add(name)
      }
      body.raw("</td><td>")
      body.add(
        file.bytes.map { ByteCountFormatter.string(fromByteCount: $0, countStyle: .file) } ?? "")
      body.raw("</td><td>")
      body.add(type.name)
      body.raw("</td><td>")
      body.add(file.status + (file.reason.map { $0.isEmpty ? "" : ": " + $0 } ?? ""))
      body.raw("</td></tr>")
    }
    body.raw("</tbody></table>")
    for file in files where file.path?.isEmpty == false {
      let name = file.path.map { ($0 as NSString).lastPathComponent } ?? ""
      let source = url("/file/\(HTML.component(file.id))", [("inline", "1")])
      switch BrowseFiles.mediaType(of: name).preview {
      case .image:
        body.raw(
          "<p><img class=\"preview\" alt=\"\(HTML.escape(name))\" src=\"\(HTML.escape(source))\"></p>"
        )
      case .pdf:
        body.raw(
          "<p><iframe class=\"preview\" title=\"\(HTML.escape(name))\" src=\"\(HTML.escape(source))\"></iframe></p>"
        )
      case .none: break
      }
    }
  }

  private func pager(_ body: inout HTML, page: Int, hasMore: Bool, url: (Int) -> String) {
    guard page > 0 || hasMore else { return }
    body.raw("<p class=\"pager\">")
    if page > 0 { body.link(url(page - 1), "← previous") }
    if page > 0 && hasMore { body.raw(" · ") }
    if hasMore { body.link(url(page + 1), "next →") }
    body.raw("</p>")
  }

  /// Long text cut for a table cell (the record page shows it whole).
  static func shortened(_ value: String) -> String {
    value.count > 120 ? String(value.prefix(119)) + "…" : value
  }
}
