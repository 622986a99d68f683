/// What makes the archive fast to walk and search, added once the records are stored: an index
/// on every lookup column and on `_references` both ways; per object, a full-text table over
/// its text columns declared `content="Object"` (external content, so Datasette and other tools
/// find it and the text is not stored twice); and `_search`, one contentless index over every
/// object's text whose rowid says which object and record (`ordinal << 40 | rowid`, the
/// ordinal from `_objects`), so that one query searches everything. `_objects` also keeps each
/// table's record count and label column, and the label column is indexed, so that the
/// browse page never counts or sorts by scanning a table.
struct ArchiveIndexer {
  let database: SQLiteDatabase
  let schema: ArchiveSchema

  /// Rowids of one object's records fit below this bit; the object's ordinal sits above.
  static let ordinalShift = 40
  /// Case and accents folded: `Kraków` is found by `krakow`.
  static let tokenizer = "unicode61 remove_diacritics 2"

  func build() throws {
    try database.execute(
      """
      CREATE INDEX _references_target ON _references(target_id);
      CREATE INDEX _references_source ON _references(source_id);
      CREATE TABLE _objects (ordinal INTEGER PRIMARY KEY, object TEXT NOT NULL UNIQUE,
        records INTEGER NOT NULL, label_column TEXT, fts_table TEXT);
      CREATE VIRTUAL TABLE _search USING fts5(text, content='', tokenize='\(Self.tokenizer)');
      """)
    for (index, table) in schema.tables.enumerated() {
      let ordinal = index + 1
      try indexLookups(table)
      let searched = try indexText(table, ordinal: ordinal)
      let quoted = SQLiteDatabase.quote(table.object)
      let insert = try database.prepare(
        "INSERT INTO _objects (ordinal, object, records, label_column, fts_table) SELECT ?, ?, count(*), ?, ? FROM \(quoted)"
      )
      try insert.bind([
        .integer(Int64(ordinal)), .text(table.object),
        table.labelColumn.map { .text($0) } ?? .null, searched ? .text(table.ftsTable) : .null,
      ])
      try insert.step()
    }
  }

  private func indexLookups(_ table: ArchiveSchema.Table) throws {
    let object = SQLiteDatabase.quote(table.object)
    if let label = table.labelColumn {
      let name = SQLiteDatabase.quote("\(table.object)_label")
      try database.execute("CREATE INDEX \(name) ON \(object)(\(SQLiteDatabase.quote(label)))")
    }
    for (index, column) in table.lookupColumns.enumerated() {
      let name = SQLiteDatabase.quote("\(table.object)_lookup_\(index)_\(column.name)")
      try database.execute(
        "CREATE INDEX \(name) ON \(object)(\(SQLiteDatabase.quote(column.name)))")
    }
  }

  /// The object's full-text table and its share of `_search`; false when it has no text.
  private func indexText(_ table: ArchiveSchema.Table, ordinal: Int) throws -> Bool {
    let columns = table.searchColumns
    guard !columns.isEmpty else { return false }
    let object = SQLiteDatabase.quote(table.object)
    let fts = SQLiteDatabase.quote(table.ftsTable)
    let quoted = columns.map(SQLiteDatabase.quote)
    try database.execute(
      """
      CREATE VIRTUAL TABLE \(fts) USING fts5(\(quoted.joined(separator: ", ")),
        content=\(object), tokenize='\(Self.tokenizer)');
      INSERT INTO \(fts)(\(fts)) VALUES('rebuild');
      """)
    let text = quoted.map { "coalesce(\($0), '')" }.joined(separator: " || ' ' || ")
    try database.execute(
      """
      INSERT INTO _search(rowid, text)
        SELECT (\(ordinal) << \(Self.ordinalShift)) | rowid, \(text) FROM \(object);
      """)
    return true
  }
}
