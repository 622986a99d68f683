import Foundation

/// `org-inventory.json`: what the org held when its Data Export was made, asked of the org
/// itself while it still exists (objects, their stored fields, record counts as of a moment
/// certainly before the export started, the Salesforce Files it stores, and who asked with
/// which permissions). `verify` certifies the export against it; the certificate names it by
/// digest. Its shape is documented in docs/inventory.md; keys are stable.
public struct OrgInventory: Codable, Sendable, Equatable {
  public static let fileName = "org-inventory.json"
  /// The shape's version; a reader refuses a newer one rather than misread it.
  public static let currentFormat = 1
  /// A file this large is not an inventory (200,000 files take about 30 MB).
  static let sizeLimit = 512 << 20

  /// Who took the inventory.
  public struct InventoryUser: Codable, Sendable, Equatable {
    public var userId: String?
    public var username: String?
    public var organizationId: String?

    public init(userId: String? = nil, username: String? = nil, organizationId: String? = nil) {
      self.userId = userId
      self.username = username
      self.organizationId = organizationId
    }
  }

  /// The inventory user's effective permissions; nil where the org did not say.
  public struct Permissions: Codable, Sendable, Equatable {
    /// Without it, counts cover only the records that user can see.
    public var viewAllData: Bool?
    /// Without it, the file list covers only the files that user can see.
    public var queryAllFiles: Bool?
    /// "Weekly Data Export".
    public var dataExport: Bool?

    public init(viewAllData: Bool? = nil, queryAllFiles: Bool? = nil, dataExport: Bool? = nil) {
      self.viewAllData = viewAllData
      self.queryAllFiles = queryAllFiles
      self.dataExport = dataExport
    }
  }

  /// Record counts of one object. `asOf` alone is a sound lower bound for the export.
  public struct RecordCount: Codable, Sendable, Equatable {
    /// `SELECT COUNT() ... WHERE CreatedDate <= asOf` (records the export must hold).
    public var asOf: Int?
    /// `SELECT COUNT()` when the inventory was taken.
    public var now: Int?
    /// `/limits/recordCount` (a cached snapshot: never the basis of an error alone).
    public var approximate: Int?
    /// Why `asOf` is absent (the org's error code, or that the object has no CreatedDate).
    public var asOfUnavailable: String?

    public init(
      asOf: Int? = nil, now: Int? = nil, approximate: Int? = nil, asOfUnavailable: String? = nil
    ) {
      self.asOf = asOf
      self.now = now
      self.approximate = approximate
      self.asOfUnavailable = asOfUnavailable
    }

    /// The best count known: exact as of T, else now, else the approximation.
    public var best: Int? { asOf ?? now ?? approximate }
  }

  /// One field as the org describes it.
  public struct Field: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    /// Formula fields (and possibly roll-up summaries): never exported.
    public var calculated: Bool
    /// Set on an address or location component: the compound it belongs to.
    public var compoundFieldName: String?
    public var referenceTo: [String]

