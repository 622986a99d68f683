/// One problem (or notable fact) found in an export, with a stable code and a location.
/// Findings are values: checks produce them, reports render them, nothing parses their messages.
public struct Finding: Sendable, Codable, Hashable {
  public var code: FindingCode
  public var severity: Severity
  public var message: String
  public var location: FindingLocation
  /// The finding's reference in its report (`F1`, `F2`, ... in report order), set when the
  /// report is made, so that consequences can name their cause.
  public var id: String?
  /// The `id` of the finding that explains this one (one unreadable part explains the files
  /// that would have been in it). Nil for root causes and independent findings.
  public var causedBy: String?
  /// For a cause: how many findings of each code it explains (totals, including those past
  /// the report's per-code limit).
  public var explains: [ExplainedCount] = []

  public init(
    _ code: FindingCode, _ message: String, at location: FindingLocation = FindingLocation(),
    severity: Severity? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.message = message
    self.location = location
  }
}
