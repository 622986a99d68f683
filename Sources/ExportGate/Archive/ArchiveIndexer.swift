/// What makes the archive fast to walk and search, added once the records are stored: an index
/// on every lookup column and on the label column; per object, a full-text table over its
/// text columns declared `content="Object"` (external content, so Datasette and other tools
/// find it and the text is not stored twice); `_objects` (each table's record count, label
/// column, search table and key prefix) and `_key_prefixes`, so that the browse page never
/// counts or sorts by scanning a table; and the `_references` view: every lookup value as
/// (source object, source Id, field, target object, target Id), one `UNION ALL` arm per
/// lookup column, so that a query by `target_id` (reverse links, or which object a polymorphic
/// value names) is answered by the lookup columns' own indexes, with no copy of them.
struct ArchiveIndexer {
  let database: SQLiteDatabase
  let schema: ArchiveSchema
  /// Which object each key prefix belongs to, from the records' own Ids.
  let objectByPrefix: [KeyPrefix: String]

  /// Case and accents folded: `Kraków` is found by `krakow`.
  static let tokenizer = "unicode61 remove_diacritics 2"
  /// SQLite refuses a compound SELECT of more than 500 terms: views of at most this many
  /// lookups each, joined by one more.
  static let lookupsPerView = 400

  func build() throws {
    try database.execute(
      """
      CREATE TABLE _objects (ordinal INTEGER PRIMARY KEY, object TEXT NOT NULL UNIQUE,
        records INTEGER NOT NULL, label_column TEXT, fts_table TEXT, key_prefix TEXT);
      CREATE TABLE _key_prefixes (prefix TEXT PRIMARY KEY, object TEXT NOT NULL) WITHOUT ROWID;
      """)
    try storeKeyPrefixes()
    let prefixOf = Dictionary(
      objectByPrefix.map { ($0.value, $0.key.description) }, uniquingKeysWith: min)
    for (index, table) in schema.tables.enumerated() {
      try indexLookups(table)
      let searched = try indexText(table)
      let insert = try database.prepare(
        "INSERT INTO _objects (ordinal, object, records, label_column, fts_table, key_prefix) SELECT ?, ?, count(*), ?, ?, ? FROM \(SQLiteDatabase.quote(table.object))"
      )
      try insert.bind([
        .integer(Int64(index + 1)), .text(table.object),
        table.labelColumn.map { .text($0) } ?? .null, searched ? .text(table.ftsTable) : .null,
        prefixOf[table.object].map { .text($0) } ?? .null,
      ])
      try insert.step()
    }
    try createReferencesView()
  }

  /// The archive's own objects first; standard objects it does not hold after, so that a
  /// lookup to a record that was not exported still says what it points to.
  private func storeKeyPrefixes() throws {
    let insert = try database.prepare(
      "INSERT OR IGNORE INTO _key_prefixes (prefix, object) VALUES (?, ?)")
    let own = objectByPrefix.sorted { $0.key < $1.key }
    let standard = StandardObjects.objectByPrefix.sorted { $0.key < $1.key }
    for (prefix, object) in own + standard {
      try insert.bind([.text(prefix.description), .text(object)])
      _ = insert.run()
    }
  }

  private func createReferencesView() throws {
    let arms = schema.tables.filter { $0.idPosition != nil }.flatMap { table in
      table.lookupColumns.map { column in
        let source = SQLiteDatabase.quote(table.object)
        let field = SQLiteDatabase.quote(column.name)
        return """
          SELECT \(Self.literal(table.object)) AS source_object, "Id" AS source_id, \
          \(Self.literal(column.name)) AS field, \
          (SELECT object FROM _key_prefixes WHERE prefix = substr(\(field), 1, 3)) AS target_object, \
          \(field) AS target_id FROM \(source) WHERE \(field) IS NOT NULL
          """
      }
    }
    guard !arms.isEmpty else {
      try database.execute(
        "CREATE VIEW _references AS SELECT NULL AS source_object, NULL AS source_id, NULL AS field, NULL AS target_object, NULL AS target_id WHERE 0"
      )
      return
    }
    let chunks = stride(from: 0, to: arms.count, by: Self.lookupsPerView).map {
      arms[$0..<min($0 + Self.lookupsPerView, arms.count)]
    }
    if chunks.count == 1 {
      try database.execute("CREATE VIEW _references AS " + arms.joined(separator: " UNION ALL "))
      return
    }
    for (index, chunk) in chunks.enumerated() {
      try database.execute(
        "CREATE VIEW _references_\(index + 1) AS " + chunk.joined(separator: " UNION ALL "))
    }
    try database.execute(
      "CREATE VIEW _references AS "
        + chunks.indices.map { "SELECT * FROM _references_\($0 + 1)" }.joined(
          separator: " UNION ALL "))
  }

  /// A string as an SQL literal.
  static func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
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

  /// The object's full-text table; false when it has no text to search.
  private func indexText(_ table: ArchiveSchema.Table) throws -> Bool {
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
    return true
  }
}
