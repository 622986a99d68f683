import Foundation

/// Renders a verification report as one self-contained HTML page to attach to a ticket or
/// publish from CI. Above the fold: the verdict, its counts and what to do now, taken from the
/// root causes. Then charts (records per object, files per folder, parts), every finding the
/// report holds in collapsible groups with a filter, and the tables with failing rows marked.
public enum HTMLReportRenderer {
  public static func render(_ report: VerificationReport) -> String {
    let outline = FindingOutline(report, includeInfo: true)
    var body = "<main>\n"
    body += banner(report, outline: outline)
    body += tiles(report)
    body += "<div class=\"grid\">\n"
    body += recordsCard(report)
    body += filesCard(report)
    body += partsCard(report)
    body += "</div>\n"
    body += findingsCard(report, outline: outline)
    body += tablesCard(report)
    body += evidenceCard(report)
    body +=
      "<footer>exportgate \(HTMLPage.escape(report.tool.version))\(report.verifiedAt.map { ", \(HTMLPage.escape($0))" } ?? ""). The JSON report (<code>--format json</code>) holds the same findings for machines.</footer>\n"
    body += "</main>"
    return HTMLPage.document(title: "ExportGate: \(headline(report))", body: body)
  }

  // MARK: Above the fold

  static func headline(_ report: VerificationReport) -> String {
    let warnings = report.summary.warnings
    if !report.isCertified { return "NOT CERTIFIED" }
    return warnings == 0
      ? "CERTIFIED" : "CERTIFIED with \(warnings) warning\(warnings == 1 ? "" : "s")"
  }

  private static func banner(_ report: VerificationReport, outline: FindingOutline) -> String {
    let summary = report.summary
    var counts =
      "<b>\(plural(summary.errors, "error"))</b> · <b>\(plural(summary.warnings, "warning"))</b>"
    if summary.infos > 0 { counts += " · \(plural(summary.infos, "note"))" }
    // The root causes first: what a person does about them fixes what they explain.
    var actions: [String] = []
    for group in outline.groups where group.severity != .info {
      guard let first = group.findings.first else { continue }
      let place = first.location.description
      let others = group.total > 1 ? " (and \(group.total - 1) more)" : ""
      actions.append(
        "<code>\(group.code.rawValue)</code> \(place.isEmpty ? "" : "<b>\(HTMLPage.escape(place))</b>: ")\(HTMLPage.escape(group.code.advice))\(others)"
      )
    }
    if actions.isEmpty {
      actions.append(
        "Keep the parts, this report\(report.export.partList == nil ? "" : " and export-parts.json") together; re-check them with <code>exportgate verify</code> before relying on them."
      )
    }
    let size = ByteFormat.human(report.export.parts.reduce(0) { $0 + $1.bytes })
    var facts =
      "Org <code>\(HTMLPage.escape(report.export.orgId ?? "unknown"))</code> · \(plural(report.export.parts.count, "part")) (\(size))"
    if let newest = report.export.newestEntry {
      facts += " · exported \(HTMLPage.escape(newest))"
    }
    if let verifiedAt = report.verifiedAt { facts += " · verified \(HTMLPage.escape(verifiedAt))" }
    if let required = report.requiredObjects, !required.isEmpty {
      facts +=
        "<br>Required objects: \(required.map { "<code>\(HTMLPage.escape($0))</code>" }.joined(separator: " "))"
    }
    if let contract = report.policy?.contract {
      facts +=
        " · last day to send notice <b>\(HTMLPage.escape(contract.lastNoticeDay))</b> (\(contract.daysLeft) days left)"
    }
    return HTMLPage.banner(
      passed: report.isCertified, headline: headline(report), counts: counts, actions: actions,
      facts: facts)
  }

