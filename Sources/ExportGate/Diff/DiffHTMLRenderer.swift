import Foundation

/// Renders a ``DiffReport`` as one self-contained HTML page in the verify report's visual
/// language: a banner saying what changed (removals first), bars of records added, removed and
/// changed per object, the fields most changed, schema drift, files per folder, and examples.
public enum DiffHTMLRenderer {
  public static func render(_ report: DiffReport) -> String {
    var body = "<main>\n"
    body += banner(report)
    body += tiles(report)
    body += "<div class=\"grid\">\n"
    body += objectsChart(report)
    body += fieldsChart(report)
    body += filesChart(report)
    body += driftCard(report)
    body += "</div>\n"
    body += objectsTable(report)
    body += examplesCard(report)
    body +=
      "<footer>exportgate diff. The JSON form (<code>--format json</code>) and the CSV of every change (<code>--format csv</code>) hold the same for machines.</footer>\n"
    body += "</main>"
    return HTMLPage.document(title: "ExportGate diff: \(headline(report))", body: body)
  }

  static func headline(_ report: DiffReport) -> String {
    if report.identical {
      return report.warnings.isEmpty ? "IDENTICAL" : "IDENTICAL (inputs damaged)"
    }
    let removed = report.objects.reduce(0) { $0 + $1.removed }
    return removed > 0
      ? "DIFFERENT: \(HTMLReportRenderer.plural(removed, "record")) removed" : "DIFFERENT"
  }

  private static func banner(_ report: DiffReport) -> String {
    let added = report.objects.reduce(0) { $0 + $1.added }
    let removed = report.objects.reduce(0) { $0 + $1.removed }
    let changed = report.objects.reduce(0) { $0 + $1.changed }
    let counts =
      "<b>+\(HTMLReportRenderer.grouped(added))</b> added · <b>−\(HTMLReportRenderer.grouped(removed))</b> removed · <b>~\(HTMLReportRenderer.grouped(changed))</b> changed records"
    var actions: [String] = []
    if !report.warnings.isEmpty {
      actions.append(
        "The inputs are damaged (\(HTMLReportRenderer.plural(report.warnings.count, "problem"))): run <code>exportgate verify</code> on each before trusting this comparison."
      )
    }
    for object in report.objects where object.presence == "removed" {
      actions.append(
        "<b>\(HTMLPage.escape(object.name))</b> is gone: \(HTMLReportRenderer.plural(object.oldRecords, "record")) in OLD, none in NEW."
      )
    }
    for object in report.shrinkingObjects {
      actions.append(
        "<b>\(HTMLPage.escape(object.name))</b> lost \(HTMLReportRenderer.plural(object.removed, "record"))\(object.removedShareOfOld)."
      )
    }
    if actions.isEmpty {
      actions.append(
        report.identical
          ? "Every object, record and file is the same."
          : "Nothing was removed: records were only added or changed.")
    }
    // File names only (the full paths in the tooltip): temporary folders make long lines.
    func side(_ paths: [String]) -> String {
      "<code title=\"\(HTMLPage.escape(paths.joined(separator: " ")))\">\(HTMLPage.escape(paths.map { ($0 as NSString).lastPathComponent }.joined(separator: " ")))</code>"
    }
    let facts =
      "OLD \(side(report.old)) (\(report.oldEntries) entries) · NEW \(side(report.new)) (\(report.newEntries) entries)"
    // Red when something was lost or cannot be trusted; green when only additions or edits.
    let nothingLost =
      report.warnings.isEmpty && removed == 0 && report.files.allSatisfy { $0.removed == 0 }
    return HTMLPage.banner(
      passed: nothingLost,
      headline: headline(report), counts: counts, actions: actions, facts: facts)
  }

  private static func tiles(_ report: DiffReport) -> String {
    let removedFiles = report.files.reduce(0) { $0 + $1.removed }
    return HTMLPage.tiles([
      ("objects compared", "\(report.objects.count)", false),
      ("objects that differ", "\(report.objects.filter(\.differs).count)", false),
      (
        "records added", HTMLReportRenderer.grouped(report.objects.reduce(0) { $0 + $1.added }),
        false
      ),
      (
        "records removed", HTMLReportRenderer.grouped(report.objects.reduce(0) { $0 + $1.removed }),
        report.objects.contains { $0.removed > 0 }
      ),
      (
        "records changed", HTMLReportRenderer.grouped(report.objects.reduce(0) { $0 + $1.changed }),
        false
      ),
      ("files removed", HTMLReportRenderer.grouped(removedFiles), removedFiles > 0),
    ])
  }

