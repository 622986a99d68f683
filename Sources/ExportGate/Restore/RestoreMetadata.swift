import Foundation

/// What the export's own rows say about its files, collected by `restore`'s first pass, with
/// the names of the records those files belong to (collected by the second).
final class RestoreMetadata {
  /// One row of a metadata object (Attachment, Document, ContentVersion, ...), by column.
  typealias Row = [String: String]

  /// Rows of the objects that describe files, in reading order.
  var rows: [String: [Row]] = [:]
  /// Which object each key prefix belongs to (from the first Id of each CSV).
  var objectByPrefix: [KeyPrefix: String] = [:]
  /// Display names of the records that own files, by Id (18 characters).
  var names: [String: String] = [:]
  /// The objects of the export, in reading order.
  var objects: [String] = []

  static let fileObjects: [String: [String]] = [
    BinaryFolder.attachments.metadataObject: [
      "Id", "ParentId", "Name", BinaryFolder.attachments.sizeColumn, "ContentType",
    ],
    BinaryFolder.documents.metadataObject: [
      "Id", "FolderId", "Name", "Type", BinaryFolder.documents.sizeColumn, "Url",
    ],
    BinaryFolder.contentVersions.metadataObject: [
      "Id", "ContentDocumentId", "Title", "PathOnClient", "FileExtension", "FileType",
      "VersionNumber", "IsLatest", BinaryFolder.contentVersions.sizeColumn, "ContentLocation",
      "OwnerId",
    ],
    "ContentDocumentLink": ["ContentDocumentId", "LinkedEntityId"],
    BinaryFolder.otherUploadedCollateral.metadataObject: [
      "Id", BinaryFolder.otherUploadedCollateral.sizeColumn,
      BinaryFolder.otherUploadedCollateral.checksumColumn ?? "Hash",
    ],
  ]

  /// The Ids whose names the file layout needs.
  var parentIds: Set<String> {
    var ids = Set<String>()
    for row in rows(of: .attachments) { if let id = row["ParentId"] { ids.insert(id) } }
    for row in rows(of: .documents) { if let id = row["FolderId"] { ids.insert(id) } }
    for row in rows["ContentDocumentLink"] ?? [] {
      if let id = row["LinkedEntityId"] { ids.insert(id) }
    }
    for row in rows(of: .contentVersions) { if let id = row["OwnerId"] { ids.insert(id) } }
    return ids
  }

  /// The rows of the object that describes `folder`'s files.
  func rows(of folder: BinaryFolder) -> [Row] { rows[folder.metadataObject] ?? [] }

  /// The object a record Id belongs to, when the export says.
  func object(of id: String) -> String? {
    guard let parsed = RecordId(id) else { return nil }
    return objectByPrefix[parsed.keyPrefix] ?? StandardObjects.objectByPrefix[parsed.keyPrefix]
  }
}
