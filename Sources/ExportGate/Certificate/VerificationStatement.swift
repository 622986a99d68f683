import Foundation

/// The certificate's content: an in-toto Statement v1 whose subjects are the parts (by
/// SHA-256) and whose predicate records what ExportGate verified.
public struct VerificationStatement: Codable, Sendable, Equatable {
  public static let type = "https://in-toto.io/Statement/v1"
  public static let predicateType = "https://exportgate.dev/attestation/export-verification/v1"

  public struct Subject: Codable, Sendable, Equatable {
    public var name: String
    public var digest: [String: String]
  }

  public struct FolderCount: Codable, Sendable, Equatable {
    public var expected: Int
    public var present: Int
    public var bytes: Int64
  }

  /// The part list `fetch` recorded (`export-parts.json`): what makes "no part is missing" a
  /// fact rather than a guess, named by its digest.
  public struct PartListClaim: Codable, Sendable, Equatable {
    public var name: String
    public var digest: [String: String]
    /// When fetch read the Data Export page.
    public var readAt: String
    public var instance: String
    /// Parts the page listed.
    public var parts: Int
  }

  /// The org's inventory the export was certified against (`org-inventory.json`), by digest:
  /// what makes "complete against the org" a claim that can be re-checked.
  public struct InventoryClaim: Codable, Sendable, Equatable {
    public var name: String
    public var digest: [String: String]
    public var takenAt: String
    /// T: records created by then are all in the export.
    public var asOf: String
    public var instance: String
    public var username: String?
  }

  public struct Predicate: Codable, Sendable, Equatable {
    public var tool: [String: String]
    public var verdict: String
    public var verifiedAt: String
    public var orgId: String?
    /// SHA-256 of the policy file, when one was used.
    public var policyDigest: [String: String]?
    /// The part list the verification read, when there was one.
    public var partList: PartListClaim?
    /// The org's inventory the verification compared the export with, when there was one.
    public var inventory: InventoryClaim?
    public var objects: [String: Int]
    public var files: [String: FolderCount]
    public var errors: Int
    public var warnings: Int
  }

  /// Serialised as `_type`, as in-toto names it.
  public var type = VerificationStatement.type
  public var subject: [Subject]
  public var predicateType = VerificationStatement.predicateType
  public var predicate: Predicate

  private enum CodingKeys: String, CodingKey {
    case type = "_type"
    case subject, predicateType, predicate
  }

  /// The statement for a certified report; nil for a refused one (it gets no certificate),
  /// and for one read from extracted folders only: a certificate must name bytes (the parts'
  /// SHA-256) that can be re-checked later.
  public init?(report: VerificationReport) {
    guard report.isCertified else { return nil }
    subject = report.export.parts.filter { !$0.folder }.compactMap { part in
      part.sha256.map { Subject(name: part.name, digest: ["sha256": $0]) }
    }
    guard !subject.isEmpty, !report.export.parts.contains(where: \.folder) else { return nil }
    predicate = Predicate(
      tool: ["name": report.tool.name, "version": report.tool.version],
      verdict: report.verdict.rawValue,
      verifiedAt: report.verifiedAt ?? "", orgId: report.export.orgId,
      policyDigest: report.policy?.sha256.map { ["sha256": $0] },
      partList: report.export.partList.map {
        PartListClaim(
          name: ($0.path as NSString).lastPathComponent, digest: ["sha256": $0.sha256],
          readAt: $0.readAt, instance: $0.instance, parts: $0.parts)
      },
      inventory: report.inventory.flatMap { inventory in
        inventory.comparison.usable && !inventory.sha256.isEmpty
          ? InventoryClaim(
            name: (inventory.path as NSString).lastPathComponent,
            digest: ["sha256": inventory.sha256], takenAt: inventory.takenAt,
            asOf: inventory.asOf, instance: inventory.instance, username: inventory.username)
          : nil
      },
      objects: Dictionary(uniqueKeysWithValues: report.objects.map { ($0.name, $0.records) }),
      files: Dictionary(
        uniqueKeysWithValues: report.files.map {
          ($0.folder, FolderCount(expected: $0.expected, present: $0.present, bytes: $0.bytes))
        }),
      errors: report.summary.errors, warnings: report.summary.warnings)
  }

  /// Canonical bytes (sorted keys): what is signed.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}
