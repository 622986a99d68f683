/// One problem (or notable fact) found in an export, with a stable code and a location.
/// Findings are values: checks produce them, reports render them, nothing parses their messages.
public struct Finding: Sendable, Codable, Hashable {
  public var code: FindingCode
  public var severity: Severity
  public var message: String
  public var location: FindingLocation

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
