import CSQLite

/// Stores one object's records in its table as the archive's second pass reads them: each
/// field decoded to UTF-8 (NUL kept), empty values and the empty key as NULL, numbers bound as
/// numbers where the column is typed so. A record
/// that cannot be stored as is (no Id, a second copy of an Id, a field count that is not the
/// header's) goes to `_rejected_rows` with its reason, never silently dropped.
final class ArchiveTableLoader {
  let table: ArchiveSchema.Table
  private let insert: SQLiteStatement
  private let rejected: SQLiteStatement
  private(set) var stored = 0
  private(set) var rejections = 0
  /// The first failure storing a record (a full disk, say): the archive cannot be finished.
  fileprivate(set) var failure: Error?

  init(_ table: ArchiveSchema.Table, database: SQLiteDatabase) throws {
    self.table = table
    let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
    insert = try database.prepare(
      "INSERT INTO \(SQLiteDatabase.quote(table.object)) VALUES (\(marks))")
    rejected = try database.prepare(
      "INSERT INTO _rejected_rows (object, source, line, id, reason, fields) VALUES (?, ?, ?, ?, ?, ?)"
    )
  }

  /// A sink for one piece of the object's CSV.
  func sink(source: String, encoding: TextEncoding) -> EntrySink {
    LoadingSink(self, source: source, encoding: encoding)
  }

  /// Stores one record whose fields are at `positions` of the table's columns.
  fileprivate func store(
    _ record: CSVRecord, positions: [Int], idField: Int?, decoder: FieldDecoder,
    buffer: inout [UInt8], source: String
  ) throws {
    guard record.count == positions.count else {
      return try reject(
        record, decoder: decoder, source: source,
        reason: "has \(record.count) fields where the header has \(positions.count)")
    }
    if let idField, ColumnProfile.isNull(record[idField]) {
      return try reject(record, decoder: decoder, source: source, reason: "has no Id")
    }
    for (field, position) in positions.enumerated() where position >= 0 {
      bind(record[field], column: table.columns[position], at: position + 1, decoder, &buffer)
    }
    let code = insert.run()
    if code == sqlitePrimaryKeyConstraint {
      return try reject(
        record, decoder: decoder, source: source,
        reason: "a second copy of an Id already stored (verify reports it as id-duplicate)")
    }
    guard code == SQLITE_OK else {
      throw SQLiteDatabase.Failure(
        description:
          "cannot store a record of \(table.object): \(String(cString: sqlite3_errstr(code)))",
        code: code)
    }
    stored += 1
  }

  private func bind(
    _ value: UnsafeRawBufferPointer, column: ArchiveSchema.Column, at parameter: Int,
    _ decoder: FieldDecoder, _ buffer: inout [UInt8]
  ) {
    if ColumnProfile.isNull(value) { return insert.bindNull(at: parameter) }
    switch column.type {
    case .integer where ColumnProfile.isInteger(value):
      if let number = Int64(String(decoding: value, as: UTF8.self)) {
        return insert.bindInteger(number, at: parameter)
      }
    case .real where ColumnProfile.isInteger(value) || ColumnProfile.isDecimal(value):
      if let number = Double(String(decoding: value, as: UTF8.self)) {
        return insert.bindReal(number, at: parameter)
      }
    default: break
    }
    buffer.removeAll(keepingCapacity: true)
    decoder.decode(value, appendingTo: &buffer)
    insert.bindText(buffer, at: parameter)
  }

  private func reject(
    _ record: CSVRecord, decoder: FieldDecoder, source: String, reason: String
  ) throws {
    var fields: [String] = []
    var json: [UInt8] = [UInt8(ascii: "[")]
    var bytes: [UInt8] = []
    for index in 0..<record.count {
      bytes.removeAll(keepingCapacity: true)
      decoder.decode(record[index], appendingTo: &bytes)
      fields.append(String(decoding: bytes, as: UTF8.self))
      if index > 0 { json.append(UInt8(ascii: ",")) }
      RecordOutputFormat.appendJSONString(bytes[...], to: &json)
    }
    json.append(UInt8(ascii: "]"))
    let id = table.idPosition.map { $0 < fields.count ? fields[$0] : "" }
    try rejected.bind([
      .text(table.object), .text(source), .integer(Int64(record.line)),
      id.map { .text($0) } ?? .null,
      .text(reason), .text(String(decoding: json, as: UTF8.self)),
    ])
    let code = rejected.run()
    guard code == SQLITE_OK else {
      throw SQLiteDatabase.Failure(
        description:
          "cannot store a rejected row of \(table.object): \(String(cString: sqlite3_errstr(code)))",
        code: code)
    }
    rejections += 1
  }
}

/// Maps one CSV piece's header to its table's columns, then hands each record to the loader.
private final class LoadingSink: CSVEntrySink {
  private let loader: ArchiveTableLoader
  private let source: String
  private let decoder: FieldDecoder
  private var positions: [Int] = []
  private var buffer: [UInt8] = []
  /// The field of this piece that holds the Id, found once from its header.
  private var idField: Int?

  init(_ loader: ArchiveTableLoader, source: String, encoding: TextEncoding) {
    self.loader = loader
    self.source = source
    self.decoder = FieldDecoder(encoding: encoding)
    super.init(encoding: encoding)
  }

  override func record(_ record: CSVRecord) {
    guard loader.failure == nil else { return }
    if record.number == 1 {
      let names = record.strings
      // Pass 1 profiled every piece, so every name is a column; -1 should one not be.
      positions = names.map { name in loader.table.columns.firstIndex { $0.name == name } ?? -1 }
      idField = loader.table.idPosition.flatMap { positions.firstIndex(of: $0) }
      return
    }
    do {
      try loader.store(
        record, positions: positions, idField: idField, decoder: decoder,
        buffer: &buffer, source: source)
    } catch { loader.failure = error }
  }
}
