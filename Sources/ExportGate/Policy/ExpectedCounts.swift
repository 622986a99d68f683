/// Record counts the org reports per object (a CSV `Object,Count`, e.g. from `sf data query`
/// with `SELECT COUNT() FROM ...` per object), to reconcile with the export.
public struct ExpectedCounts: Sendable, Equatable {
  public var counts: [String: Int]
  public var source: String

  public init(counts: [String: Int], source: String) {
    self.counts = counts
    self.source = source
  }

  public static func load(path: String) throws -> ExpectedCounts {
    let table = try SmallCSV.read(path: path, what: "counts file")
    guard let object = table.column("Object"), let count = table.column("Count") else {
      throw OrgFileError(
        what: "counts file", path: path, line: 1, message: "the header must be Object,Count")
    }
    var counts: [String: Int] = [:]
    for row in table.rows {
      guard object < row.fields.count, count < row.fields.count,
        let value = Int(row.fields[count].trimmingCharacters(in: .whitespaces)), value >= 0
      else {
        throw OrgFileError(
          what: "counts file", path: path, line: row.line,
          message: "expected an object name and a whole number")
      }
      counts[row.fields[object]] = value
    }
    return ExpectedCounts(counts: counts, source: path)
  }
}
