/// Turns field bytes in an export's encoding into UTF-8, for output and for comparisons that
/// must see characters rather than bytes. In `auto` mode it reads UTF-8 until the first invalid
/// sequence, then switches for good to Windows-1252 (a superset of ISO-8859-1 for printable
/// characters), so one file is never decoded two ways at once.
public final class FieldDecoder {
  public let encoding: TextEncoding
  private var converter: Iconv?
  /// True once `auto` has switched to Windows-1252. Read for every field:
  /// `@exclusivity(unchecked)` drops the runtime access check (docs/architecture.md, "Exclusivity").
  @exclusivity(unchecked) public private(set) var fellBackToWindows1252 = false

  public init(encoding: TextEncoding) {
    self.encoding = encoding
    if case .other(let name) = encoding { converter = Iconv(from: name) }
  }

  /// The UTF-8 bytes of `field`, appended to `output`.
  public func decode(_ field: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
    switch encoding {
    case .utf8, .wide:
      // Wide encodings are transcoded to UTF-8 before parsing.
      appendUTF8Repairing(field, to: &output)
    case .auto:
      if !fellBackToWindows1252 {
        if UTF8Validator.isValid(field) {
          output.append(contentsOf: field)
          return
        }
        fellBackToWindows1252 = true
      }
      FieldDecoder.appendSingleByte(field, table: FieldDecoder.windows1252High, to: &output)
    case .iso88591:
      FieldDecoder.appendSingleByte(field, table: nil, to: &output)
    case .windows1252:
      FieldDecoder.appendSingleByte(field, table: FieldDecoder.windows1252High, to: &output)
    case .other:
      converter?.convert(field, appendingTo: &output, final: true)
    }
  }

  /// The field as a Swift string.
  public func string(_ field: UnsafeRawBufferPointer) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(field.count)
    decode(field, appendingTo: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  private func appendUTF8Repairing(_ field: UnsafeRawBufferPointer, to output: inout [UInt8]) {
    if UTF8Validator.isValid(field) {
      output.append(contentsOf: field)
    } else {
      output.append(contentsOf: String(decoding: field, as: UTF8.self).utf8)
    }
  }

  /// Code points of Windows-1252 bytes 0x80...0x9F (0 where the byte is undefined, kept as C1).
  static let windows1252High: [UInt32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
  ]

  private static func appendSingleByte(
    _ field: UnsafeRawBufferPointer, table: [UInt32]?, to output: inout [UInt8]
  ) {
    for byte in field {
      var scalar = UInt32(byte)
      if byte < 0x80 {
        output.append(byte)
        continue
      }
      if let table, byte <= 0x9F { scalar = table[Int(byte) - 0x80] }
      appendScalar(scalar, to: &output)
    }
  }

  static func appendScalar(_ scalar: UInt32, to output: inout [UInt8]) {
    if scalar < 0x80 {
      output.append(UInt8(scalar))
    } else if scalar < 0x800 {
      output.append(UInt8(0xC0 | (scalar >> 6)))
      output.append(UInt8(0x80 | (scalar & 0x3F)))
    } else {
      output.append(UInt8(0xE0 | (scalar >> 12)))
      output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      output.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }
}
