/// Renders a report as one self-contained HTML page (no scripts, no external assets) to attach
/// to a ticket or publish from CI: the verdict, objects, files and findings with their advice.
public enum HTMLReportRenderer {
  public static func render(_ report: VerificationReport, examplesPerCode: Int = 20) -> String {
    let certified = report.isCertified
    var html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>ExportGate: \(certified ? "certified" : "not certified")</title>
      <style>
      body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1d1d1f; }
      .verdict { padding: 1rem 1.25rem; border-radius: 8px; color: #fff; font-size: 1.3rem; font-weight: 600; }
      .certified { background: #1a7f37; } .refused { background: #cf222e; }
      table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
      th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .8rem; text-align: left; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      .error { color: #cf222e; font-weight: 600; } .warning { color: #9a6700; font-weight: 600; }
      code { font-size: 12px; } .advice { color: #57606a; font-style: italic; }
      </style>
      </head>
      <body>

      """
    html += "<div class=\"verdict \(certified ? "certified" : "refused")\">"
    html += certified ? "CERTIFIED" : "NOT CERTIFIED: \(report.summary.errors) error(s)"
    html += "</div>\n<p>Org Id <code>\(escape(report.export.orgId ?? "unknown"))</code>, "
    html += "\(report.export.parts.count) part(s), \(report.summary.records) records, "
    html += "\(report.summary.errors) error(s), \(report.summary.warnings) warning(s)"
    if let verifiedAt = report.verifiedAt { html += ", verified \(escape(verifiedAt))" }
    html += " by exportgate \(escape(report.tool.version)).</p>\n"
    if let contract = report.policy?.contract {
      html +=
        "<p>Contract ends \(escape(contract.endDate)): last day to send notice <strong>\(escape(contract.lastNoticeDay))</strong> (\(contract.daysLeft) day(s) left).</p>\n"
    }
    html +=
      "<h2>Parts</h2>\n<table><tr><th>Part</th><th>Size</th><th>Entries</th><th>SHA-256</th></tr>\n"
    for part in report.export.parts {
      html +=
        "<tr><td>\(escape(part.name))</td><td class=\"n\">\(ByteFormat.human(part.bytes))</td><td class=\"n\">\(part.entries)</td><td><code>\(escape(part.sha256 ?? ""))</code></td></tr>\n"
    }
    html +=
      "</table>\n<h2>Objects</h2>\n<table><tr><th>Object</th><th>Records</th><th>Columns</th></tr>\n"
    for object in report.objects {
      html +=
        "<tr><td>\(escape(object.name))\(object.complete ? "" : " (incomplete)")</td><td class=\"n\">\(object.records)</td><td class=\"n\">\(object.columns)</td></tr>\n"
    }
    html +=
      "</table>\n<h2>Files</h2>\n<table><tr><th>Folder</th><th>Expected</th><th>Present</th><th>Missing</th><th>Size</th></tr>\n"
    for files in report.files {
      html +=
        "<tr><td>\(escape(files.folder))/</td><td class=\"n\">\(files.expected)</td><td class=\"n\">\(files.present)</td><td class=\"n\">\(files.missing)</td><td class=\"n\">\(ByteFormat.human(files.bytes))</td></tr>\n"
    }
    html += "</table>\n<h2>Findings</h2>\n"
    let outline = FindingOutline(report)
    if outline.groups.isEmpty { html += "<p>None.</p>\n" }
    for group in outline.groups {
      let severity = group.severity.rawValue
      html +=
        "<h3><span class=\"\(severity)\">\(severity)</span> <code>\(group.code.rawValue)</code> (\(group.total))</h3>\n"
      html += "<p class=\"advice\">\(escape(group.code.advice))</p>\n<ul>\n"
      for finding in group.findings.prefix(examplesPerCode) {
        html +=
          "<li><code>\(escape(finding.location.description))</code> \(escape(finding.message))"
        let nested = outline.consequences(of: finding)
        if !nested.isEmpty {
          html +=
            "\n<details open><summary>\(escape(FindingOutline.explanation(finding) ?? ""))</summary><ul>\n"
          for consequences in nested {
            for consequence in consequences.findings.prefix(examplesPerCode) {
              html +=
                "<li><code>\(consequences.code.rawValue)</code> <code>\(escape(consequence.location.description))</code> \(escape(consequence.message))</li>\n"
            }
            if consequences.total > min(consequences.findings.count, examplesPerCode) {
              html +=
                "<li>... and \(consequences.total - min(consequences.findings.count, examplesPerCode)) more <code>\(consequences.code.rawValue)</code></li>\n"
            }
          }
          html += "</ul></details>\n"
        }
        html += "</li>\n"
      }
      if group.total > min(group.findings.count, examplesPerCode) {
        html +=
          "<li>... and \(group.total - min(group.findings.count, examplesPerCode)) more</li>\n"
      }
      html += "</ul>\n"
    }
    html += "</body>\n</html>\n"
    return html
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }
}
