/// MD5 checksums (and sizes) of Salesforce Files the org reports, as written by
/// `sf data query -q "SELECT Id, Checksum, ContentSize FROM ContentVersion" -r csv`. The export
/// itself carries no checksum for ContentVersion files: this is how they get MD5-verified.
public struct ExpectedChecksums: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var md5: String
    public var size: Int64?
    public var line: Int
  }

  public var entries: [RecordId: Entry]
  public var source: String

  public static func load(path: String) throws -> ExpectedChecksums {
    let table = try SmallCSV.read(path: path, what: "checksums file")
    guard let idColumn = table.column("Id"), let checksumColumn = table.column("Checksum") else {
      throw OrgFileError(
        what: "checksums file", path: path, line: 1,
        message: "the header must have Id and Checksum (and optionally ContentSize)")
    }
    let sizeColumn = table.column("ContentSize")
    var entries: [RecordId: Entry] = [:]
    for row in table.rows {
      guard idColumn < row.fields.count, checksumColumn < row.fields.count,
        let id = RecordId(row.fields[idColumn])
      else {
        throw OrgFileError(
          what: "checksums file", path: path, line: row.line, message: "not a valid record Id")
      }
      let md5 = row.fields[checksumColumn].lowercased()
      guard md5.count == 32, md5.allSatisfy(\.isHexDigit) else {
        throw OrgFileError(
          what: "checksums file", path: path, line: row.line,
          message: "Checksum must be 32 hex digits (MD5)")
      }
      let size = sizeColumn.flatMap { $0 < row.fields.count ? Int64(row.fields[$0]) : nil }
      entries[id] = Entry(md5: md5, size: size, line: row.line)
    }
    return ExpectedChecksums(entries: entries, source: path)
  }
}