  private static func tiles(_ report: VerificationReport) -> String {
    let headerOnly = report.objects.filter { $0.records == 0 }.count
    let expected = report.files.reduce(0) { $0 + $1.expected }
    let present = report.files.reduce(0) { $0 + $1.present }
    let missing = report.files.reduce(0) { $0 + $1.missing }
    return HTMLPage.tiles([
      ("parts", "\(report.export.parts.count)", damagedParts(report).count > 0),
      ("objects (\(headerOnly) header-only)", "\(report.objects.count)", false),
      ("records", grouped(report.summary.records), false),
      ("files present / expected", "\(grouped(present)) / \(grouped(expected))", missing > 0),
      ("files missing", grouped(missing), missing > 0),
      ("references checked", grouped(report.summary.referencesChecked), false),
    ])
  }

  // MARK: Charts

  private static func recordsCard(_ report: VerificationReport) -> String {
    let populated = report.objects.filter { $0.records > 0 }.sorted { $0.records > $1.records }
    let shown = populated.prefix(25)
    let failing = objectsWithErrors(report)
    let rows = shown.map { object in
      BarChart.Row(
        label: object.name,
        segments: [
          BarChart.Segment(
            value: Double(object.records),
            style: failing.contains(object.name) || !object.complete ? "s-bad" : "s-neutral",
            label: "\(object.records) records")
        ],
        note: grouped(object.records) + (object.complete ? "" : " (incomplete)"),
        flagged: failing.contains(object.name) || !object.complete)
    }
    var html = "<section class=\"card\" id=\"records-chart\">\n<h2>Records per object</h2>\n"
    html +=
      rows.isEmpty
      ? "<p class=\"muted\">No object has records.</p>\n"
      : BarChart(title: "Records per object", rows: Array(rows)).svg()
    if populated.count > shown.count {
      html +=
        "<p class=\"muted\">The \(shown.count) largest of \(populated.count) objects with records; the table below lists all.</p>\n"
    }
    let headerOnly = report.objects.filter { $0.records == 0 }
    if !headerOnly.isEmpty {
      html += "<h3>Header-only objects (\(headerOnly.count))</h3>\n<div class=\"chips\">"
      html += headerOnly.map { "<span class=\"chip\">\(HTMLPage.escape($0.name))</span>" }.joined()
      html += "</div>\n"
    }
    return html + "</section>\n"
  }

  private static func filesCard(_ report: VerificationReport) -> String {
    var html = "<section class=\"card\" id=\"files-chart\">\n<h2>Files per folder</h2>\n"
    let folders = report.files.filter { $0.expected > 0 || $0.present > 0 }
    guard !folders.isEmpty else {
      return html + "<p class=\"muted\">No binaries expected or present.</p>\n</section>\n"
    }
    let unlisted = folders.contains { $0.present > $0.expected - $0.missing }
    html += BarChart.legend(
      [("#2da44e", "present"), ("#cf222e", "missing")]
        + (unlisted ? [("#54aeff", "present, not in the metadata")] : []))
    let rows = folders.map { files in
      let found = max(files.expected - files.missing, 0)
      let extra = max(files.present - found, 0)
      return BarChart.Row(
        label: files.folder + "/",
        segments: [
          BarChart.Segment(value: Double(found), style: "s-ok", label: "\(found) present"),
          BarChart.Segment(
            value: Double(extra), style: "s-neutral", label: "\(extra) not listed in metadata"),
          BarChart.Segment(
            value: Double(files.missing), style: "s-bad", label: "\(files.missing) missing"),
        ],
        note: "\(grouped(files.present)) of \(grouped(files.expected))"
          + (files.missing > 0 ? ", \(grouped(files.missing)) missing" : ""),
        flagged: files.missing > 0)
    }
    html += BarChart(title: "Files expected, present and missing per folder", rows: rows).svg()
    return html + "</section>\n"
  }

