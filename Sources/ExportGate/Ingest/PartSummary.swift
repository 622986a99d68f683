/// What ingest learnt about one part or extracted folder.
public struct PartSummary: Sendable, Codable, Hashable {
  public var name: String
  public var path: String
  public var bytes: Int64
  /// SHA-256 of the file's bytes (nil for folders, or when it could not be read).
  public var sha256: String?
  /// The number in a Salesforce part name.
  public var number: Int?
  /// The Org Id in a Salesforce part name.
  public var orgId: String?
  /// Entries (or files) seen.
  public var entries: Int
  /// Bytes of entry content streamed.
  public var uncompressedBytes: Int64
  /// Whether this is an extracted folder rather than a ZIP part.
  public var isFolder: Bool
  /// Why the part's content was left out of the checks, if it was.
  public var excludedBecause: String?
  /// What decoded the part's entries: "exportgate" (its own read of plain Stored and Deflate
  /// entries) or "libarchive" (every other part); nil for folders and parts left out.
  public var decodedBy: String?
  /// Newest and oldest entry modification times (seconds since 1970).
  public var newestEntry: Int64?
  public var oldestEntry: Int64?
}
