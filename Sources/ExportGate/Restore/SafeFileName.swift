import Foundation

/// Turns names from an export's data (an attachment's `Name`, a file's `Title`, a record's
/// `Name`) into file and folder names that are safe on every common file system: letters of
/// every language kept, no separators, NUL or control characters, no `.`/`..`, no names Windows
/// reserves or characters it refuses, no trailing dots or spaces, at most 255 bytes of UTF-8
/// (cut on a character boundary, the extension kept).
public enum SafeFileName {
  /// The most bytes of UTF-8 a name may take (ext4, APFS and NTFS all allow 255).
  public static let maximumBytes = 255

  /// Device names Windows reserves with any extension (`CON.txt` is the console): COM and LPT
  /// with a digit from 0 to 9 or a superscript one, two or three, CONIN$ and CONOUT$.
  private static let windowsReserved: Set<String> = {
    let digits = (0...9).map(String.init) + ["\u{00B9}", "\u{00B2}", "\u{00B3}"]
    return Set(
      ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + digits.map { "COM" + $0 }
        + digits.map { "LPT" + $0 })
  }()

  /// A safe name for `raw`; `fallback` when nothing usable is left. A title is not a path: its
  /// separators become `_` and every word is kept. Only a name that is a whole client path
  /// (`C:\Users\...\file.pdf`, `/home/.../file.pdf`), as an Attachment's Name can be when
  /// `clientPath` says so, is cut to its last segment.
  public static func make(_ raw: String, fallback: String, clientPath: Bool = false) -> String {
    let source =
      clientPath && isWholeClientPath(raw)
      ? raw.split(omittingEmptySubsequences: true) { $0 == "/" || $0 == "\\" }.last.map(
        String.init) ?? ""
      : raw
    var cleaned = readable(source)
    cleaned = trimmed(cleaned.precomposedStringWithCanonicalMapping)
    if cleaned.isEmpty || cleaned == "." || cleaned == ".." { cleaned = fallback }
    let stem = cleaned.split(separator: ".", maxSplits: 1).first.map(String.init) ?? cleaned
    if windowsReserved.contains(stem.trimmingCharacters(in: .whitespaces).uppercased()) {
      cleaned = "_" + cleaned
    }
    // A cut can leave a trailing dot or space again.
    let cut = trimmed(truncated(cleaned))
    return cut.isEmpty ? fallback : cut
  }

  /// `raw` without what a file system refuses, written as a person would: `Deal 14: "Phase 2"`
  /// becomes `Deal 14 - 'Phase 2'`. `:` is ` -` before a space and `-` elsewhere, `"` is `'`,
  /// `<` `>` are `(` `)`, `|` is `-`, `?` is dropped, `*` `/` `\` are `_` (a title's separators
  /// keep its words apart), control characters are dropped, and runs of spaces are one.
  static func readable(_ raw: String) -> String {
    var cleaned = ""
    let scalars = Array(raw.unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      switch scalar.value {
      case 0..<0x20, 0x7F, 0x80..<0xA0: continue
      default: break
      }
      let next = index + 1 < scalars.count ? scalars[index + 1] : " "
      switch scalar {
      case ":": cleaned += next == " " ? " -" : "-"
      case "\"": cleaned += "'"
      case "<": cleaned += "("
      case ">": cleaned += ")"
      case "|": cleaned += "-"
      case "?": continue
      case "*", "/", "\\": cleaned += "_"
      case " " where cleaned.hasSuffix(" "): continue
      default: cleaned.unicodeScalars.append(scalar)
      }
    }
    return cleaned
  }

  /// Without the trailing dots and spaces Windows drops, and the leading spaces that confuse
  /// everyone.
  private static func trimmed(_ name: String) -> String {
    var name = name
    while let last = name.last, last == "." || last == " " { name.removeLast() }
    while let first = name.first, first == " " { name.removeFirst() }
    return name
  }

  /// `C:\...`, `\\server\...`, `/home/...` or `..\x\y`: a path a client uploaded, whose last
  /// segment is the file's name.
  static func isWholeClientPath(_ raw: String) -> Bool {
    let bytes = Array(raw.utf8)
    if bytes.count >= 3, bytes[0].isASCIILetter, bytes[1] == UInt8(ascii: ":"),
      bytes[2] == UInt8(ascii: "\\") || bytes[2] == UInt8(ascii: "/")
    {
      return true
    }
    return raw.hasPrefix("/") || raw.hasPrefix("\\") || raw.contains("\\")
  }

  /// `name` cut to `maximumBytes` of UTF-8 on a character boundary, keeping its extension.
  public static func truncated(_ name: String, maximumBytes: Int = maximumBytes) -> String {
    guard name.utf8.count > maximumBytes else { return name }
    let (stem, ext) = split(name)
    let suffix = ext.isEmpty || ext.utf8.count > 32 ? "" : "." + ext
    let base = ext.isEmpty || ext.utf8.count > 32 ? name : stem
    var kept = ""
    for character in base {
      if kept.utf8.count + character.utf8.count + suffix.utf8.count > maximumBytes { break }
      kept.append(character)
    }
    return kept + suffix
  }

  /// The name's stem and extension (`report.final.pdf` -> `report.final`, `pdf`).
  public static func split(_ name: String) -> (stem: String, ext: String) {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
    return (String(name[..<dot]), String(name[name.index(after: dot)...]))
  }

  /// `name` with ` (tag)` inserted before its extension, still within the byte limit.
  public static func tagged(_ name: String, _ tag: String) -> String {
    let (stem, ext) = split(name)
    let suffix = " (\(tag))" + (ext.isEmpty ? "" : "." + ext)
    var kept = ""
    for character in stem {
      if kept.utf8.count + character.utf8.count + suffix.utf8.count > maximumBytes { break }
      kept.append(character)
    }
    return kept + suffix
  }
}
