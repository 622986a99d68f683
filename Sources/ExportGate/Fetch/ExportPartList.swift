import Foundation

/// `export-parts.json`: the parts as the Data Export page listed them when `fetch` read it,
/// and what was downloaded of each. Nothing inside a part says how many parts an export has;
/// this list does, so `verify` can call a part that is absent (even the last) missing.
public struct ExportPartList: Codable, Sendable, Equatable {
  /// One part.
  public struct Part: Codable, Sendable, Equatable {
    public var name: String
    public var exportId: String
    public var displayedSize: String?
    /// Set once the part is downloaded and checked.
    public var bytes: Int64?
    public var sha256: String?
    public var downloadedAt: String?
    /// What the org identified the part's bytes by when its download began: a partial file
    /// is resumed only under the same validators.
    public var validators: PartValidators?

    public init(
      name: String, exportId: String, displayedSize: String?, bytes: Int64? = nil,
      sha256: String? = nil, downloadedAt: String? = nil, validators: PartValidators? = nil
    ) {
      self.name = name
      self.exportId = exportId
      self.displayedSize = displayedSize
      self.bytes = bytes
      self.sha256 = sha256
      self.downloadedAt = downloadedAt
      self.validators = validators
    }
  }

  public static let fileName = "export-parts.json"

  public var instance: String
  /// When the page was read (ISO 8601).
  public var readAt: String
  /// The page's "Schedule Date", as shown.
  public var scheduleDate: String?
  public var encoding: String?
  public var parts: [Part]

  public static func load(folder: String) throws -> ExportPartList? {
    let path = (folder as NSString).appendingPathComponent(fileName)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    let data = try InputFile.read(path, what: "part list", limit: 64 << 20)
    return try JSONDecoder().decode(ExportPartList.self, from: data)
  }

  public func save(folder: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write(
      try encoder.encode(self) + Data("\n".utf8),
      to: (folder as NSString).appendingPathComponent(Self.fileName))
  }
}
