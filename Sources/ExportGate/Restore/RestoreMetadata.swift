import Foundation

/// What the export's own rows say about its files, collected by `restore`'s first pass, with
/// the names of the records those files belong to (collected by the second).
final class RestoreMetadata {
  /// The rows of the objects that describe files, in reading order.
  var files = FileRows()
  /// Which object each key prefix belongs to (from the first Id of each CSV).
  var objectByPrefix: [KeyPrefix: String] = [:]
  /// Display names of the records that own files, by Id (18 characters).
  var names: [String: String] = [:]
  /// The objects of the export, in reading order.
  var objects: [String] = []

  /// The Ids whose names the file layout needs.
  var parentIds: Set<String> {
    var ids = Set<String>()
    for row in files.attachments { ids.insert(row.parentId) }
    for row in files.documents { ids.insert(row.folderId) }
    for link in files.links { if let id = link.linkedEntityId { ids.insert(id) } }
    for row in files.versions { if let id = row.ownerId { ids.insert(id) } }
    ids.remove("")
    return ids
  }

  /// The object a record Id belongs to, when the export says.
  func object(of id: String) -> String? {
    guard let parsed = RecordId(id) else { return nil }
    return objectByPrefix[parsed.keyPrefix] ?? StandardObjects.objectByPrefix[parsed.keyPrefix]
  }
}
