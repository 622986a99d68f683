/// The character encoding of an export's CSVs, as chosen on the Data Export page.
/// Names are spelled as iconv spells them and compared case-insensitively.
public enum TextEncoding: Sendable, Hashable, CustomStringConvertible {
  /// UTF-8 when the bytes are valid UTF-8; otherwise reported and decoded as Windows-1252.
  case auto
  case utf8
  case iso88591
  case windows1252
  /// UTF-16 or UTF-32: transcoded to UTF-8 before parsing. The name is iconv's.
  case wide(String)
  /// Any other ASCII-compatible encoding iconv knows (Shift_JIS, EUC-JP, GB18030, Big5, ...):
  /// structure is parsed on bytes, values are decoded with iconv.
  case other(String)

  /// Thrown when iconv does not know the name.
  public struct UnknownEncoding: Error, CustomStringConvertible {
    public let name: String
    public var description: String {
      "unknown encoding '\(name)' (use a name iconv knows, e.g. UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16BE, SHIFT_JIS)"
    }
  }

  /// Parses a user-given name.
  public init(name: String) throws {
    let upper = name.uppercased()
    switch upper {
    case "AUTO": self = .auto
    case "UTF-8", "UTF8": self = .utf8
    case "ISO-8859-1", "ISO8859-1", "LATIN1", "LATIN-1", "ISO_8859-1": self = .iso88591
    case "WINDOWS-1252", "CP1252", "WINDOWS1252": self = .windows1252
    case "UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32", "UTF-32BE", "UTF-32LE", "UCS-2", "UCS-2BE",
      "UCS-2LE":
      self = .wide(upper)
    default:
      guard Iconv.canConvert(from: upper) else { throw UnknownEncoding(name: name) }
      self = .other(upper)
    }
  }

  public var description: String {
    switch self {
    case .auto: "auto"
    case .utf8: "UTF-8"
    case .iso88591: "ISO-8859-1"
    case .windows1252: "WINDOWS-1252"
    case .wide(let name), .other(let name): name
    }
  }

  /// Whether `"`, `,`, CR and LF are single ASCII bytes, so structure can be parsed on bytes.
  public var isASCIICompatible: Bool {
    if case .wide = self { return false }
    return true
  }

  /// The encoding a byte-order mark at the start of a file announces, if any.
  public static func fromByteOrderMark(_ prefix: UnsafeRawBufferPointer) -> TextEncoding? {
    let b = Array(prefix.prefix(4))
    if b.count >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0 {
      return .wide("UTF-32LE")
    }
    if b.count >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF {
      return .wide("UTF-32BE")
    }
    if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return .wide("UTF-16BE") }
    if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return .wide("UTF-16LE") }
    return nil
  }
}
