import Foundation

/// A cancellation runbook's rules for accepting an export, read from a YAML (or JSON) file:
/// what must be there, how strict each finding is, how fresh the export must be, and the
/// contract's notice deadline.
public struct Policy: Sendable, Equatable {
  /// The contract whose cancellation the export prepares.
  public struct Contract: Sendable, Equatable {
    /// The day the contract ends (UTC).
    public var endDate: Date
    /// Days of notice the contract requires (30 minimum; 60 recommended).
    public var noticeDays: Int = 60
    /// Warn this many days before the last day to send notice.
    public var warnDaysBefore: Int = 14
    /// Make a near or missed notice deadline an error (refuses certification).
    public var noticeIsError = false
  }

  public var requiredObjects: [String]?
  public var minimumRecords: [String: Int] = [:]
  public var severity: [FindingCode: Severity] = [:]
  /// `false` means files were left out on purpose (like `--no-files`).
  public var filesRequired: Bool?
  /// `true`: every stored field the org's inventory describes must be a column of the
  /// export (`org-field-not-exported` becomes an error).
  public var fieldsComplete: Bool?
  public var encoding: TextEncoding?
  /// The newest entry of the export must be at most this many days old.
  public var maxExportAgeDays: Int?
  public var contract: Contract?
  /// SHA-256 of the policy file's bytes, recorded in certificates.
  public var digest: String?

  public init() {}

  /// Applies the policy to verification options (command-line flags given explicitly win).
  public func apply(to options: inout VerificationOptions) {
    if let requiredObjects {
      options.requiredObjects = requiredObjects
      options.requiredObjectsSource = "the policy's requiredObjects"
    }
    if let filesRequired { options.filesExcluded = !filesRequired }
    if let encoding { options.encoding = encoding }
    if fieldsComplete == true { options.severityOverrides[.orgFieldNotExported] = .error }
    options.severityOverrides.merge(severity) { _, policy in policy }
    options.policy = self
  }
}
