import Foundation

/// What changed between two exports: per object (keyed by record Id) and per binary folder.
/// Its JSON form is `exportgate diff --format json`.
public struct DiffReport: Sendable, Codable {
  /// One changed record shown with its before and after values.
  public struct Example: Sendable, Codable, Equatable {
    public var id: String
    /// Field -> [old, new], only the fields that differ.
    public var fields: [String: [String]]
  }

  public struct ObjectDiff: Sendable, Codable {
    public var name: String
    /// `both`, or `added` / `removed` when the whole object is only in one export.
    public var presence: String
    public var oldRecords: Int
    public var newRecords: Int
    public var added: Int
    public var removed: Int
    public var changed: Int
    public var unchanged: Int
    /// Records that cannot be compared (no valid Id, or an Id met twice in NEW), on either
    /// side: never counted as unchanged.
    public var unkeyed: Int
    /// For changed records: how many had each field changed.
    public var fieldsChanged: [String: Int]
    public var columnsAdded: [String]
    public var columnsRemoved: [String]
    public var addedExamples: [String]
    public var removedExamples: [String]
    public var changedExamples: [Example]

    /// ` (4.1% of OLD)`: how much of OLD the removals are, or empty when OLD had none.
    public var removedShareOfOld: String {
      oldRecords > 0
        ? String(format: " (%.1f%% of OLD)", Double(removed) * 100 / Double(oldRecords)) : ""
    }

    /// Whether anything differs for this object.
    public var differs: Bool {
      added + removed + changed + unkeyed > 0 || !columnsAdded.isEmpty
        || !columnsRemoved.isEmpty || presence != "both"
    }
  }

  public struct FolderDiff: Sendable, Codable {
    public var folder: String
    public var oldFiles: Int
    public var newFiles: Int
    public var added: Int
    public var removed: Int
    public var changed: Int
    public var unchanged: Int
  }

  public var identical: Bool

  /// Objects in both exports that lost records, most lost first: what a person reads first.
  public var shrinkingObjects: [ObjectDiff] {
    objects.filter { $0.presence == "both" && $0.removed > 0 }.sorted { $0.removed > $1.removed }
  }
  public var old: [String]
  public var new: [String]
  public var objects: [ObjectDiff]
  public var files: [FolderDiff]
  /// Ingest problems met on either side (a diff of a damaged export is not trustworthy).
  public var warnings: [String]
  /// Entries read on each side (the numbers `inspect` lists per part, added up).
  public var oldEntries = 0
  public var newEntries = 0
}
