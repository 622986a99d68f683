/// Little-endian fields and extra fields, read from bytes that come from the file: every
/// size and offset may be anything, so arithmetic saturates.
extension ZipStructure {
  /// `a + b`, held at the largest value instead of overflowing (sizes and offsets come from
  /// the file and may be anything).
  static func add(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? .max : .min) : sum
  }

  static func u16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(u16(bytes, offset)) | UInt32(u16(bytes, offset + 2)) << 16
  }

  static func i64(_ bytes: [UInt8], _ offset: Int) -> Int64 {
    Int64(bitPattern: UInt64(u32(bytes, offset)) | UInt64(u32(bytes, offset + 4)) << 32)
  }

  /// Extra fields whose effect on what an extractor reports is known here: ZIP64 sizes, the
  /// extended timestamp (``Entry/localExtendedTime``), Unix owner ids, the JAR marker. Any other
  /// (Unix modes and link targets, NTFS times, encryption headers, unknown ones) leaves the
  /// entry to libarchive.
  static func hasOnlyPlainExtras(_ bytes: [UInt8], from start: Int, count: Int) -> Bool {
    var plain = true
    var covered = 0
    forEachExtra(bytes, from: start, count: count) { id, _, length in
      covered += 4 + length
      switch id {
      case 0x0001, 0x5455, 0x7875, 0x7855, 0xCAFE: break
      default: plain = false
      }
    }
    // Bytes no well-formed field covers are read differently by different tools.
    return plain && covered == count
  }

  /// Takes the 64-bit sizes of a ZIP64 extra field (data at `start`, `length` bytes) for the
  /// sizes whose 32-bit value is saturated: only those are present, uncompressed first. Returns
  /// where the field's next value (the local header offset, in the directory) would start.
  static func applyZip64(
    _ bytes: [UInt8], _ start: Int, _ length: Int, uncompressed: inout Int64,
    compressed: inout Int64
  ) -> Int {
    var cursor = start
    if uncompressed == 0xFFFF_FFFF, cursor + 8 <= start + length {
      uncompressed = i64(bytes, cursor)
      cursor += 8
    }
    if compressed == 0xFFFF_FFFF, cursor + 8 <= start + length {
      compressed = i64(bytes, cursor)
      cursor += 8
    }
    return cursor
  }

  /// Calls `body(id, dataStart, dataLength)` for each well-formed extra field.
  static func forEachExtra(
    _ bytes: [UInt8], from start: Int, count: Int, _ body: (UInt16, Int, Int) -> Void
  ) {
    var cursor = start
    let end = min(start + count, bytes.count)
    while cursor + 4 <= end {
      let id = u16(bytes, cursor)
      let length = Int(u16(bytes, cursor + 2))
      guard cursor + 4 + length <= end else { return }
      body(id, cursor + 4, length)
      cursor += 4 + length
    }
  }
}
