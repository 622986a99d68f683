import Foundation

/// What `verify` checks and how strictly.
public struct VerificationOptions: Sendable {
  /// Objects that must be present (replaces the default list when set).
  public var requiredObjects: [String] = StandardObjects.defaultRequired
  /// Where `requiredObjects` came from, to name a typo's source (`--require`, a policy).
  public var requiredObjectsSource = "the default required objects"
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
  /// Severities that replace codes' defaults (from a policy).
  public var severityOverrides: [FindingCode: Severity] = [:]
  /// The policy in force, if any (minimum records, export age, contract).
  public var policy: Policy?
  /// Record counts the org reports (`--expect-counts`).
  public var expectedCounts: ExpectedCounts?
  /// File checksums the org reports (`--expect-checksums`).
  public var expectedChecksums: ExpectedChecksums?
  /// The org's inventory (`--inventory`; else `org-inventory.json` beside the parts), and
  /// where it was read.
  public var inventory: OrgInventory?
  public var inventoryPath: String?
  /// Workers reading parts and hashing them (nil: every core).
  public var jobs: Int?
  /// "Now", for export age and contract deadlines (fixed in tests).
  public var now = Date()
  /// The day ages and deadlines are judged as of (`verify --as-of`); nil: ``now``. The
  /// report's time of verification stays ``now``.
  public var asOf: Date?
  /// A certificate of these parts written earlier (`exportgate-certificate.json` beside them):
  /// the export's age is then judged as of its certification.
  public var priorCertificate: VerificationStatement?

  public init() {}
}