    public init(
      name: String, type: String, calculated: Bool = false, compoundFieldName: String? = nil,
      referenceTo: [String] = []
    ) {
      self.name = name
      self.type = type
      self.calculated = calculated
      self.compoundFieldName = compoundFieldName
      self.referenceTo = referenceTo
    }
  }

  /// One object the Data Export can hold.
  public struct Object: Codable, Sendable, Equatable {
    public var name: String
    public var keyPrefix: String?
    public var custom: Bool
    public var queryable: Bool
    public var replicateable: Bool
    public var count: RecordCount
    /// The stored fields, for objects with records (nil when not described).
    public var fields: [Field]?

    public init(
      name: String, keyPrefix: String?, custom: Bool, queryable: Bool = true,
      replicateable: Bool = true, count: RecordCount = RecordCount(), fields: [Field]? = nil
    ) {
      self.name = name
      self.keyPrefix = keyPrefix
      self.custom = custom
      self.queryable = queryable
      self.replicateable = replicateable
      self.count = count
      self.fields = fields
    }
  }

  /// An object of the org left out of the inventory, and the rule that left it out.
  public struct SkippedObject: Codable, Sendable, Equatable {
    public var name: String
    public var rule: String
  }

  /// One Salesforce File version stored in Salesforce (ContentLocation `S`).
  public struct ContentFile: Codable, Sendable, Equatable {
    public var id: String
    public var contentDocumentId: String?
    /// The org's MD5 of the file (lower-case hex).
    public var checksum: String?
    public var size: Int64?

    public init(id: String, contentDocumentId: String?, checksum: String?, size: Int64?) {
      self.id = id
      self.contentDocumentId = contentDocumentId
      self.checksum = checksum
      self.size = size
    }
  }

  public var format = OrgInventory.currentFormat
  public var tool = ["name": "exportgate", "version": ExportGateVersion.current]
  /// When the inventory was taken (ISO 8601, UTC).
  public var takenAt: String
  /// T: the moment the counts are anchored on, certainly before the export started.
  public var asOf: String
  /// Where T came from (`the Data Export page's schedule date ...`, `--as-of`).
  public var asOfSource: String
  public var instance: String
  public var apiVersion: String
  public var user: InventoryUser
  public var permissions: Permissions
  public var objects: [Object]
  public var skipped: [SkippedObject]
  /// ContentVersions created by T and stored in Salesforce; nil when the query failed.
  public var contentFiles: [ContentFile]?
  /// What could not be asked, in words (the inventory is still usable without it).
  public var problems: [String]

  public init(
    takenAt: String, asOf: String, asOfSource: String, instance: String, apiVersion: String,
    user: InventoryUser, permissions: Permissions, objects: [Object],
    skipped: [SkippedObject] = [], contentFiles: [ContentFile]? = nil, problems: [String] = []
  ) {
    self.takenAt = takenAt
    self.asOf = asOf
    self.asOfSource = asOfSource
    self.instance = instance
    self.apiVersion = apiVersion
    self.user = user
    self.permissions = permissions
    self.objects = objects
    self.skipped = skipped
    self.contentFiles = contentFiles
    self.problems = problems
  }

  /// Why an inventory file cannot be used.
  public struct LoadError: Error, CustomStringConvertible {
    public let description: String
  }

  /// Reads an inventory; a file that is not one (or of a newer format) is an error, never
  /// silently ignored: a gate that drops its evidence certifies less than it says.
  public static func load(path: String) throws -> OrgInventory {
    let data = try InputFile.read(path, what: "inventory", limit: sizeLimit)
    let inventory: OrgInventory
    do {
      inventory = try JSONDecoder().decode(OrgInventory.self, from: data)
    } catch {
      throw LoadError(description: "\(path) is not an org inventory: \(describe(error))")
    }
    guard inventory.format <= currentFormat else {
      throw LoadError(
        description:
          "\(path) has format \(inventory.format); this ExportGate reads up to \(currentFormat): update ExportGate"
      )
    }
    return inventory
  }

  /// The inventory beside the parts in `folder`, if there is one.
  public static func load(folder: String) throws -> OrgInventory? {
    let path = (folder as NSString).appendingPathComponent(fileName)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try load(path: path)
  }

  /// Canonical bytes (sorted keys), written atomically: a failed run leaves no half file.
  /// The file list, most of the file, is written row by row into its sorted place rather than
  /// through the encoder's tree of the whole document (a fraction of the memory for 200,000
  /// files; docs/benchmarks.md).
  public func save(to path: String) throws {
    var withoutFiles = self
    withoutFiles.contentFiles = nil
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let rest = try encoder.encode(withoutFiles)
    guard let contentFiles else {
      try AtomicFile.write(rest + Data("\n".utf8), to: path)
      return
    }
    // `contentFiles` sorts just before `format`, a key at the top level only.
    guard let format = rest.range(of: Data("\n  \"format\" : ".utf8)) else {
      throw LoadError(description: "the inventory's encoding has no format key")
    }
    // One buffer, filled once: the list is most of the file.
    var data = Data(capacity: rest.count + contentFiles.count * 130 + 64)
    data.append(rest[..<(format.lowerBound + 1)])
    data.append(contentsOf: "  \"contentFiles\" : [".utf8)
    for (index, file) in contentFiles.enumerated() {
      data.append(contentsOf: (index == 0 ? "\n    " : ",\n    ").utf8)
      data.append(contentsOf: Self.line(file).utf8)
    }
    data.append(contentsOf: "\n  ],\n".utf8)
    data.append(rest[(format.lowerBound + 1)...])
    data.append(0x0A)
    try AtomicFile.write(data, to: path)
  }

  /// One file as a JSON object on one line, keys sorted.
  static func line(_ file: ContentFile) -> String {
    var fields: [String] = []
    if let checksum = file.checksum { fields.append("\"checksum\":\(jsonString(checksum))") }
    if let document = file.contentDocumentId {
      fields.append("\"contentDocumentId\":\(jsonString(document))")
    }
    fields.append("\"id\":\(jsonString(file.id))")
    if let size = file.size { fields.append("\"size\":\(size)") }
    return "{" + fields.joined(separator: ",") + "}"
  }

  /// `text` as a JSON string, escaped as the JSON-lines output escapes it.
  static func jsonString(_ text: String) -> String {
    var out: [UInt8] = []
    RecordOutputFormat.appendJSONString(ArraySlice(text.utf8), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// T as a date.
  public var asOfDate: Date? { ISO8601DateFormatter().date(from: asOf) }
  public var takenAtDate: Date? { ISO8601DateFormatter().date(from: takenAt) }

  private static func describe(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .keyNotFound(let key, let context):
      return "no \"\(key.stringValue)\" at \(path(context.codingPath))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      return "\(context.debugDescription) at \(path(context.codingPath))"
    @unknown default:
      return "\(error)"
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.isEmpty
      ? "the top level"
      : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  }
}
