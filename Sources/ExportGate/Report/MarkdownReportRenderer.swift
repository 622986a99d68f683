/// Renders a report as Markdown ready to paste into a ticket: verdict, counts, files, findings.
public enum MarkdownReportRenderer {
  public static func render(_ report: VerificationReport, examplesPerCode: Int = 5) -> String {
    var out = "## ExportGate: \(report.isCertified ? "✅ certified" : "❌ not certified")\n\n"
    out += "- Org Id: `\(report.export.orgId ?? "unknown")`\n"
    out +=
      "- Parts: \(report.export.parts.count) (\(ByteFormat.human(report.export.parts.reduce(0) { $0 + $1.bytes })))\n"
    out += "- Records: \(report.summary.records) in \(report.objects.count) objects\n"
    out += "- Findings: \(report.summary.errors) error(s), \(report.summary.warnings) warning(s)\n"
    if let verifiedAt = report.verifiedAt {
      out += "- Verified: \(verifiedAt) with exportgate \(report.tool.version)\n"
    }
    if let inventory = report.inventory {
      out +=
        "- Org inventory: `\(inventory.path)` taken \(inventory.takenAt) (records created by \(inventory.asOf))\(inventory.comparison.usable ? "" : ", of another org: not compared")\n"
    }
    if let contract = report.policy?.contract {
      out +=
        "- Contract ends \(contract.endDate): last day to send notice **\(contract.lastNoticeDay)** (\(contract.daysLeft) day(s) left)\n"
    }
    out += "\n| Object | Records |\n|---|---:|\n"
    for object in report.objects where object.records > 0 {
      out +=
        "| \(cell(object.name)) | \(object.records)\(object.complete ? "" : " (incomplete)") |\n"
    }
    let headerOnly = report.objects.filter { $0.records == 0 }.map(\.name)
    if !headerOnly.isEmpty {
      out += "\nHeader-only objects: \(headerOnly.joined(separator: ", "))\n"
    }
    out += "\n| Folder | Expected | Present | Missing | Size |\n|---|---:|---:|---:|---:|\n"
    for files in report.files {
      out +=
        "| \(cell(files.folder))/ | \(files.expected) | \(files.present) | \(files.missing) | \(ByteFormat.human(files.bytes)) |\n"
    }
    let findings = report.typedFindings.filter { $0.severity != .info }
    if !findings.isEmpty {
      out += "\n### Findings\n"
      for group in FindingOutline(report).groups {
        out +=
          "\n**\(group.severity == .error ? "Error" : "Warning") `\(group.code.rawValue)`** (\(group.total)): \(group.code.advice)\n\n"
        let outline = FindingOutline(report)
        for finding in group.findings.prefix(examplesPerCode) {
          out += "- \(item(finding))\n"
          for nested in outline.consequences(of: finding) {
            out += "  - explains \(nested.total) `\(nested.code.rawValue)`:\n"
            for consequence in nested.findings.prefix(3) { out += "    - \(item(consequence))\n" }
            if nested.total > min(nested.findings.count, 3) {
              out += "    - ... and \(nested.total - min(nested.findings.count, 3)) more\n"
            }
          }
        }
        if group.total > min(group.findings.count, examplesPerCode) {
          out += "- ... and \(group.total - min(group.findings.count, examplesPerCode)) more\n"
        }
      }
    }
    return out
  }

  private static func item(_ finding: Finding) -> String {
    (finding.location.description.isEmpty ? "" : "`\(finding.location.description)`: ")
      + finding.message
  }

  private static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
  }
}
