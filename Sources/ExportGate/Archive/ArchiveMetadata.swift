import Foundation

/// `DIR/metadata.json`, for Datasette (`datasette DIR/archive.sqlite -m DIR/metadata.json`):
/// the archive's title, each object table's label column (so lookups show as links named by
/// their target) and full-text table, and the archive's own search index hidden.
struct ArchiveMetadata {
  let schema: ArchiveSchema
  let title: String

  func json() throws -> [UInt8] {
    var tables: [String: Any] = [:]
    for table in schema.tables {
      var settings: [String: Any] = [:]
      if let label = table.labelColumn { settings["label_column"] = label }
      if !table.searchColumns.isEmpty {
        settings["fts_table"] = table.ftsTable
        settings["fts_pk"] = "rowid"
      }
      tables[table.object] = settings
    }
    tables["_objects"] = [
      "description": "Each object's table: its record count, label column and search table."
    ]
    tables["_key_prefixes"] = [
      "description": "Which object each key prefix (an Id's first three characters) belongs to."
    ]
    tables["_rejected_rows"] = [
      "description":
        "Records that could not be stored as they are (no Id, a second copy of an Id, a field count that is not the header's), with the reason."
    ]
    tables["manifest"] = [
      "description": "The restore's manifest.csv: every file, where it went, its hashes."
    ]
    // _references is a view: Datasette lists views beside tables.
    let views: [String: Any] = [
      "_references": [
        "description":
          "Every lookup value: which record (source_object, source_id) points with which field to which record (target_object, target_id). Query it by target_id: each lookup column's index answers."
      ]
    ]
    let metadata: [String: Any] = [
      "title": title,
      "description":
        "A Salesforce Data Export, restored by ExportGate \(ExportGateVersion.current).",
      "databases": [
        (ArchiveWriter.fileName as NSString).deletingPathExtension: [
          "tables": tables.merging(views) { first, _ in first }
        ]
      ],
    ]
    let data = try JSONSerialization.data(
      withJSONObject: metadata, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return Array(data) + [0x0A]
  }
}
