/// The content of a synthetic export, before it is written: object tables and binaries, plus
/// how to lay them out (parts, line endings, encoding, compression).
public struct FixtureExport: Sendable {
  /// One object CSV.
  public struct Table: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[String]]

    public init(name: String, header: [String], rows: [[String]] = []) {
      self.name = name
      self.header = header
      self.rows = rows
    }

    /// The index of a column; traps when absent (fixtures are written by tests).
    public func column(_ name: String) -> Int {
      guard let index = header.firstIndex(of: name) else { fatalError("no column \(name)") }
      return index
    }
  }

  /// One binary file in a folder.
  public struct File: Sendable {
    public var folder: String
    public var name: String
    public var content: [UInt8]

    public init(folder: String, name: String, content: [UInt8]) {
      self.folder = folder
      self.name = name
      self.content = content
    }
  }

  public enum LineEnding: String, Sendable {
    case lf = "\n"
    case crlf = "\r\n"
  }
  public enum Compression: Sendable { case deflate, store }
  /// How CSV text is encoded.
  public enum Encoding: Sendable { case utf8, iso88591, utf16BE }

  public var orgId: String
  public var tables: [Table]
  public var files: [File]
  public var lineEnding: LineEnding = .lf
  public var encoding: Encoding = .utf8
  public var compression: Compression = .deflate
  /// Force ZIP64 records even for small archives.
  public var zip64 = false
  /// A part is closed once its entries reach this many bytes (uncompressed).
  public var maxPartBytes: Int = .max
  /// Objects whose CSV is written in two pieces, in two consecutive parts.
  public var splitObjects: Set<String> = []
  /// Objects whose CSV was opened in a spreadsheet and saved again (see
  /// ``FixtureWriter/spreadsheetText(_:)``), as people do before handing an export on.
  public var resavedBySpreadsheet: Set<String> = []
  /// The modification time written on every entry (seconds since 1970).
  public var modified: Int64 = 1_764_000_000

  public init(orgId: String, tables: [Table] = [], files: [File] = []) {
    self.orgId = orgId
    self.tables = tables
    self.files = files
  }

  /// The table called `name`.
  public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

  /// Replaces or adds a table.
  public mutating func setTable(_ table: Table) {
    if let index = tables.firstIndex(where: { $0.name == table.name }) {
      tables[index] = table
    } else {
      tables.append(table)
    }
  }
}
