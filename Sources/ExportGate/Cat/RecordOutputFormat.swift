/// How `cat` writes records: JSON lines (one array of strings per record) or RFC 4180 CSV.
public enum RecordOutputFormat: String, Sendable, CaseIterable {
  case jsonl
  case csv

  /// Appends one record, already decoded to UTF-8 fields, to `output`.
  func append(_ fields: [ArraySlice<UInt8>], to output: inout [UInt8]) {
    switch self {
    case .jsonl:
      output.append(UInt8(ascii: "["))
      for (index, field) in fields.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        RecordOutputFormat.appendJSONString(field, to: &output)
      }
      output.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: "\n")])
    case .csv:
      for (index, field) in fields.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        let needsQuotes = field.contains {
          $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        if needsQuotes {
          output.append(UInt8(ascii: "\""))
          for byte in field {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
          }
          output.append(UInt8(ascii: "\""))
        } else {
          output.append(contentsOf: field)
        }
      }
      output.append(contentsOf: [0x0D, 0x0A])
    }
  }

  static func appendJSONString(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    output.append(UInt8(ascii: "\""))
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0..<0x20:
        output.append(contentsOf: Array("\\u00".utf8))
        output.append(hex[Int(byte >> 4)])
        output.append(hex[Int(byte & 0xF)])
      default: output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }
}
