/// What an entry is in a Data Export's layout, decided from its path alone.
public enum EntryKind: Sendable, Hashable {
  /// `Object.csv` at the root.
  case objectCSV(object: String)
  /// A file in a binary folder, named by the Id of the row that owns it.
  case binary(folder: BinaryFolder, name: String)
  /// A directory entry (no content).
  case directory
  /// Anything else: reported as `entry-unexpected`, read for integrity all the same.
  case unexpected
  /// A name that could escape an extraction folder, or a link: never followed.
  case unsafe(reason: String)

  /// Classifies a path (as stored in the archive) and whether the entry is a link.
  public static func classify(path: String, isLink: Bool, isDirectory: Bool) -> EntryKind {
    if let reason = unsafeReason(path: path, isLink: isLink) { return .unsafe(reason: reason) }
    if isDirectory { return .directory }
    // `./Account.csv` is the file `Account.csv` to every extractor.
    let components = path.utf8.split(separator: UInt8(ascii: "/"))
      .filter { !$0.elementsEqual(".".utf8) }
    if components.count == 1, hasCSVExtension(components[0]) {
      return .objectCSV(object: String(decoding: components[0].dropLast(4), as: UTF8.self))
    }
    if components.count == 2,
      let folder = BinaryFolder.named(String(decoding: components[0], as: UTF8.self))
    {
      return .binary(folder: folder, name: String(decoding: components[1], as: UTF8.self))
    }
    return .unexpected
  }

  /// Whether a name ends in `.csv`, in any letter case.
  private static func hasCSVExtension(_ name: Substring.UTF8View) -> Bool {
    name.suffix(4).lazy.map(\.asciiLowercased).elementsEqual(".csv".utf8)
  }

  static func unsafeReason(path: String, isLink: Bool) -> String? {
    if isLink { return "a symbolic or hard link (never followed)" }
    if path.isEmpty { return "an empty name" }
    if path.utf8Contains(0) { return "a NUL byte in the name" }
    if path.hasPrefix("/") { return "an absolute path" }
    let bytes = path.utf8
    if bytes.contains(UInt8(ascii: "\\")) {
      return "a backslash in the name (a Windows path separator)"
    }
    if let first = bytes.first, bytes.dropFirst().first == UInt8(ascii: ":"),
      (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
    {
      return "a drive-letter path"
    }
    if bytes.split(separator: UInt8(ascii: "/")).contains(where: { $0.elementsEqual("..".utf8) }) {
      return "a '..' component (path traversal)"
    }
    return nil
  }
}
