import Crypto
import Foundation

/// What a ``FakeOrg`` holds behind its REST API (`/services/data/...`): objects with their
/// describes and records' creation times, stored files, the API user and its permissions, in
/// the shapes Salesforce documents. Built from a fixture export (an org matching it), then
/// changed by a test to make the org differ from the export.
public struct FakeOrgModel: Codable, Sendable {
  /// One described field.
  public struct Field: Codable, Sendable {
    public var name: String
    public var type: String
    public var calculated = false
    public var compoundFieldName: String?
    public var referenceTo: [String] = []

    public init(
      name: String, type: String, calculated: Bool = false, compoundFieldName: String? = nil
    ) {
      self.name = name
      self.type = type
      self.calculated = calculated
      self.compoundFieldName = compoundFieldName
    }
  }

  /// One object, its records as `[createdDate, count]` buckets.
  public struct Object: Codable, Sendable {
    public var name: String
    public var keyPrefix: String?
    public var custom: Bool
    public var queryable = true
    public var replicateable = true
    public var fields: [Field]
    /// ISO 8601 creation time -> records created then.
    public var created: [String: Int]
    /// `/limits/recordCount`'s answer; nil: the exact total.
    public var approximate: Int?

    public init(name: String, keyPrefix: String?, fields: [Field], created: [String: Int]) {
      self.name = name
      self.keyPrefix = keyPrefix
      self.custom = name.hasSuffix("__c")
      self.fields = fields
      self.created = created
    }

    public var total: Int { created.values.reduce(0, +) }
  }

  /// One ContentVersion as the API answers for it.
  public struct ContentVersion: Codable, Sendable {
    public var id: String
    public var documentId: String
    public var checksum: String
    public var size: Int
    public var location = "S"
    public var createdDate: String

    enum CodingKeys: String, CodingKey {
      case id = "Id"
      case documentId = "ContentDocumentId"
      case checksum = "Checksum"
      case size = "ContentSize"
      case location = "ContentLocation"
      case createdDate = "CreatedDate"
    }

    public init(id: String, documentId: String, checksum: String, size: Int, createdDate: String) {
      self.id = id
      self.documentId = documentId
      self.checksum = checksum
      self.size = size
      self.createdDate = createdDate
    }
  }

  public var versions = ["60.0", "62.0"]
  public var user: [String: String]
  public var permissions: [String: Bool]
  public var objects: [Object]
  public var contentVersions: [ContentVersion]

  /// When the fixture's records were created, long before any export.
  public static let longAgo = "2026-01-15T09:00:00Z"

  /// An org holding exactly what `export` holds, every record created `longAgo`, every
  /// column a stored field (lookups typed as references), with View All Data and Query All
  /// Files for the API user.
  public static func matching(_ export: FixtureExport) -> FakeOrgModel {
    var objects: [Object] = []
    for table in export.tables {
      let prefix = table.rows.first.flatMap { $0.first }.map { String($0.prefix(3)) }
      let fields = table.header.map { column -> Field in
        if column == "Id" { return Field(name: column, type: "id") }
        if column.hasSuffix("Id") { return Field(name: column, type: "reference") }
        if column.hasSuffix("Date") { return Field(name: column, type: "datetime") }
        return Field(name: column, type: "string")
      }
      objects.append(
        Object(
          name: table.name, keyPrefix: prefix, fields: fields,
          created: table.rows.isEmpty ? [:] : [longAgo: table.rows.count]))
    }
    var versions: [ContentVersion] = []
    if let table = export.table("ContentVersion") {
      let bodies = Dictionary(
        export.files.filter { $0.folder == "ContentVersion" }.map { ($0.name, $0.content) },
        uniquingKeysWith: { first, _ in first })
      for row in table.rows where row[table.column("ContentLocation")] == "S" {
        let id = row[table.column("Id")]
        guard let content = bodies[id] else { continue }
        versions.append(
          ContentVersion(
            id: id, documentId: row[table.column("ContentDocumentId")],
            checksum: Insecure.MD5.hash(data: content).map { String(format: "%02x", $0) }
              .joined(),
            size: content.count, createdDate: longAgo))
      }
    }
    return FakeOrgModel(
      user: [
        "user_id": "005000000000001AAA", "organization_id": export.orgId,
        "preferred_username": "admin@example.com",
      ],
      permissions: [
        "PermissionsViewAllData": true, "PermissionsQueryAllFiles": true,
        "PermissionsDataExport": true,
      ],
      objects: objects, contentVersions: versions)
  }

  /// The object called `name` (tests change the org through it).
  public mutating func withObject(_ name: String, _ change: (inout Object) -> Void) {
    guard let index = objects.firstIndex(where: { $0.name == name }) else { return }
    change(&objects[index])
  }
}
