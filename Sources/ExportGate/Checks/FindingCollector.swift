/// Gathers findings while keeping at most `limit` of each code (the rest are counted), so a
/// million bad rows cost a counter, not a million messages.
public struct FindingCollector: Sendable {
  public let limit: Int
  public private(set) var kept: [Finding] = []
  public private(set) var countByCode: [FindingCode: Int] = [:]
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

  mutating func add(_ finding: Finding, keep: Bool) {
    var finding = finding
    if let imposed = overrides[finding.code] { finding.severity = imposed }
    let count = countByCode[finding.code, default: 0] + 1
    countByCode[finding.code] = count
    switch finding.severity {
    case .error: errors += 1
    case .warning: warnings += 1
    case .info: infos += 1
    }
    if keep && count <= limit { kept.append(finding) }
  }

  public mutating func add(contentsOf findings: [Finding]) {
    for finding in findings { add(finding) }
  }
}
