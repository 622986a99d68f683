import Foundation

/// Reads a restore's `archive.sqlite` the way a person walks it: the objects with their counts,
/// one object's records a page at a time, one record with its lookups named, every record that
/// points to it, and its files. Read-only; every answer comes from an index (a primary key,
/// a lookup or label index, `_references`, `_objects`), never from a scan of a table.
public final class ArchiveBrowser {
  /// An object's table as `_objects` lists it.
  public struct ObjectSummary: Sendable, Equatable {
    public var name: String
    public var records: Int
    public var labelColumn: String?
    public var ftsTable: String?
  }

  /// A page of one object's records.
  public struct TablePage: Sendable {
    public var object: ObjectSummary
    public var columns: [String]
    /// Columns a page may be sorted by (indexed: Id, the label, lookups).
    public var sortable: Set<String>
    public var rows: [[String?]]
    public var page: Int
    public var pageSize: Int
    public var sort: String?
    public var descending: Bool
  }

  /// A record another points to, or one that points here.
  public struct Link: Sendable, Equatable {
    public var object: String?
    public var id: String
    public var label: String?
  }

  /// One field of a record, with where it points when it is a lookup.
  public struct Field: Sendable {
    public var name: String
    public var value: String?
    public var link: Link?
  }

  /// The records of one object that point here through one field.
  public struct RelatedGroup: Sendable {
    public var object: String
    public var field: String
    public var count: Int
    public var records: [Link]
  }

  /// A file of the record, from the manifest.
  public struct File: Sendable {
    public var id: String
    public var status: String
    /// Relative to the restore folder.
    public var path: String?
    public var bytes: Int64?
    public var reason: String?
  }

  /// Everything the record page shows.
  public struct RecordPage: Sendable {
    public var object: String
    public var id: String
    public var label: String?
    public var fields: [Field]
    public var related: [RelatedGroup]
    public var files: [File]
  }

  let database: SQLiteDatabase
  public let objects: [ObjectSummary]
  private let byName: [String: ObjectSummary]
  /// Which object of the archive each key prefix belongs to: where a lookup points.
  private let objectByPrefix: [String: String]
  private var columnsCache: [String: [String]] = [:]
  private var sortableCache: [String: Set<String>] = [:]

