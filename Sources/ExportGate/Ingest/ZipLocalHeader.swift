/// One entry's local header, as streaming extractors read it: the 30 fixed bytes (fields at
/// their offsets in APPNOTE 4.3.7), then the name and extra fields. The sizes are the 64-bit
/// ones of a ZIP64 extra field where the 32-bit field is saturated.
struct ZipLocalHeader {
  static let signature: UInt32 = 0x0403_4b50
  /// Bytes before the name.
  static let fixedLength = 30

  private enum Offset {
    static let flags = 6
    static let method = 8
    static let dosDateTime = 10
    static let crc32 = 14
    static let compressedSize = 18
    static let uncompressedSize = 22
    static let nameLength = 26
    static let extraLength = 28
  }

  var flags: UInt16
  var method: UInt16
  var dosDateTime: UInt32
  var crc32: UInt32
  var compressedSize: Int64
  var uncompressedSize: Int64
  var nameLength: Int
  var extraLength: Int
  /// The modification time of an extended-timestamp extra field (0x5455), when it has one.
  var extendedTime: Int64?

  /// The fixed part at `start` of `bytes`; nil unless 30 bytes starting with the signature are
  /// there.
  init?(_ bytes: [UInt8], at start: Int) {
    guard start >= 0, bytes.count - start >= Self.fixedLength,
      ZipStructure.u32(bytes, start) == Self.signature
    else { return nil }
    flags = ZipStructure.u16(bytes, start + Offset.flags)
    method = ZipStructure.u16(bytes, start + Offset.method)
    dosDateTime = ZipStructure.u32(bytes, start + Offset.dosDateTime)
    crc32 = ZipStructure.u32(bytes, start + Offset.crc32)
    compressedSize = Int64(ZipStructure.u32(bytes, start + Offset.compressedSize))
    uncompressedSize = Int64(ZipStructure.u32(bytes, start + Offset.uncompressedSize))
    nameLength = Int(ZipStructure.u16(bytes, start + Offset.nameLength))
    extraLength = Int(ZipStructure.u16(bytes, start + Offset.extraLength))
  }

  /// The whole header: fixed part, name, extra fields.
  var length: Int64 { Int64(Self.fixedLength + nameLength + extraLength) }

  /// Whether the entry's data follows in a data descriptor (general-purpose flag bit 3).
  var isStreamed: Bool { flags & 8 != 0 }

  /// Takes in the extra fields (`extraLength` bytes at `start` of `bytes`): ZIP64 sizes for
  /// saturated ones, and the extended timestamp's modification time.
  mutating func readExtras(_ bytes: [UInt8], from start: Int) {
    ZipStructure.forEachExtra(bytes, from: start, count: extraLength) { id, data, length in
      if id == 0x0001 {
        _ = ZipStructure.applyZip64(
          bytes, data, length, uncompressed: &uncompressedSize, compressed: &compressedSize)
      } else if id == 0x5455, length >= 5, bytes[data] & 1 != 0 {
        // Flags, then the modification time first when its bit is set.
        extendedTime = Int64(ZipStructure.u32(bytes, data + 1))
      }
    }
  }

  /// What this header and the directory's record state differently, in words; empty when
  /// streaming extractors and directory readers get the same file from them.
  func differences(from entry: ZipStructure.Entry) -> [String] {
    var differences: [String] = []
    if (flags & 1) != (entry.flags & 1) {
      differences.append(
        "encryption (\((entry.flags & 1) != 0 ? "on" : "off") in the directory, \((flags & 1) != 0 ? "on" : "off") in the local header)"
      )
    }
    if method != entry.method {
      differences.append(
        "the compression method (\(entry.method) in the directory, \(method) in the local header)"
      )
    }
    // Without a data descriptor, the local header's own sizes and CRC are authoritative for
    // streaming extractors (a streamed entry's are checked by ``disagreesWhileStreamed(with:)``).
    if !isStreamed
      && (crc32 != entry.crc32 || compressedSize != entry.compressedSize
        || uncompressedSize != entry.uncompressedSize)
    {
      differences.append(
        "the sizes or CRC (\(entry.uncompressedSize) bytes in the directory, \(uncompressedSize) in the local header)"
      )
    }
    return differences
  }

  /// A streamed entry's local header may leave its CRC and sizes zero; values that are neither
  /// zero nor the directory's make libarchive refuse the entry.
  func disagreesWhileStreamed(with entry: ZipStructure.Entry) -> Bool {
    isStreamed
      && ((crc32 != 0 && crc32 != entry.crc32)
        || (compressedSize != 0 && compressedSize != entry.compressedSize)
        || (uncompressedSize != 0 && uncompressedSize != entry.uncompressedSize))
  }
}
