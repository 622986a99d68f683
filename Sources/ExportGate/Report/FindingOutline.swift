/// A report's findings as people read them: root causes and independent findings grouped by
/// code, and under each cause the findings it explains, grouped by code too. Every renderer
/// for people (text, Markdown, HTML, JUnit) walks the same outline, so a consequence is listed
/// once, under its cause, and counted, never repeated at the top level.
public struct FindingOutline {
  /// Findings of one code, with the true total (the report lists at most a few per code).
  public struct Group {
    public var code: FindingCode
    public var severity: Severity
    public var total: Int
    public var findings: [Finding]
  }

  /// Top-level groups in report order: causes first (parts, entries), then the rest.
  public let groups: [Group]
  private let consequencesByCause: [String: [Finding]]

  public init(_ report: VerificationReport, includeInfo: Bool = false) {
    let findings = report.typedFindings.filter { includeInfo || $0.severity != .info }
    var explained: [FindingCode: Int] = [:]
    var byCause: [String: [Finding]] = [:]
    for finding in report.typedFindings {
      for item in finding.explains { explained[item.code, default: 0] += item.count }
      if let cause = finding.causedBy { byCause[cause, default: []].append(finding) }
    }
    consequencesByCause = byCause
    var order: [FindingCode] = []
    var byCode: [FindingCode: [Finding]] = [:]
    for finding in findings where finding.causedBy == nil {
      if byCode[finding.code] == nil { order.append(finding.code) }
      byCode[finding.code, default: []].append(finding)
    }
    groups = order.compactMap { code in
      guard let listed = byCode[code], let first = listed.first else { return nil }
      let all = report.summary.countsByCode[code.rawValue] ?? listed.count
      return Group(
        code: code, severity: listed.map(\.severity).max() ?? first.severity,
        total: max(all - explained[code, default: 0], listed.count), findings: listed)
    }
  }

  /// What `finding` explains, grouped by code, with the totals the cause carries.
  public func consequences(of finding: Finding) -> [Group] {
    guard let id = finding.id, let nested = consequencesByCause[id] else { return [] }
    return finding.explains.compactMap { item in
      let listed = nested.filter { $0.code == item.code }
      guard let first = listed.first else { return nil }
      return Group(
        code: item.code, severity: listed.map(\.severity).max() ?? first.severity,
        total: max(item.count, listed.count), findings: listed)
    }
  }

  /// `explains 92 file-missing, 3 reference-dangling`, or nil.
  public static func explanation(_ finding: Finding) -> String? {
    finding.explains.isEmpty
      ? nil : "explains " + finding.explains.map(\.description).joined(separator: ", ")
  }
}