  /// Opens `folder`'s archive read-only.
  public init(folder: String) throws {
    database = try ArchiveSearch(folder: folder).database
    let rows = try database.rows(
      "SELECT object, records, label_column, fts_table, key_prefix FROM _objects ORDER BY object")
    objects = rows.compactMap { row in
      guard let name = row[0], let records = row[1].flatMap({ Int($0) }) else { return nil }
      return ObjectSummary(name: name, records: records, labelColumn: row[2], ftsTable: row[3])
    }
    objectByPrefix = Dictionary(
      rows.compactMap { row in row[4].flatMap { prefix in row[0].map { (prefix, $0) } } },
      uniquingKeysWith: { first, _ in first })
    byName = Dictionary(objects.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  public func object(_ name: String) -> ObjectSummary? { byName[name] }

  func columns(of object: String) throws -> [String] {
    if let known = columnsCache[object] { return known }
    let names = try database.rows(
      "SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(object)]
    ).compactMap { $0[0] }
    columnsCache[object] = names
    return names
  }

  /// The columns some index starts with: sorting by them reads the index in order.
  func sortableColumns(of object: String) throws -> Set<String> {
    if let known = sortableCache[object] { return known }
    var names: Set<String> = ["Id"]
    for index in try database.rows("SELECT name FROM pragma_index_list(?)", [.text(object)]) {
      guard let name = index[0] else { continue }
      let first = try database.rows(
        "SELECT name FROM pragma_index_info(?) WHERE seqno = 0", [.text(name)])
      if let column = first.first?[0] ?? nil { names.insert(column) }
    }
    sortableCache[object] = names
    return names
  }

  /// Page `page` (from 0) of `object`'s records, sorted by an indexed column or as stored.
  public func table(
    _ object: String, sort: String? = nil, descending: Bool = false, page: Int = 0,
    pageSize: Int = 50
  ) throws -> TablePage? {
    guard let summary = byName[object] else { return nil }
    let columns = try columns(of: object)
    let sortable = try sortableColumns(of: object).intersection(columns)
    let order = sort.flatMap { sortable.contains($0) ? SQLiteDatabase.quote($0) : nil } ?? "rowid"
    let direction = descending ? "DESC" : "ASC"
    let rows = try database.rows(
      "SELECT * FROM \(SQLiteDatabase.quote(object)) ORDER BY \(order) \(direction), rowid \(direction) LIMIT ? OFFSET ?",
      [.integer(Int64(pageSize)), .integer(Int64(max(page, 0) * pageSize))])
    return TablePage(
      object: summary, columns: columns, sortable: sortable, rows: rows, page: max(page, 0),
      pageSize: pageSize, sort: order == "rowid" ? nil : sort, descending: descending)
  }

  /// The label of a record, by its Id, when its object is in the archive.
  func label(object: String?, id: String) throws -> String? {
    guard let object, let summary = byName[object], let column = summary.labelColumn else {
      return nil
    }
    return try database.rows(
      "SELECT \(SQLiteDatabase.quote(column)) FROM \(SQLiteDatabase.quote(object)) WHERE \"Id\" = ?",
      [.text(id)]
    ).first?[0] ?? nil
  }

  /// One record's page: its fields (lookups as links named by their target), up to
  /// `relatedLimit` records of each group that points to it, and its files.
  public func record(object: String, id: String, relatedLimit: Int = 10) throws -> RecordPage? {
    guard let summary = byName[object] else { return nil }
    let columns = try columns(of: object)
    guard columns.contains("Id"),
      let values = try database.rows(
        "SELECT * FROM \(SQLiteDatabase.quote(object)) WHERE \"Id\" = ?", [.text(id)]
      ).first
    else { return nil }
    let fields = try zip(columns, values).map { name, value in
      // A lookup: a record Id of an object the archive holds (by its key prefix).
      guard name != "Id", let value, value.count == 15 || value.count == 18,
        let target = objectByPrefix[String(value.prefix(3))]
      else { return Field(name: name, value: value, link: nil) }
      return Field(
        name: name, value: value,
        link: Link(object: target, id: value, label: try label(object: target, id: value)))
    }
    return RecordPage(
      object: object, id: id,
      label: summary.labelColumn.flatMap { column in
        columns.firstIndex(of: column).flatMap { values[$0] }
      },
      fields: fields, related: try related(to: id, limit: relatedLimit), files: try files(of: id))
  }

  /// Every group of records pointing to `id` (object and field), with up to `limit` of each
  /// from `offset`.
  public func related(
    to id: String, limit: Int, offset: Int = 0, only: (object: String, field: String)? = nil
  ) throws -> [RelatedGroup] {
    let groups = try database.rows(
      "SELECT source_object, field, count(*) FROM _references WHERE target_id = ? GROUP BY source_object, field ORDER BY source_object, field",
      [.text(id)])
    return try groups.compactMap { group -> RelatedGroup? in
      guard let object = group[0], let field = group[1], let count = group[2].flatMap({ Int($0) })
      else { return nil }
      if let only, only.object != object || only.field != field { return nil }
      let sources = try database.rows(
        "SELECT source_id FROM _references WHERE target_id = ? AND source_object = ? AND field = ? ORDER BY source_id LIMIT ? OFFSET ?",
        [.text(id), .text(object), .text(field), .integer(Int64(limit)), .integer(Int64(offset))])
      let records = try sources.compactMap { row -> Link? in
        guard let source = row[0] else { return nil }
        return Link(object: object, id: source, label: try label(object: object, id: source))
      }
      return RelatedGroup(object: object, field: field, count: count, records: records)
    }
  }

  /// The files the manifest lists for a record: its own (an Attachment, a version) and those
  /// it owns.
  func files(of id: String) throws -> [File] {
    guard byName["manifest"] == nil else { return [] }
    return try database.rows(
      """
      SELECT "Id", "Status", "Path", "Bytes", "Reason" FROM manifest WHERE "Id" = ?1
      UNION ALL SELECT "Id", "Status", "Path", "Bytes", "Reason" FROM manifest
        WHERE "Parent" = ?1 AND "Id" != ?1
      """, [.text(id)]
    ).compactMap { row in
      guard let fileId = row[0], let status = row[1] else { return nil }
      return File(
        id: fileId, status: status, path: row[2], bytes: row[3].flatMap { Int64($0) },
        reason: row[4])
    }
  }

  /// Up to `count` records spread over the objects (for benchmarks and smoke tests).
  public func sampleRecords(count: Int) throws -> [(object: String, id: String)] {
    var sample: [(String, String)] = []
    let withIds = try objects.filter { try columns(of: $0.name).contains("Id") && $0.records > 0 }
    guard !withIds.isEmpty else { return [] }
    let each = max(1, count / withIds.count)
    for object in withIds where sample.count < count {
      for row in try database.rows(
        "SELECT \"Id\" FROM \(SQLiteDatabase.quote(object.name)) LIMIT ?",
        [.integer(Int64(each))])
      {
        if let id = row[0] { sample.append((object.name, id)) }
      }
    }
    return Array(sample.prefix(count))
  }
}
