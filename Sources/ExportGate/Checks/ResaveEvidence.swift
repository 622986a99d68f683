/// Evidence that a CSV is no longer as the Data Export wrote it: the export quotes every field
/// and writes datetimes as `YYYY-MM-DD HH:MM:SS`; a spreadsheet that re-saves the file drops
/// the quotes, rewrites dates in the user's locale (losing the seconds, swapping day and month)
/// and long numbers in scientific notation. Values are looked at only once the parser has met
/// an unquoted field, so a real export pays nothing per row.
public struct ResaveEvidence {
  /// A value the export cannot have written, where it was.
  struct ChangedValue {
    let line: Int
    let field: String
    let value: String
    let why: String
  }

  /// System datetimes every export writes in full: a value of another shape was rewritten.
  public static let datetimeColumns: Set<String> = [
    "CreatedDate", "LastModifiedDate", "SystemModstamp",
  ]

  private(set) var changedDate: ChangedValue?
  private(set) var scientific: ChangedValue?
  private var dateColumns: [(index: Int, name: String)] = []
  private var header: [String] = []

  mutating func readHeader(_ names: [String]) {
    header = names
    dateColumns = names.enumerated().filter { Self.datetimeColumns.contains($0.element) }
      .map { ($0.offset, $0.element) }
  }

  var isComplete: Bool { changedDate != nil && scientific != nil }

  /// Looks at one record for values the export cannot have written.
  mutating func inspect(_ record: CSVRecord) {
    if changedDate == nil {
      for (index, name) in dateColumns where index < record.count {
        let value = record[index]
        if !value.isEmpty && !Self.isExportDatetime(value) {
          changedDate = ChangedValue(
            line: record.line, field: name, value: String(decoding: value, as: UTF8.self),
            why:
              "the export writes YYYY-MM-DD HH:MM:SS, so seconds or the day/month order were lost")
          break
        }
      }
    }
    if scientific == nil {
      for index in 0..<record.count where Self.isScientific(record[index]) {
        scientific = ChangedValue(
          line: record.line, field: index < header.count ? header[index] : "#\(index + 1)",
          value: String(decoding: record[index], as: UTF8.self),
          why: "a number in scientific notation, whose digits a spreadsheet has cut")
        break
      }
    }
  }

  /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`, or ISO 8601 with `T` (tolerated: not seen, possible).
  public static func isExportDatetime(_ value: UnsafeRawBufferPointer) -> Bool {
    func digits(_ range: Range<Int>) -> Bool {
      range.allSatisfy { (0x30...0x39).contains(value[$0]) }
    }
    guard value.count >= 10, digits(0..<4), value[4] == 0x2D, digits(5..<7), value[7] == 0x2D,
      digits(8..<10)
    else { return false }
    if value.count == 10 { return true }
    guard value.count >= 19, value[10] == 0x20 || value[10] == 0x54, digits(11..<13),
      value[13] == 0x3A, digits(14..<16), value[16] == 0x3A, digits(17..<19)
    else { return false }
    return value.count == 19 || value[10] == 0x54
  }

  /// `1.23E+15`, `-4E-7`: a mantissa of one digit, a signed exponent.
  public static func isScientific(_ value: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    if index < value.count && value[index] == 0x2D { index += 1 }
    guard index < value.count, (0x30...0x39).contains(value[index]) else { return false }
    index += 1
    if index < value.count && value[index] == 0x2E {
      index += 1
      let start = index
      while index < value.count && (0x30...0x39).contains(value[index]) { index += 1 }
      guard index > start else { return false }
    }
    // `E`, a sign and at least one digit.
    guard index + 3 <= value.count, value[index] == 0x45 || value[index] == 0x65,
      value[index + 1] == 0x2B || value[index + 1] == 0x2D
    else { return false }
    index += 2
    let exponent = index
    while index < value.count && (0x30...0x39).contains(value[index]) { index += 1 }
    return index > exponent && index == value.count
  }
}