  private static func partsCard(_ report: VerificationReport) -> String {
    var html = "<section class=\"card\" id=\"parts-chart\">\n<h2>Parts</h2>\n"
    html += BarChart.legend([("#54aeff", "read whole"), ("#cf222e", "damaged or missing")])
    let damaged = damagedParts(report)
    var rows = report.export.parts.map { part in
      BarChart.Row(
        label: part.name,
        segments: [
          BarChart.Segment(
            value: Double(part.bytes), style: damaged.contains(part.name) ? "s-bad" : "s-neutral",
            label: ByteFormat.human(part.bytes))
        ],
        note: ByteFormat.human(part.bytes) + (damaged.contains(part.name) ? ", damaged" : ""),
        flagged: damaged.contains(part.name))
    }
    let largest = report.export.parts.map(\.bytes).max() ?? 0
    for name in missingParts(report) {
      rows.append(
        BarChart.Row(
          label: name,
          segments: [
            BarChart.Segment(value: Double(largest), style: "s-bad", label: "missing")
          ], note: "missing", flagged: true))
    }
    html +=
      rows.isEmpty
      ? "<p class=\"muted\">No part was read.</p>\n"
      : BarChart(title: "Parts and their sizes", rows: rows).svg()
    return html + "</section>\n"
  }

  // MARK: Findings

  private static func findingsCard(_ report: VerificationReport, outline: FindingOutline)
    -> String
  {
    var html = "<section class=\"card\" id=\"findings\">\n<h2>Findings</h2>\n"
    guard !outline.groups.isEmpty else {
      return html + "<p>None: every check passed.</p>\n</section>\n"
    }
    html += "<div class=\"filters\">"
    for severity in ["error", "warning", "info"] {
      html +=
        "<label><input type=\"checkbox\" data-severity=\"\(severity)\" checked> \(severity == "info" ? "notes" : severity + "s")</label>"
    }
    html +=
      "<input type=\"search\" id=\"finding-search\" placeholder=\"Filter by code, part, object, Id…\" aria-label=\"Filter findings\"></div>\n"
    for group in outline.groups {
      let severity = group.severity.rawValue
      html +=
        "<details class=\"group \(severity)\" data-severity=\"\(severity)\" data-code=\"\(group.code.rawValue)\"\(group.severity == .error ? " open" : "")>\n"
      html +=
        "<summary><span class=\"badge \(severity)\">\(severity)</span><code>\(group.code.rawValue)</code> · \(group.total)</summary>\n"
      html += "<div class=\"body\"><p class=\"advice\">\(HTMLPage.escape(group.code.advice))</p>\n"
      html += "<ul class=\"findings\">\n"
      for finding in group.findings {
        html += "<li class=\"finding\">\(item(finding))"
        let nested = outline.consequences(of: finding)
        if !nested.isEmpty {
          html +=
            "\n<details><summary>\(HTMLPage.escape(FindingOutline.explanation(finding) ?? ""))</summary><ul class=\"findings\">\n"
          for consequences in nested {
            for consequence in consequences.findings {
              html +=
                "<li><code>\(consequences.code.rawValue)</code> \(item(consequence))</li>\n"
            }
            html += more(consequences, report: report)
          }
          html += "</ul></details>\n"
        }
        html += "</li>\n"
      }
      html += more(group, report: report)
      html += "</ul></div>\n</details>\n"
    }
    return html + "</section>\n"
  }

  private static func item(_ finding: Finding) -> String {
    let place = finding.location.description
    return (place.isEmpty ? "" : "<code>\(HTMLPage.escape(place))</code> ")
      + HTMLPage.escape(finding.message)
  }

  /// Says how many were not listed and how to list them: never a dead end.
  private static func more(_ group: FindingOutline.Group, report: VerificationReport) -> String {
    let left = group.total - group.findings.count
    guard left > 0 else { return "" }
    return
      "<li class=\"more\">\(grouped(left)) more <code>\(group.code.rawValue)</code> not listed: the report keeps \(report.summary.maxFindingsPerCode) per code; run <code>exportgate verify --max-findings \(group.total)</code> to list them all.</li>\n"
  }

