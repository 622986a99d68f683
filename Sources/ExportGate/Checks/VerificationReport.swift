/// The result of `verify`: the verdict and everything it rests on. Its JSON form is the
/// machine-readable report documented in `docs/report-schema.md`; keys are stable.
public struct VerificationReport: Sendable, Codable {
  /// `certified` when no finding is an error.
  public enum Verdict: String, Sendable, Codable {
    case certified
    case notCertified = "not-certified"
  }

  public struct Tool: Sendable, Codable {
    public var name = "exportgate"
    public var version = ExportGateVersion.current
  }

  public struct Part: Sendable, Codable {
    public var name: String
    public var bytes: Int64
    public var sha256: String?
    public var number: Int?
    public var entries: Int
    public var folder: Bool
    public var excludedBecause: String?
  }

  /// The part list `fetch` recorded, when verify read one.
  public struct PartList: Sendable, Codable {
    public var path: String
    public var sha256: String
    /// When fetch read the Data Export page.
    public var readAt: String
    public var instance: String
    /// Parts the page listed.
    public var parts: Int
  }

  public struct Export: Sendable, Codable {
    public var orgId: String?
    /// The Data Export page's part list (`export-parts.json`), when present.
    public var partList: PartList?
    public var parts: [Part]
    /// Newest entry modification time in the parts (ISO 8601, UTC), when known.
    public var newestEntry: String?
  }

  public struct Object: Sendable, Codable {
    public var name: String
    /// Data records (not lines, header excluded), over all pieces.
    public var records: Int
    public var columns: Int
    /// Parts holding a piece of this object's CSV.
    public var parts: [String]
    /// False when a piece was damaged or cut off (the count is then a lower bound).
    public var complete: Bool
    /// The records the counts file (`--expect-counts`) says the org holds, when given.
    public var expectedRecords: Int?
    /// The records the org's inventory says were created by T (a lower bound), when there is
    /// one and it counted them exactly.
    public var orgRecords: Int?
  }

  public struct Files: Sendable, Codable {
    /// The folder as named in the archive, without the slash.
    public var folder: String
    public var metadataObject: String
    /// Files the metadata rows say exist.
    public var expected: Int
    /// Files found in the folder.
    public var present: Int
    /// Expected files not found.
    public var missing: Int
    /// Bytes of the files found.
    public var bytes: Int64
  }

  /// One finding, flattened for JSON consumers.
  public struct ReportedFinding: Sendable, Codable {
    /// `F1`, `F2`, ... in report order.
    public var id: String?
    /// The `id` of the root cause that explains this finding.
    public var causedBy: String?
    /// For a root cause: how many findings of each code it explains.
    public var explains: [ExplainedCount]?
    /// What to do (the code's advice).
    public var advice: String
    public var code: String
    public var severity: String
    public var message: String
    public var part: String?
    public var entry: String?
    public var object: String?
    public var line: Int?
    public var record: Int?
    public var byteOffset: Int64?
    public var recordId: String?
    public var field: String?

    init(_ finding: Finding) {
      id = finding.id
      causedBy = finding.causedBy
      explains = finding.explains.isEmpty ? nil : finding.explains
      advice = finding.code.advice
      code = finding.code.rawValue
      severity = finding.severity.rawValue
      message = finding.message
      part = finding.location.part
      entry = finding.location.entry
      object = finding.location.object
      line = finding.location.line
      record = finding.location.record
      byteOffset = finding.location.byteOffset
      recordId = finding.location.recordId
      field = finding.location.field
    }
  }

  public struct Summary: Sendable, Codable {
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    /// Total findings per code, including those beyond `--max-findings`.
    public var countsByCode: [String: Int]
    /// How many findings per code the report lists at most.
    public var maxFindingsPerCode: Int
    public var records: Int
    public var referencesChecked: Int
  }

  /// The contract deadline a policy states.
  public struct ContractSummary: Sendable, Codable, Equatable {
    public var endDate: String
    public var noticeDays: Int
    /// The last day notice can be sent (endDate minus noticeDays).
    public var lastNoticeDay: String
    /// Days from the verification to that day (negative when it has passed).
    public var daysLeft: Int
  }

  /// The certificate `verify --certificate` wrote for this report.
  public struct CertificateInfo: Sendable, Codable {
    public var path: String
    /// Signed (DSSE, Ed25519) or a plain statement.
    public var signed: Bool
    /// Parts it names by SHA-256.
    public var subjects: Int

    public init(path: String, signed: Bool, subjects: Int) {
      self.path = path
      self.signed = signed
      self.subjects = subjects
    }
  }

  /// What the checks compared with the org's inventory.
  public struct InventoryComparison: Sendable, Codable, Equatable {
    /// False when the inventory is of another org (nothing was compared).
    public var usable = true
    /// Objects with records in the org that were looked for in the export.
    public var objectsCompared = 0
    /// Described fields required as columns.
    public var fieldsCompared = 0
    /// Described fields not required, by the rule that excluded them.
    public var fieldsExcluded: [String: Int] = [:]
    /// Files of the org's list compared with the ContentVersion folder.
    public var filesCompared = 0

    public init() {}
  }

  /// The org's inventory (`org-inventory.json`) verify compared the export with.
  public struct InventoryInfo: Sendable, Codable {
    public var path: String
    public var sha256: String
    /// When it was taken, and T (records created by then must all be in the export).
    public var takenAt: String
    public var asOf: String
    public var asOfSource: String
    public var instance: String
    public var apiVersion: String
    public var username: String?
    public var organizationId: String?
    public var comparison: InventoryComparison
  }

  /// The policy in force.
  public struct PolicyInfo: Sendable, Codable {
    /// SHA-256 of the policy file.
    public var sha256: String?
    public var contract: ContractSummary?
  }

  public var verdict: Verdict
  public var tool = Tool()
  /// When the verification ran (ISO 8601, UTC).
  public var verifiedAt: String?
  public var policy: PolicyInfo?
  /// The objects this run required (the default set, `--require`, or a policy's): each is in
  /// the export, or an `object-missing` error says it is not.
  public var requiredObjects: [String]?
  /// The certificate written, when `--certificate` was given and the export certified.
  public var certificate: CertificateInfo?
  public var export: Export
  /// The org's inventory the export was compared with, when there was one.
  public var inventory: InventoryInfo?
  public var objects: [Object]
  public var files: [Files]
  public var findings: [ReportedFinding]
  public var summary: Summary

  /// The findings as typed values (not encoded; the JSON has `findings`).
  public var typedFindings: [Finding] = []

  private enum CodingKeys: String, CodingKey {
    case verdict, tool, verifiedAt, policy, requiredObjects, certificate, export, inventory,
      objects, files, findings, summary
  }

  public var isCertified: Bool { verdict == .certified }
}