  private static let changeLegend = BarChart.legend([
    ("#2da44e", "added"), ("#cf222e", "removed"), ("#bf8700", "changed"),
  ])

  private static func objectsChart(_ report: DiffReport) -> String {
    var html = "<section class=\"card\" id=\"objects-chart\">\n<h2>Records per object</h2>\n"
    let differing = report.objects.filter(\.differs).sorted {
      ($0.added + $0.removed + $0.changed) > ($1.added + $1.removed + $1.changed)
    }
    guard !differing.isEmpty else {
      return html + "<p class=\"muted\">No object differs.</p>\n</section>\n"
    }
    html += changeLegend
    let rows = differing.prefix(25).map { object in
      BarChart.Row(
        label: object.name + (object.presence == "both" ? "" : " (\(object.presence))"),
        segments: segments(added: object.added, removed: object.removed, changed: object.changed),
        note: "+\(object.added) −\(object.removed) ~\(object.changed)",
        flagged: object.removed > 0)
    }
    html += BarChart(title: "Records added, removed and changed per object", rows: rows).svg()
    if differing.count > 25 {
      html +=
        "<p class=\"muted\">The 25 objects that changed most of \(differing.count); the table lists all.</p>\n"
    }
    return html + "</section>\n"
  }

  private static func fieldsChart(_ report: DiffReport) -> String {
    let html = "<section class=\"card\" id=\"fields-chart\">\n<h2>Fields most changed</h2>\n"
    var fields: [(name: String, count: Int)] = []
    for object in report.objects {
      for (field, count) in object.fieldsChanged {
        fields.append(("\(object.name).\(field)", count))
      }
    }
    fields.sort { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    guard !fields.isEmpty else {
      return html + "<p class=\"muted\">No field changed.</p>\n</section>\n"
    }
    let rows = fields.prefix(15).map { field, count in
      BarChart.Row(
        label: field,
        segments: [
          BarChart.Segment(value: Double(count), style: "s-change", label: "\(count) records")
        ],
        note: HTMLReportRenderer.plural(count, "record"))
    }
    return html + BarChart(title: "Fields most changed", rows: Array(rows)).svg() + "</section>\n"
  }

  private static func filesChart(_ report: DiffReport) -> String {
    var html = "<section class=\"card\" id=\"files-chart\">\n<h2>Files per folder</h2>\n"
    let folders = report.files.filter { $0.oldFiles + $0.newFiles > 0 }
    guard !folders.isEmpty else {
      return html + "<p class=\"muted\">No binaries on either side.</p>\n</section>\n"
    }
    html += BarChart.legend([
      ("#2da44e", "added"), ("#cf222e", "removed"), ("#bf8700", "changed"),
      ("#d0d7de", "unchanged"),
    ])
    let rows = folders.map { folder in
      BarChart.Row(
        label: folder.folder + "/",
        segments: segments(added: folder.added, removed: folder.removed, changed: folder.changed)
          + [
            BarChart.Segment(
              value: Double(folder.unchanged), style: "s-empty",
              label: "\(folder.unchanged) unchanged")
          ],
        note: "\(folder.oldFiles) → \(folder.newFiles)", flagged: folder.removed > 0)
    }
    return html + BarChart(title: "Files per folder", rows: rows).svg() + "</section>\n"
  }

  private static func segments(added: Int, removed: Int, changed: Int) -> [BarChart.Segment] {
    [
      BarChart.Segment(value: Double(added), style: "s-add", label: "\(added) added"),
      BarChart.Segment(value: Double(removed), style: "s-remove", label: "\(removed) removed"),
      BarChart.Segment(value: Double(changed), style: "s-change", label: "\(changed) changed"),
    ]
  }

  private static func driftCard(_ report: DiffReport) -> String {
    var html = "<section class=\"card\" id=\"schema-drift\">\n<h2>Schema drift</h2>\n"
    let drifting = report.objects.filter { !$0.columnsAdded.isEmpty || !$0.columnsRemoved.isEmpty }
    guard !drifting.isEmpty else {
      return html + "<p class=\"muted\">No column was added or removed.</p>\n</section>\n"
    }
    html += "<table>\n<tr><th>Object</th><th>Columns added</th><th>Columns removed</th></tr>\n"
    for object in drifting {
      html +=
        "<tr\(object.columnsRemoved.isEmpty ? "" : " class=\"fail\"")><td>\(HTMLPage.escape(object.name))</td><td>\(HTMLPage.escape(object.columnsAdded.joined(separator: ", ")))</td><td>\(HTMLPage.escape(object.columnsRemoved.joined(separator: ", ")))</td></tr>\n"
    }
    return html + "</table>\n</section>\n"
  }

