import CArchive

/// CRC-32 as ZIP uses it, from zlib.
enum CRC32 {
  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
      UInt32(crc32(0, buffer.baseAddress, uInt(buffer.count)))
    }
  }
}
