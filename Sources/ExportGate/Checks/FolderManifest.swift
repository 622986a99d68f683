/// For one binary folder: the files the export's metadata says it must hold, and the files it
/// holds, keyed by record Id. Entries are kept small (no strings per file: sources are
/// interned, MD5s are raw bytes), since exports carry hundreds of thousands of files.
final class FolderManifest {
  /// An MD5 as 16 raw bytes.
  struct Digest: Equatable {
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
      self.high = high
      self.low = low
    }

    /// From 32 hex digits (any case); nil otherwise.
    init?(hex: UnsafeRawBufferPointer) {
      guard hex.count == 32 else { return nil }
      var high: UInt64 = 0
      var low: UInt64 = 0
      for (index, byte) in hex.enumerated() {
        let value: UInt8
        switch byte {
        case 0x30...0x39: value = byte - 0x30
        case 0x61...0x66: value = byte - 0x61 + 10
        case 0x41...0x46: value = byte - 0x41 + 10
        default: return nil
        }
        if index < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
      }
      self.init(high: high, low: low)
    }

    init?(hex: String) {
      var text = hex
      guard let digest = text.withUTF8({ Digest(hex: UnsafeRawBufferPointer($0)) }) else {
        return nil
      }
      self = digest
    }

    init<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
      var high: UInt64 = 0
      var low: UInt64 = 0
      for (index, byte) in bytes.enumerated() {
        if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
      }
      self.init(high: high, low: low)
    }

    var hex: String {
      String(high, radix: 16).leftPadded(16, with: "0")
        + String(low, radix: 16).leftPadded(16, with: "0")
    }
  }

  struct Expected {
    /// -1 when the metadata has no size.
    var size: Int64
    var md5: Digest?
    /// True when the MD5 comes from the org (`--expect-checksums`), not the export itself.
    var md5FromOrg: Bool
    /// True when only the org's checksum file lists this file (no row of the export does).
    var onlyInOrgList = false
    var line: UInt32
    var record: UInt32
    /// Index into `sources`.
    var source: UInt32
  }

  struct Present {
    var size: Int64
    var md5: Digest?
    var source: UInt32
    var intact: Bool
  }

  let folder: BinaryFolder
  var expected: [RecordId: Expected] = [:]
  var present: [RecordId: Present] = [:]
  /// Part (or folder, or checksum file) names, numbered as the `source` fields above.
  private(set) var sources = Interner<String>()
  /// Files whose names are not record Ids.
  var unnamed: [(name: String, part: String, path: String, size: Int64)] = []
  var presentBytes: Int64 = 0
  /// Whether the metadata object's CSV was seen.
  var metadataSeen = false

  init(folder: BinaryFolder) { self.folder = folder }

  var presentCount: Int { present.count + unnamed.count }

  func source(_ name: String) -> UInt32 { sources.index(name) }

  /// The org's MD5 (and size) for a file: a row already expecting it gets them to compare;
  /// a file only the org lists is expected from then on when `evenIfAbsent`. Returns false
  /// when the export knows nothing of the file (no row, no file) and it was not added.
  @discardableResult
  func addOrgChecksum(
    id: RecordId, md5: Digest?, size: Int64?, line: UInt32, source: UInt32, evenIfAbsent: Bool
  ) -> Bool {
    if var known = expected[id] {
      if let md5 {
        known.md5 = md5
        known.md5FromOrg = true
      }
      if known.size < 0 { known.size = size ?? -1 }
      expected[id] = known
      return true
    }
    guard evenIfAbsent || present[id] != nil else { return false }
    expected[id] = Expected(
      size: size ?? -1, md5: md5, md5FromOrg: md5 != nil, onlyInOrgList: true, line: line,
      record: line > 0 ? line - 1 : 0, source: source)
    return true
  }

  /// Takes in another manifest of the same folder (a later source): first occurrence wins.
  func absorb(_ other: FolderManifest) {
    metadataSeen = metadataSeen || other.metadataSeen
    presentBytes += other.presentBytes
    unnamed += other.unnamed
    let map = sources.remap(other.sources)
    for (id, value) in other.expected where expected[id] == nil {
      var value = value
      value.source = map[Int(value.source)]
      expected[id] = value
    }
    for (id, value) in other.present where present[id] == nil {
      var value = value
      value.source = map[Int(value.source)]
      present[id] = value
    }
  }
}

extension String {
  func leftPadded(_ width: Int, with pad: Character) -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
