import CSQLite

/// A connection to one SQLite database file through SQLite's C API: the archive's writer binds
/// each field's bytes as they come from the CSV parser (no Swift string per value), and the
/// readers (`search`, `browse`) open it read-only. One connection is used by one thread at a
/// time.
public final class SQLiteDatabase {
  /// A failure SQLite reported, with its message.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
    /// SQLite's extended result code (`SQLITE_FULL`: the disk is full); 0 when none applies.
    public var code: Int32 = 0

    public init(description: String, code: Int32 = 0) {
      self.description = description
      self.code = code
    }

    /// The database's disk (or quota) is full.
    public var isDiskFull: Bool { code & 0xFF == SQLITE_FULL }
  }

  let handle: OpaquePointer

  /// Opens `path`: read-only (never created, never written: `immutable` is not claimed, so a
  /// file changed by another program is still read correctly), or read-write and created when
  /// absent.
  public init(path: String, readOnly: Bool) throws {
    var connection: OpaquePointer?
    let flags =
      (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
      | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW
    let code = sqlite3_open_v2(path, &connection, flags, nil)
    guard code == SQLITE_OK, let connection else {
      let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close(connection)
      throw Failure(description: "cannot open \(path): \(message)")
    }
    handle = connection
    sqlite3_extended_result_codes(handle, 1)
  }

  deinit { sqlite3_close_v2(handle) }

  /// Runs statements that return no rows.
  public func execute(_ sql: String) throws {
    var error: UnsafeMutablePointer<CChar>?
    guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
      let message = error.map { String(cString: $0) } ?? lastError
      sqlite3_free(error)
      throw Failure(description: message, code: sqlite3_extended_errcode(handle))
    }
  }

  /// A statement to bind and step.
  public func prepare(_ sql: String) throws -> SQLiteStatement {
    var statement: OpaquePointer?
    guard
      sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        == SQLITE_OK, let statement
    else {
      throw Failure(
        description: "\(lastError) in: \(sql.prefix(200))", code: sqlite3_extended_errcode(handle))
    }
    return SQLiteStatement(statement, database: self)
  }

  /// The rows of a query, each as its columns' text (NULL as nil).
  public func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [[String?]] {
    let statement = try prepare(sql)
    try statement.bind(arguments)
    var rows: [[String?]] = []
    while try statement.step() {
      rows.append((0..<statement.columnCount).map { statement.text($0) })
    }
    return rows
  }

  var lastError: String { String(cString: sqlite3_errmsg(handle)) }

  /// Quotes a name (a table or column) as SQL wants it: in double quotes, doubled inside.
  public static func quote(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// SQLite's extended result code for a second row with one primary key (a macro in C).
let sqlitePrimaryKeyConstraint = SQLITE_CONSTRAINT | 6 << 8

/// A value bound to a statement's parameter.
public enum SQLiteValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
}

/// A prepared statement; bound, stepped, reset, reused.
public final class SQLiteStatement {
  private let statement: OpaquePointer
  private let database: SQLiteDatabase

  init(_ statement: OpaquePointer, database: SQLiteDatabase) {
    self.statement = statement
    self.database = database
  }

  deinit { sqlite3_finalize(statement) }

  var columnCount: Int { Int(sqlite3_column_count(statement)) }

  func bind(_ values: [SQLiteValue]) throws {
    for (index, value) in values.enumerated() {
      let position = Int32(index + 1)
      switch value {
      case .null: sqlite3_bind_null(statement, position)
      case .integer(let number): sqlite3_bind_int64(statement, position, number)
      case .real(let number): sqlite3_bind_double(statement, position, number)
      case .text(let text): bindText(Array(text.utf8), at: index + 1)
      }
    }
  }

  /// Binds UTF-8 bytes (copied by SQLite) to parameter `position` (1-based).
  func bindText(_ bytes: UnsafeRawBufferPointer, at position: Int) {
    // An empty value is text, not NULL: SQLite takes a NULL pointer as NULL.
    let base =
      bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
    sqlite3_bind_text64(
      statement, Int32(position), base.assumingMemoryBound(to: CChar.self), UInt64(bytes.count),
      Self.transient, UInt8(SQLITE_UTF8))
  }

  func bindText(_ bytes: [UInt8], at position: Int) {
    bytes.withUnsafeBytes { bindText($0, at: position) }
  }

  func bindInteger(_ value: Int64, at position: Int) {
    sqlite3_bind_int64(statement, Int32(position), value)
  }

  func bindReal(_ value: Double, at position: Int) {
    sqlite3_bind_double(statement, Int32(position), value)
  }

  func bindNull(at position: Int) { sqlite3_bind_null(statement, Int32(position)) }

  /// Runs the statement to its next row: true when a row is ready, false when done.
  @discardableResult
  func step() throws -> Bool {
    switch sqlite3_step(statement) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      throw SQLiteDatabase.Failure(
        description: database.lastError, code: sqlite3_extended_errcode(database.handle))
    }
  }

  /// Runs a statement that returns no rows and makes it ready for the next bindings; the
  /// extended result code of a failure (a constraint, say) is returned, not thrown.
  func run() -> Int32 {
    let code = sqlite3_step(statement)
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
    return code == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(database.handle)
  }

  func reset() {
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
  }

  /// Column `index` of the current row as text (NUL characters kept), nil when NULL.
  func text(_ index: Int) -> String? {
    guard sqlite3_column_type(statement, Int32(index)) != SQLITE_NULL,
      let text = sqlite3_column_text(statement, Int32(index))
    else { return nil }
    let count = Int(sqlite3_column_bytes(statement, Int32(index)))
    return String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self)
  }

  func integer(_ index: Int) -> Int64 { sqlite3_column_int64(statement, Int32(index)) }

  func real(_ index: Int) -> Double { sqlite3_column_double(statement, Int32(index)) }

  /// SQLite copies the bytes before the bind returns (the parser's buffer is reused).
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
