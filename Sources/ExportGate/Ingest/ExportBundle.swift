/// The inputs of one export, found and ordered but not yet read: its ZIP parts (by part number)
/// and any extracted folders, plus what the names alone already tell (gaps, foreign orgs).
public struct ExportBundle: Sendable {
  /// Parts in reading order: Salesforce-named parts by number, then others by name.
  public var parts: [PartFile]
  /// Extracted export folders.
  public var folders: [ExtractedFolder]
  /// The Org Id the parts agree on (the most common one), if any part is named.
  public var orgId: String?
  /// Findings from names and sizes alone (`part-missing`, `part-org-mismatch`, ...).
  public var findings: [Finding]
  /// Parts that must not be read as content (another org's, or a byte-identical copy).
  public var excludedParts: Set<String>
  /// SHA-256s already computed while locating (parts of equal size), by path.
  public var knownDigests: [String: String] = [:]
  /// The part list `fetch` recorded beside the parts (`export-parts.json`), and where.
  public var partList: ExportPartList?
  public var partListPath: String?
  /// Where the org's inventory beside the parts is (`org-inventory.json`), if there is one.
  public var inventoryPath: String?

  public init(
    parts: [PartFile], folders: [ExtractedFolder], orgId: String?, findings: [Finding],
    excludedParts: Set<String>
  ) {
    self.parts = parts
    self.folders = folders
    self.orgId = orgId
    self.findings = findings
    self.excludedParts = excludedParts
  }
}
