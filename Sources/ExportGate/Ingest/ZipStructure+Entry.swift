extension ZipStructure {
  /// One central-directory entry, with what its local header said.
  struct Entry {
    /// Position in the central directory.
    var index: Int
    /// The raw name decoded as UTF-8 (invalid bytes replaced), NUL included.
    var rawName: String
    /// The Info-ZIP Unicode Path (extra field 0x7075), when present and valid for the raw name.
    var unicodeName: String?
    /// The raw name as Python's zipfile and Windows read a name without the UTF-8 flag
    /// (code page 437), when that differs from the UTF-8 reading.
    var legacyName: String?
    /// The name in the local header, when it differs from the directory's.
    var localName: String?
    var crc32: UInt32
    var compressedSize: Int64
    var uncompressedSize: Int64
    var localHeaderOffset: Int64
    var method: UInt16
    var flags: UInt16
    /// The system that made the entry (high byte: 3 for Unix) and its attributes (for Unix, the
    /// file mode in the high 16 bits).
    var versionMadeBy: UInt16 = 0
    var externalAttributes: UInt32 = 0
    /// The DOS date (high 16 bits) and time (low 16 bits) the directory states, as stored.
    var dosDateTime: UInt32 = 0
    /// Where the entry's data starts (after its local header), once that header was read.
    var dataOffset: Int64?
    /// The modification time (seconds since 1970, UTC) the local header's extended timestamp
    /// (extra field 0x5455) states: libarchive reports it instead of the DOS time.
    var localExtendedTime: Int64?
    /// False when either header carries an extra field that changes what an extractor reports
    /// (timestamps, Unix links, encryption), or the local header's time differs: only
    /// libarchive then says what the entry is.
    var hasPlainHeaders = true
    var isDirectory: Bool { rawName.hasSuffix("/") }
    /// The names extractors may give this entry: the stored name (as UTF-8, or as code page
    /// 437), the Unicode Path, the local header's name.
    var names: [String] {
      var names = [legacyName ?? rawName]
      for other in [legacyName, unicodeName, localName].compactMap({ $0 })
      where !names.contains(other) {
        names.append(other)
      }
      return names
    }
    /// The name libarchive (and so this tool's reader) reports.
    var readerName: String {
      if let unicodeName { return unicodeName }
      return rawName.utf8Contains(0) ? String(rawName.prefix { $0 != "\u{0}" }) : rawName
    }
  }
}
