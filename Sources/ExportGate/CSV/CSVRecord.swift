/// One parsed record, valid only during the handler call that receives it: its fields are
/// views into the parser's buffer, which the next record overwrites. Copy what must outlive it.
public struct CSVRecord {
  private let bytes: UnsafePointer<UInt8>
  private let ends: UnsafePointer<Int>
  /// Number of fields.
  public let count: Int
  /// 1-based index among all records of the file, the header being record 1.
  public let number: Int
  /// 1-based line on which the record starts.
  public let line: Int
  /// Offset of the record's first byte in the input.
  public let byteOffset: Int64
  /// The parser met a malformation inside this record (already reported).
  public let isDamaged: Bool
  /// A field of this record was written without quotes (a Data Export quotes every field).
  public let hasUnquotedField: Bool

  init(
    buffer: RecordBuffer, number: Int, line: Int, byteOffset: Int64, isDamaged: Bool,
    hasUnquotedField: Bool = false
  ) {
    self.bytes = UnsafePointer(buffer.bytes)
    self.ends = UnsafePointer(buffer.ends)
    self.count = buffer.fieldCount
    self.number = number
    self.line = line
    self.byteOffset = byteOffset
    self.isDamaged = isDamaged
    self.hasUnquotedField = hasUnquotedField
  }

  /// The unescaped bytes of field `index` (0-based).
  @inline(__always)
  public subscript(index: Int) -> UnsafeRawBufferPointer {
    let start = index == 0 ? 0 : ends[index - 1]
    return UnsafeRawBufferPointer(start: bytes + start, count: ends[index] - start)
  }

  /// Field `index` decoded as UTF-8 (invalid sequences replaced).
  public func string(at index: Int) -> String {
    String(decoding: self[index], as: UTF8.self)
  }

  /// Every field decoded as UTF-8 (invalid sequences replaced).
  public var strings: [String] { (0..<count).map(string(at:)) }

  /// All field bytes laid end to end, for hashing a whole record.
  public var allBytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: bytes, count: count == 0 ? 0 : ends[count - 1])
  }
}