  private static func objectsTable(_ report: DiffReport) -> String {
    var html = "<section class=\"card\" id=\"objects\">\n<h2>Objects</h2>\n<table>\n"
    html +=
      "<tr><th>Object</th><th class=\"n\">OLD</th><th class=\"n\">NEW</th><th class=\"n\">Added</th><th class=\"n\">Removed</th><th class=\"n\">Changed</th><th class=\"n\">Unchanged</th><th class=\"n\">Not compared</th></tr>\n"
    for object in report.objects.sorted(by: {
      ($0.differs ? 0 : 1, $0.name) < ($1.differs ? 0 : 1, $1.name)
    }) {
      let rowClass =
        object.removed > 0 || object.presence == "removed"
        ? " class=\"fail\"" : object.differs ? " class=\"warn\"" : ""
      html +=
        "<tr\(rowClass)><td>\(HTMLPage.escape(object.name))\(object.presence == "both" ? "" : " (\(object.presence))")</td><td class=\"n\">\(object.oldRecords)</td><td class=\"n\">\(object.newRecords)</td><td class=\"n\">\(object.added)</td><td class=\"n\">\(object.removed)</td><td class=\"n\">\(object.changed)</td><td class=\"n\">\(object.unchanged)</td><td class=\"n\">\(object.unkeyed)</td></tr>\n"
    }
    return html + "</table>\n</section>\n"
  }

  private static func examplesCard(_ report: DiffReport) -> String {
    let withExamples = report.objects.filter {
      !$0.changedExamples.isEmpty || !$0.addedExamples.isEmpty || !$0.removedExamples.isEmpty
    }
    var html = ""
    if !report.warnings.isEmpty {
      html += "<section class=\"card\" id=\"warnings\">\n<h2>Input problems</h2>\n<ul>\n"
      html += report.warnings.map { "<li>\(HTMLPage.escape($0))</li>\n" }.joined()
      html += "</ul>\n</section>\n"
    }
    guard !withExamples.isEmpty else { return html }
    html += "<section class=\"card\" id=\"examples\">\n<h2>Examples</h2>\n"
    for object in withExamples {
      html +=
        "<details class=\"group warning\" data-severity=\"warning\" data-code=\"\(HTMLPage.escape(object.name))\"><summary>\(HTMLPage.escape(object.name))</summary><div class=\"body\"><ul class=\"findings\">\n"
      for id in object.removedExamples {
        html += "<li class=\"finding\">removed <code>\(HTMLPage.escape(id))</code></li>\n"
      }
      for id in object.addedExamples {
        html += "<li class=\"finding\">added <code>\(HTMLPage.escape(id))</code></li>\n"
      }
      for example in object.changedExamples {
        let detail = example.fields.sorted { $0.key < $1.key }.map {
          "\(HTMLPage.escape($0.key)): “\(HTMLPage.escape($0.value[0]))” → “\(HTMLPage.escape($0.value[1]))”"
        }
        html +=
          "<li class=\"finding\">changed <code>\(HTMLPage.escape(example.id))</code> \(detail.joined(separator: "; "))</li>\n"
      }
      html += "</ul></div></details>\n"
    }
    return html + "</section>\n"
  }
}
