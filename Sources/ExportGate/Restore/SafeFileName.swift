import Foundation

/// Turns names from an export's data (an attachment's `Name`, a file's `Title`, a record's
/// `Name`) into file and folder names that are safe on every common file system: letters of
/// every language kept, no separators, NUL or control characters, no `.`/`..`, no names Windows
/// reserves or characters it refuses, no trailing dots or spaces, at most 255 bytes of UTF-8
/// (cut on a character boundary, the extension kept).
public enum SafeFileName {
  /// The most bytes of UTF-8 a name may take (ext4, APFS and NTFS all allow 255).
  public static let maximumBytes = 255

  private static let windowsReserved: Set<String> = Set(
    ["CON", "PRN", "AUX", "NUL"] + (1...9).map { "COM\($0)" } + (1...9).map { "LPT\($0)" })

  /// A safe name for `raw`; `fallback` when nothing usable is left.
  public static func make(_ raw: String, fallback: String) -> String {
    // A Windows or Unix path (an attachment uploaded as C:\Users\...\x.pdf): its last segment.
    let lastSegment =
      raw.split(omittingEmptySubsequences: true) { $0 == "/" || $0 == "\\" }.last.map(String.init)
      ?? ""
    var cleaned = ""
    for scalar in lastSegment.unicodeScalars {
      switch scalar.value {
      case 0..<0x20, 0x7F, 0x80..<0xA0: continue
      default: break
      }
      switch scalar {
      case "<", ">", ":", "\"", "|", "?", "*": cleaned.unicodeScalars.append("_")
      default: cleaned.unicodeScalars.append(scalar)
      }
    }
    cleaned = cleaned.precomposedStringWithCanonicalMapping
    // Windows drops trailing dots and spaces, and leading spaces confuse everyone.
    while let last = cleaned.last, last == "." || last == " " { cleaned.removeLast() }
    while let first = cleaned.first, first == " " { cleaned.removeFirst() }
    if cleaned.isEmpty || cleaned == "." || cleaned == ".." { cleaned = fallback }
    let stem = cleaned.split(separator: ".", maxSplits: 1).first.map(String.init) ?? cleaned
    if windowsReserved.contains(stem.uppercased()) { cleaned = "_" + cleaned }
    return truncated(cleaned)
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
