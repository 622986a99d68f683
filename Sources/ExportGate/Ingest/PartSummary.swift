import Foundation

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
  /// Newest and oldest entry modification times (seconds since 1970; ISO 8601 in JSON, as in
  /// verify's report).
  public var newestEntry: Int64?
  public var oldestEntry: Int64?

  private enum CodingKeys: String, CodingKey {
    case name, path, bytes, sha256, number, orgId, entries, uncompressedBytes, isFolder
    case excludedBecause, decodedBy, newestEntry, oldestEntry
  }
}

extension PartSummary {
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    path = try container.decode(String.self, forKey: .path)
    bytes = try container.decode(Int64.self, forKey: .bytes)
    sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
    number = try container.decodeIfPresent(Int.self, forKey: .number)
    orgId = try container.decodeIfPresent(String.self, forKey: .orgId)
    entries = try container.decode(Int.self, forKey: .entries)
    uncompressedBytes = try container.decode(Int64.self, forKey: .uncompressedBytes)
    isFolder = try container.decode(Bool.self, forKey: .isFolder)
    excludedBecause = try container.decodeIfPresent(String.self, forKey: .excludedBecause)
    decodedBy = try container.decodeIfPresent(String.self, forKey: .decodedBy)
    newestEntry = try Self.seconds(container, .newestEntry)
    oldestEntry = try Self.seconds(container, .oldestEntry)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(path, forKey: .path)
    try container.encode(bytes, forKey: .bytes)
    try container.encodeIfPresent(sha256, forKey: .sha256)
    try container.encodeIfPresent(number, forKey: .number)
    try container.encodeIfPresent(orgId, forKey: .orgId)
    try container.encode(entries, forKey: .entries)
    try container.encode(uncompressedBytes, forKey: .uncompressedBytes)
    try container.encode(isFolder, forKey: .isFolder)
    try container.encodeIfPresent(excludedBecause, forKey: .excludedBecause)
    try container.encodeIfPresent(decodedBy, forKey: .decodedBy)
    let format = ISO8601DateFormatter()
    try container.encodeIfPresent(
      newestEntry.map { format.string(from: Date(timeIntervalSince1970: TimeInterval($0))) },
      forKey: .newestEntry)
    try container.encodeIfPresent(
      oldestEntry.map { format.string(from: Date(timeIntervalSince1970: TimeInterval($0))) },
      forKey: .oldestEntry)
  }

  /// An ISO 8601 time as seconds since 1970.
  private static func seconds(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys)
    throws -> Int64?
  {
    guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
    guard let date = ISO8601DateFormatter().date(from: text) else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container, debugDescription: "not an ISO 8601 time: \(text)")
    }
    return Int64(date.timeIntervalSince1970)
  }
}
