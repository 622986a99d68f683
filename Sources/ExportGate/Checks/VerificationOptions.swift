/// What `verify` checks and how strictly.
public struct VerificationOptions: Sendable {
  /// Objects that must be present (replaces the default list when set).
  public var requiredObjects: [String] = StandardObjects.defaultRequired
  /// Files were left out of the export on purpose: file findings become warnings.
  public var filesExcluded = false
  /// The export's encoding (`auto`: UTF-8 when valid, else Windows-1252 with a warning).
  public var encoding: TextEncoding = .auto
  /// Findings kept per code in the report (all are counted).
  public var maxFindingsPerCode = 20
  /// Examples kept per grouped finding (dangling references).
  public var examplesPerGroup = 3
  /// Limits against hostile archives.
  public var limits = ScanLimits()

  public init() {}
}
