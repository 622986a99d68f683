/// Gathers findings while keeping at most `limit` of each code (the rest are counted), so a
/// million bad rows cost a counter, not a million messages.
public struct FindingCollector: Sendable {
  public let limit: Int
  public private(set) var kept: [Finding] = []
  public private(set) var countByCode: [FindingCode: Int] = [:]
  /// Per code, how many findings had each severity (indexed like `Severity.allCases`).
  private var severitiesByCode: [FindingCode: [Int]] = [:]
  public private(set) var errors = 0
  public private(set) var warnings = 0
  public private(set) var infos = 0
  /// Severities a policy imposes on codes, whatever the check chose.
  public var overrides: [FindingCode: Severity] = [:]

  public init(limit: Int, overrides: [FindingCode: Severity] = [:]) {
    self.limit = max(limit, 1)
    self.overrides = overrides
  }

  public mutating func add(_ finding: Finding) { add(finding, keep: true) }

  public mutating func add(contentsOf findings: [Finding]) {
    for finding in findings { add(finding) }
  }

  mutating func add(_ finding: Finding, keep: Bool) {
    var finding = finding
    if let imposed = overrides[finding.code] { finding.severity = imposed }
    tally(finding.code, finding.severity, times: 1)
    if keep && countByCode[finding.code, default: 0] <= limit { kept.append(finding) }
  }

  /// Counts findings that were not kept as values (e.g. beyond the parser's own report limit).
  mutating func count(_ code: FindingCode, severity: Severity, times: Int) {
    guard times > 0 else { return }
    tally(code, overrides[code] ?? severity, times: times)
  }

  private mutating func tally(_ code: FindingCode, _ severity: Severity, times: Int) {
    countByCode[code, default: 0] += times
    var bySeverity = severitiesByCode[code] ?? [0, 0, 0]
    switch severity {
    case .info:
      infos += times
      bySeverity[0] += times
    case .warning:
      warnings += times
      bySeverity[1] += times
    case .error:
      errors += times
      bySeverity[2] += times
    }
    severitiesByCode[code] = bySeverity
  }

  /// Adds everything another collector gathered, as if its findings had come next: the kept
  /// ones as findings, the others as counts with their own severities.
  mutating func absorb(_ other: FindingCollector) {
    var keptBySeverity: [FindingCode: [Int]] = [:]
    for finding in other.kept {
      var counts = keptBySeverity[finding.code] ?? [0, 0, 0]
      counts[finding.severity == .info ? 0 : finding.severity == .warning ? 1 : 2] += 1
      keptBySeverity[finding.code] = counts
      add(finding)
    }
    for (code, counts) in other.severitiesByCode {
      let kept = keptBySeverity[code] ?? [0, 0, 0]
      count(code, severity: .info, times: counts[0] - kept[0])
      count(code, severity: .warning, times: counts[1] - kept[1])
      count(code, severity: .error, times: counts[2] - kept[2])
    }
  }
}
