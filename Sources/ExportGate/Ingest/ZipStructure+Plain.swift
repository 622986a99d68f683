/// The plain part: what ExportGate decodes itself instead of through libarchive.
extension ZipStructure {
  /// Whether every entry of the part can be read directly (``ZipPartReader``'s direct read):
  /// nothing the audit found (no disagreeing headers or names, no extra entries, no shared
  /// bytes), a directory exactly
  /// where and as long as the end record says, only Stored or Deflate data without encryption,
  /// names every extractor reads alike, regular files and folders only, no extra field that
  /// changes what libarchive reports, entries one after another.
  var isPlain: Bool {
    guard findings.isEmpty, !refused, hasExactLayout else {
      return false
    }
    var end: Int64 = 0
    for entry in entriesInReadingOrder {
      guard let dataOffset = entry.dataOffset, entry.hasPlainHeaders,
        entry.localHeaderOffset >= end, dataOffset > entry.localHeaderOffset,
        entry.compressedSize >= 0, entry.uncompressedSize >= 0,
        entry.flags & 0x41 == 0,
        entry.method == 8 || (entry.method == 0 && entry.compressedSize == entry.uncompressedSize),
        entry.unicodeName == nil, entry.localName == nil, entry.legacyName == nil,
        Self.isPlainName(entry), Self.isPlainFileOrFolder(entry)
      else { return false }
      end = Self.add(dataOffset, entry.compressedSize)
    }
    return end <= directoryStart
  }

  /// ASCII, or valid UTF-8 flagged as such, without NUL or backslash: the name every extractor
  /// reports. (A name that is not valid UTF-8, stored here with replacement characters, is one
  /// the audit names already; the check holds should it ever not.)
  private static func isPlainName(_ entry: Entry) -> Bool {
    let utf8 = entry.rawName.utf8
    guard !utf8.isEmpty, !entry.rawName.utf8Contains(0), !entry.rawName.utf8Contains(0x5C) else {
      return false
    }
    if utf8.allSatisfy({ $0 < 0x80 }) { return true }
    return entry.flags & 0x800 != 0 && !entry.rawName.unicodeScalars.contains("\u{FFFD}")
  }

  /// A regular file, or a folder named with its trailing `/`, by the Unix mode a Unix-made
  /// entry carries and by the DOS folder attribute.
  private static func isPlainFileOrFolder(_ entry: Entry) -> Bool {
    let folder = entry.rawName.hasSuffix("/")
    if entry.versionMadeBy >> 8 == 3 {
      switch (entry.externalAttributes >> 16) & 0o170000 {
      case 0, 0o100000: break
      case 0o040000 where folder: break
      default: return false
      }
    }
    return entry.externalAttributes & 0x10 == 0 || folder
  }
}
