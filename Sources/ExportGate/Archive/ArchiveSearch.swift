import Foundation

/// Full-text search over a restore's `archive.sqlite`, opened read-only: every word given must
/// be in the record (case and accents folded), best matches first, each hit with its object,
/// Id, label and the text around the match. What `exportgate search` prints and the browse
/// page shows.
public struct ArchiveSearch {
  /// Why a search cannot run.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// One record found.
  public struct Hit: Sendable, Encodable, Equatable {
    public var object: String
    public var id: String?
    public var label: String?
    /// The text around the match, matched words between ``markStart`` and ``markEnd``.
    public var markedSnippet: String

    /// The text around the match, plain.
    public var snippet: String { snippetPieces.map(\.text).joined() }

    private enum CodingKeys: String, CodingKey { case object, id, label, snippet, matches }

    /// As JSON: the snippet plain, and the words it matched.
    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(object, forKey: .object)
      try container.encode(id, forKey: .id)
      try container.encode(label, forKey: .label)
      try container.encode(snippet, forKey: .snippet)
      try container.encode(snippetPieces.filter(\.isMatch).map(\.text), forKey: .matches)
    }

    /// The snippet in pieces, each matched or not, for renderers that mark matches their way.
    public var snippetPieces: [(text: String, isMatch: Bool)] {
      var pieces: [(String, Bool)] = []
      var rest = Substring(markedSnippet)
      while let start = rest.firstIndex(of: ArchiveSearch.markStart) {
        if start > rest.startIndex { pieces.append((String(rest[..<start]), false)) }
        let after = rest.index(after: start)
        let end = rest[after...].firstIndex(of: ArchiveSearch.markEnd) ?? rest.endIndex
        pieces.append((String(rest[after..<end]), true))
        rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
      }
      if !rest.isEmpty { pieces.append((String(rest), false)) }
      return pieces
    }
  }

  /// How many matching records of one object are ranked to pick its best.
  static let rankedCandidates = 2_000

  static let markStart: Character = "\u{2}"
  static let markEnd: Character = "\u{3}"

  let database: SQLiteDatabase

  /// Opens `folder`'s archive (a restore's folder, or the `archive.sqlite` file itself).
  public init(folder: String) throws {
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
    let path =
      isFolder.boolValue
      ? (folder as NSString).appendingPathComponent(ArchiveWriter.fileName) : folder
    guard exists, FileManager.default.fileExists(atPath: path) else {
      throw Failure(
        description:
          "\(path) does not exist: restore the export first (exportgate restore PARTS --to \(folder))"
      )
    }
    database = try SQLiteDatabase(path: path, readOnly: true)
  }

  /// `text` as an FTS5 query: each word a quoted phrase (no operator or syntax of FTS5's can
  /// be typed by accident), all required.
  static func query(_ text: String) -> String? {
    let words = text.split(whereSeparator: { $0.isWhitespace })
    guard !words.isEmpty else { return nil }
    return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
      .joined(separator: " ")
  }

  /// The best `limit` records holding every word of `text`, skipping the first `offset`: each
  /// object's full-text table is asked for its best, and those are merged by FTS5's ranking
  /// (BM25). An object ranks only its first ``rankedCandidates`` matches (all of them unless a
  /// word is that common: ranking all 100,000 "... & Sons" would cost a tenth of a second).
  public func search(_ text: String, limit: Int = 50, offset: Int = 0) throws -> [Hit] {
    guard let query = Self.query(text) else { throw Failure(description: "nothing to search for") }
    let objects = try database.rows(
      """
      SELECT object, fts_table, label_column,
        EXISTS (SELECT 1 FROM pragma_table_info(object) WHERE name = 'Id')
      FROM _objects WHERE fts_table IS NOT NULL ORDER BY ordinal
      """)
    var found: [(rank: Double, object: SearchedObject, rowid: Int64)] = []
    for row in objects {
      guard let name = row[0], let fts = row[1] else { continue }
      let object = SearchedObject(object: name, fts: fts, label: row[2], hasId: row[3] == "1")
      let quoted = SQLiteDatabase.quote(fts)
      let matches = try database.prepare(
        """
        SELECT rowid, rank FROM (SELECT rowid, rank FROM \(quoted) WHERE \(quoted) MATCH ?
          LIMIT \(Self.rankedCandidates)) ORDER BY rank LIMIT ?
        """)
      try matches.bind([.text(query), .integer(Int64(limit + offset))])
      while try matches.step() {
        found.append((matches.real(1), object, matches.integer(0)))
      }
    }
    found.sort { $0.rank < $1.rank }
    return try found.dropFirst(offset).prefix(limit).map { item in
      try hit(item.object, rowid: item.rowid, query: query)
    }
  }

  /// An object the search covers, as `_objects` lists it.
  private struct SearchedObject {
    let object: String
    let fts: String
    let label: String?
    let hasId: Bool
  }

  private func hit(_ object: SearchedObject, rowid: Int64, query: String) throws -> Hit {
    let table = SQLiteDatabase.quote(object.object)
    let label = object.label.map(SQLiteDatabase.quote) ?? "NULL"
    let record = try database.rows(
      "SELECT \(object.hasId ? "\"Id\"" : "NULL"), \(label) FROM \(table) WHERE rowid = ?",
      [.integer(rowid)])
    let fts = SQLiteDatabase.quote(object.fts)
    let snippet = try database.rows(
      "SELECT snippet(\(fts), -1, char(2), char(3), '…', 16) FROM \(fts) WHERE \(fts) MATCH ? AND rowid = ?",
      [.text(query), .integer(rowid)])
    return Hit(
      object: object.object, id: record.first?[0] ?? nil, label: record.first?[1] ?? nil,
      markedSnippet: snippet.first?[0] ?? "")
  }
}
