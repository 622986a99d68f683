/// Renders a ``VerificationReport`` for people: objects with record counts, file folders, then
/// findings grouped by code (count, first examples, what to do), the verdict last.
public struct TextReportRenderer {
  /// ANSI colour, for terminals only.
  public var colour: Bool
  /// Examples printed per finding code.
  public var examplesPerCode = 5

  public init(colour: Bool) { self.colour = colour }

  private func paint(_ text: String, _ code: String) -> String {
    colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  private func line(_ finding: Finding) -> String {
    let place = finding.location.description
    return (place.isEmpty ? "" : place + ": ") + finding.message
  }

  public func render(_ report: VerificationReport) -> String {
    header(report) + contents(report) + findings(report) + "\n" + verdictLine(report) + "\n"
  }

  /// What was verified: the org, the export's date, the requirements and evidence it met.
  private func header(_ report: VerificationReport) -> String {
    var out = "ExportGate \(report.tool.version): verification of a Salesforce Data Export\n\n"
    out += "Org Id: \(report.export.orgId ?? "unknown (no Salesforce-named part)")\n"
    if let newest = report.export.newestEntry {
      out += "Exported: \(newest) (the newest entry in the parts)\n"
    }
    if let required = report.requiredObjects, !required.isEmpty {
      let missing = Set(
        report.typedFindings.filter { $0.code == .objectMissing }.compactMap(\.location.object))
      let absent = required.filter { missing.contains($0) }
      out +=
        "Required objects: \(required.joined(separator: ", ")) (\(absent.isEmpty ? "all present" : "missing: \(absent.joined(separator: ", "))"))\n"
    }
    if let contract = report.policy?.contract {
      let when =
        contract.daysLeft >= 0
        ? "\(contract.daysLeft) day(s) left" : "passed \(-contract.daysLeft) day(s) ago"
      out +=
        "Contract ends \(contract.endDate): last day to send notice \(contract.lastNoticeDay) (\(when))\n"
    }
    if let inventory = report.inventory {
      out +=
        "Org inventory: \(inventory.path), taken \(inventory.takenAt) by \(inventory.username ?? "?"): records created by \(inventory.asOf)\(inventory.comparison.usable ? "" : " (another org: not compared)")\n"
    }
    return out
  }

  /// What the bundle holds: parts, objects, files.
  private func contents(_ report: VerificationReport) -> String {
    var out = ""
    out += "Parts: \(report.export.parts.count)\n"
    for part in report.export.parts {
      var line = "  \(part.name)  \(ByteFormat.human(part.bytes))  \(part.entries) entries"
      if let excluded = part.excludedBecause { line += "  [left out: \(excluded)]" }
      out += line + "\n"
    }
    let populated = report.objects.filter { $0.records > 0 }
    out +=
      "\nObjects: \(report.objects.count) (\(populated.count) with records, \(report.objects.count - populated.count) header-only), \(report.summary.records) records\n"
    let width = populated.map(\.name.count).max() ?? 0
    for object in populated {
      let name = object.name.padding(toLength: width, withPad: " ", startingAt: 0)
      out +=
        "  \(name)  \(String(object.records).leftPadded(10))\(object.complete ? "" : "  (incomplete)")\n"
    }
    let headerOnly = report.objects.filter { $0.records == 0 }.map(\.name)
    if !headerOnly.isEmpty {
      out += "  Header-only:" + Self.wrapped(headerOnly, indent: 4, width: 100) + "\n"
    }
    out += "\nFiles:\n"
    for files in report.files where files.expected > 0 || files.present > 0 {
      let folder = (files.folder + "/").padding(toLength: 28, withPad: " ", startingAt: 0)
      out +=
        "  \(folder) expected \(files.expected), present \(files.present), missing \(files.missing), \(ByteFormat.human(files.bytes))\n"
    }
    if !report.files.contains(where: { $0.expected > 0 || $0.present > 0 }) {
      out += "  (no binaries expected or present)\n"
    }
    return out
  }

  /// The findings by code, each cause with what it explains, then the notes.
  private func findings(_ report: VerificationReport) -> String {
    var out = ""
    let infoCount = report.summary.infos
    out += "\nFindings: \(report.summary.errors) error(s), \(report.summary.warnings) warning(s)"
    out += infoCount > 0 ? ", \(infoCount) note(s)\n" : "\n"
    let outline = FindingOutline(report)
    for group in outline.groups {
      let label =
        group.severity == .error ? paint("ERROR", "1;31") : paint("WARNING", "1;33")
      out += "\n  \(label) \(group.code.rawValue) (\(group.total))\n"
      for finding in group.findings.prefix(examplesPerCode) {
        out += "    - \(line(finding))\n"
        for nested in outline.consequences(of: finding) {
          out += "        explains \(nested.total) \(nested.code.rawValue):\n"
          for consequence in nested.findings.prefix(3) {
            out += "          - \(line(consequence))\n"
          }
          if nested.total > min(nested.findings.count, 3) {
            out +=
              "          ... and \(nested.total - min(nested.findings.count, 3)) more\(Self.listingHint)\n"
          }
        }
      }
      if group.total > min(group.findings.count, examplesPerCode) {
        out +=
          "    ... and \(group.total - min(group.findings.count, examplesPerCode)) more\(Self.listingHint)\n"
      }
      out += "    What to do: \(group.code.advice)\n"
    }
    if infoCount > 0 {
      let notes = report.typedFindings.filter { $0.severity == .info }
      out +=
        "\n  Notes: \(notes.prefix(3).map { "\($0.code.rawValue) \($0.location.description)" }.joined(separator: "; "))"
      out += infoCount > 3 ? "; and \(infoCount - 3) more\(Self.listingHint)\n" : "\n"
    }
    return out
  }

  /// Where the findings a cut list leaves out are listed: every one kept is in the JSON report,
  /// and `--max-findings` keeps more per code.
  static let listingHint = " (--format json lists them; --max-findings N keeps N per code)"

  /// Names joined with commas, wrapped at `width` columns, continuation lines indented.
  static func wrapped(_ names: [String], indent: Int, width: Int) -> String {
    var out = ""
    var column = width
    for (index, name) in names.enumerated() {
      let piece = name + (index == names.count - 1 ? "" : ",")
      if column + piece.count + 1 > width {
        out += "\n" + String(repeating: " ", count: indent)
        column = indent
      } else {
        out += " "
        column += 1
      }
      out += piece
      column += piece.count
    }
    return out
  }

  /// What a certified verdict claims: complete against the org's own inventory when one was
  /// compared, else only as far as the export's own data can tell.
  public static func claim(_ report: VerificationReport) -> String {
    if let inventory = report.inventory, inventory.comparison.usable {
      return "this export is complete against the org's inventory of \(inventory.takenAt)"
    }
    return "this export is complete as far as its own data can tell"
  }

  /// The verdict in one line. Alone (`--quiet`), it says where the errors are to be read
  /// instead of pointing "above" at nothing.
  public func verdictLine(_ report: VerificationReport, alone: Bool) -> String {
    guard alone, !report.isCertified else { return verdictLine(report) }
    let errors = report.summary.errors
    return paint("NOT CERTIFIED", "1;31")
      + ": \(errors) error\(errors == 1 ? "" : "s") (run without --quiet, or read the reports, to see them); do not rely on this export until they are resolved."
  }

  /// The verdict in one line, closing the full text report.
  public func verdictLine(_ report: VerificationReport) -> String {
    let warnings = report.summary.warnings
    let withWarnings =
      warnings == 0 ? "" : " with \(warnings) warning\(warnings == 1 ? "" : "s")"
    let errors = report.summary.errors
    return report.isCertified
      ? paint("CERTIFIED", "1;32")
        + "\(withWarnings): no error found; \(Self.claim(report))."
      : paint("NOT CERTIFIED", "1;31")
        + ": \(errors) error\(errors == 1 ? "" : "s") above; do not rely on this export until they are resolved."
  }
}
