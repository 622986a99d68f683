import Foundation

/// The result of `exportgate inspect`: what the bundle holds, without judging it.
public struct Inventory: Sendable, Encodable {
  /// One object CSV (or one piece of it, when an object is split across parts).
  public struct ObjectEntry: Sendable, Codable, Hashable {
    public var name: String
    public var part: String
    public var entry: String
    /// Uncompressed bytes.
    public var bytes: Int64
    /// False when the entry was damaged or cut off.
    public var intact: Bool
  }

  /// One binary folder's totals across all parts.
  public struct FolderEntry: Sendable, Codable, Hashable {
    public var name: String
    public var files: Int
    public var bytes: Int64
  }

  public var orgId: String?
  public var parts: [PartSummary]
  public var objects: [ObjectEntry]
  public var folders: [FolderEntry]
  public var findings: [Finding]

  private enum CodingKeys: String, CodingKey { case orgId, parts, objects, folders, findings }

  /// Findings in the JSON shape `verify` uses (flat, with `advice`), so one parser reads both.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(orgId, forKey: .orgId)
    try container.encode(parts, forKey: .parts)
    try container.encode(objects, forKey: .objects)
    try container.encode(folders, forKey: .folders)
    try container.encode(
      findings.map(VerificationReport.ReportedFinding.init), forKey: .findings)
  }

  /// Reads the bundle at `paths` and takes stock.
  public static func inspect(paths: [String]) throws -> Inventory {
    let bundle = try BundleLocator.locate(paths)
    let collector = InventoryCollector()
    let result = BundleScanner(bundle: bundle).scan(visitor: collector)
    return Inventory(
      orgId: result.orgId, parts: result.parts,
      objects: collector.objects.sorted { ($0.name, $0.part) < ($1.name, $1.part) },
      folders: collector.folders, findings: result.findings)
  }

  /// True when any finding is an error.
  public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}
