import CISAL

/// CRC-32 as ZIP uses it (the reflected IEEE polynomial, as zlib and gzip compute it).
enum CRC32 {
  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { update(0, $0) }
  }

  /// Continues `crc` over `bytes` (start from 0). ISA-L's carry-less-multiplication CRC: the
  /// check of every entry's data runs at memory speed instead of zlib's ~2 GB/s.
  static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
    return crc32_gzip_refl(crc, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
  }
}