  // MARK: Tables

  private static func tablesCard(_ report: VerificationReport) -> String {
    let damaged = damagedParts(report)
    var html = "<section class=\"card\" id=\"tables\">\n<h2>Parts</h2>\n<table>\n"
    html +=
      "<tr><th>Part</th><th class=\"n\">Size</th><th class=\"n\">Entries</th><th>SHA-256</th></tr>\n"
    for part in report.export.parts {
      html +=
        "<tr\(damaged.contains(part.name) ? " class=\"fail\"" : "")><td>\(HTMLPage.escape(part.name))\(part.excludedBecause.map { " <span class=\"muted\">(left out: \(HTMLPage.escape($0)))</span>" } ?? "")</td><td class=\"n\">\(ByteFormat.human(part.bytes))</td><td class=\"n\">\(part.entries)</td><td><code>\(HTMLPage.escape(part.sha256 ?? ""))</code></td></tr>\n"
    }
    for name in missingParts(report) {
      html +=
        "<tr class=\"fail\"><td>\(HTMLPage.escape(name))</td><td class=\"n\">missing</td><td></td><td></td></tr>\n"
    }
    let withExpected = report.objects.contains { $0.expectedRecords != nil }
    let withOrg = report.objects.contains { $0.orgRecords != nil }
    html += "</table>\n<h2>Objects</h2>\n<table>\n<tr><th>Object</th><th class=\"n\">Records</th>"
    html += withExpected ? "<th class=\"n\">Expected</th>" : ""
    html += withOrg ? "<th class=\"n\">In the org (by T)</th>" : ""
    html += "<th class=\"n\">Columns</th><th>Parts</th></tr>\n"
    let failing = objectsWithErrors(report)
    for object in report.objects {
      let short =
        object.expectedRecords.map { object.records < $0 } ?? false
        || object.orgRecords.map { object.records < $0 } ?? false
      let rowClass =
        failing.contains(object.name) || !object.complete || short
        ? " class=\"fail\"" : object.records == 0 ? " class=\"muted\"" : ""
      html +=
        "<tr\(rowClass)><td>\(HTMLPage.escape(object.name))\(object.complete ? "" : " (incomplete)")\(object.records == 0 ? " <span class=\"muted\">header only</span>" : "")</td><td class=\"n\">\(grouped(object.records))</td>"
      if withExpected {
        html += "<td class=\"n\">\(object.expectedRecords.map(grouped) ?? "")</td>"
      }
      if withOrg { html += "<td class=\"n\">\(object.orgRecords.map(grouped) ?? "")</td>" }
      html +=
        "<td class=\"n\">\(object.columns)</td><td>\(HTMLPage.escape(object.parts.joined(separator: ", ")))</td></tr>\n"
    }
    html += "</table>\n<h2>Files</h2>\n<table>\n"
    html +=
      "<tr><th>Folder</th><th>Metadata</th><th class=\"n\">Expected</th><th class=\"n\">Present</th><th class=\"n\">Missing</th><th class=\"n\">Size</th></tr>\n"
    for files in report.files {
      html +=
        "<tr\(files.missing > 0 ? " class=\"fail\"" : "")><td>\(HTMLPage.escape(files.folder))/</td><td>\(HTMLPage.escape(files.metadataObject))</td><td class=\"n\">\(grouped(files.expected))</td><td class=\"n\">\(grouped(files.present))</td><td class=\"n\">\(grouped(files.missing))</td><td class=\"n\">\(ByteFormat.human(files.bytes))</td></tr>\n"
    }
    return html + "</table>\n</section>\n"
  }

  /// Policy, part list, org inventory and certificate: shown when used.
  private static func evidenceCard(_ report: VerificationReport) -> String {
    var rows: [(String, String)] = []
    if let list = report.export.partList {
      rows.append(
        (
          "Part list",
          "<code>\(HTMLPage.escape(list.path))</code> (SHA-256 <code>\(HTMLPage.escape(list.sha256))</code>): \(plural(list.parts, "part")) listed by \(HTMLPage.escape(list.instance)) at \(HTMLPage.escape(list.readAt))"
        ))
    }
    if let inventory = report.inventory {
      let comparison = inventory.comparison
      let compared =
        comparison.usable
        ? "\(plural(comparison.objectsCompared, "object")) with records, \(plural(comparison.fieldsCompared, "stored field")) and \(plural(comparison.filesCompared, "stored file")) compared; \(plural(comparison.fieldsExcluded.values.reduce(0, +), "field")) not required (formula, compound, binary, never exported)"
        : "of another org: nothing compared"
      rows.append(
        (
          "Org inventory",
          "<code>\(HTMLPage.escape(inventory.path))</code> (SHA-256 <code>\(HTMLPage.escape(inventory.sha256))</code>): taken \(HTMLPage.escape(inventory.takenAt)) by \(HTMLPage.escape(inventory.username ?? "?")) on \(HTMLPage.escape(inventory.instance)), counts of records created by \(HTMLPage.escape(inventory.asOf)); \(compared)"
        ))
    }
    if let policy = report.policy {
      var text = policy.sha256.map { "SHA-256 <code>\(HTMLPage.escape($0))</code>" } ?? "used"
      if let contract = policy.contract {
        text +=
          "; contract ends \(HTMLPage.escape(contract.endDate)), notice \(contract.noticeDays) days, last day to send notice <b>\(HTMLPage.escape(contract.lastNoticeDay))</b> (\(contract.daysLeft) days left)"
      }
      rows.append(("Policy", text))
    }
    if report.objects.contains(where: { $0.expectedRecords != nil }) {
      rows.append(
        (
          "Expected counts",
          "\(report.objects.filter { $0.expectedRecords != nil }.count) objects compared with the counts file (column Expected above)"
        ))
    }
    if let certificate = report.certificate {
      rows.append(
        (
          "Certificate",
          "<code>\(HTMLPage.escape(certificate.path))</code>: \(certificate.signed ? "signed (DSSE, Ed25519)" : "unsigned in-toto statement"), naming \(plural(certificate.subjects, "part")) by SHA-256; check it later with <code>exportgate certificate check</code>"
        ))
    }
    guard !rows.isEmpty else { return "" }
    var html = "<section class=\"card\" id=\"evidence\">\n<h2>Evidence</h2>\n<table>\n"
    for (label, value) in rows { html += "<tr><th>\(label)</th><td>\(value)</td></tr>\n" }
    return html + "</table>\n</section>\n"
  }

  // MARK: Helpers

  /// Parts damaged themselves: cut, corrupt, unreadable, or holding entries that fail (never
  /// because rows in their CSVs name files that are elsewhere).
  static func damagedParts(_ report: VerificationReport) -> Set<String> {
    Set(
      report.typedFindings.filter { $0.severity == .error && $0.code.isPartDamage }
        .compactMap(\.location.part))
  }

  static func missingParts(_ report: VerificationReport) -> [String] {
    let present = Set(report.export.parts.map(\.name))
    var seen = Set<String>()
    return report.typedFindings.filter { $0.code == .partMissing && $0.severity == .error }
      .compactMap(\.location.part)
      .filter { !present.contains($0) && seen.insert($0).inserted }
  }

  private static func objectsWithErrors(_ report: VerificationReport) -> Set<String> {
    Set(report.typedFindings.filter { $0.severity == .error }.compactMap(\.location.object))
  }

  static func plural(_ count: Int, _ noun: String) -> String {
    "\(grouped(count)) \(noun)\(count == 1 ? "" : "s")"
  }

  /// `1,234,567`: thousands grouped as people read them.
  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return (value < 0 ? "-" : "") + out
  }
}
