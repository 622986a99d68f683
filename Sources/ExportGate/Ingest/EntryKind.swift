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
    let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
      .filter { $0 != "." }
    if components.count == 1, components[0].lowercased().hasSuffix(".csv") {
      return .objectCSV(object: String(components[0].dropLast(4)))
    }
    if components.count == 2, let folder = BinaryFolder.named(components[0]) {
      return .binary(folder: folder, name: components[1])
    }
    return .unexpected
  }

  static func unsafeReason(path: String, isLink: Bool) -> String? {
    if isLink { return "a symbolic or hard link (never followed)" }
    if path.isEmpty { return "an empty name" }
    if path.utf8.contains(0) { return "a NUL byte in the name" }
    if path.hasPrefix("/") { return "an absolute path" }
    if path.contains("\\") { return "a backslash in the name (a Windows path separator)" }
    let bytes = Array(path.utf8)
    if bytes.count >= 2 && bytes[1] == UInt8(ascii: ":")
      && ((bytes[0] | 0x20) >= UInt8(ascii: "a") && (bytes[0] | 0x20) <= UInt8(ascii: "z"))
    {
      return "a drive-letter path"
    }
    if path.split(separator: "/").contains("..") { return "a '..' component (path traversal)" }
    return nil
  }
}
