/// A structural problem met while parsing, with where it happened.
public struct CSVMalformation: Sendable, Hashable {
  /// What went wrong.
  public enum Kind: Sendable, Hashable {
    case unterminatedQuotedField
    case quoteInUnquotedField
    case textAfterClosingQuote
    case wrongFieldCount(expected: Int, found: Int)
    case tooManyFields(limit: Int)
    case emptyHeaderName(column: Int)
    case duplicateHeaderName(String, column: Int)
    case recordTooLarge(limit: Int)
  }

  public let kind: Kind
  /// Line on which the affected record starts.
  public let line: Int
  /// 1-based record number (header = 1).
  public let record: Int
  /// Byte offset of the problem (or of the record's start for record-level problems).
  public let byteOffset: Int64

  /// A sentence for people, naming the kind.
  public var message: String {
    switch kind {
    case .unterminatedQuotedField:
      "unterminated quoted field at end of input (the file looks truncated)"
    case .quoteInUnquotedField: "quote inside an unquoted field"
    case .textAfterClosingQuote: "text after a closing quote"
    case .wrongFieldCount(let expected, let found):
      "record has \(found) field\(found == 1 ? "" : "s"), the header has \(expected)"
    case .tooManyFields(let limit):
      "record has more than \(limit) fields (no real export has that many columns): the rest are folded into the last field"
    case .emptyHeaderName(let column): "empty header name in column \(column)"
    case .duplicateHeaderName(let name, let column):
      "duplicate header name \"\(name)\" in column \(column)"
    case .recordTooLarge(let limit):
      "record larger than \(limit >> 20) MiB (probably an unterminated quote): only its first \(limit >> 20) MiB are kept"
    }
  }
}
