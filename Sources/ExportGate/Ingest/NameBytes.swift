import Foundation

extension String {
  /// Whether the name's UTF-8 form holds `byte` (a NUL, a backslash). Every entry's name is
  /// asked several times before and while its part is read: native strings are searched with
  /// `memchr` instead of byte by byte through the generic collection path.
  func utf8Contains(_ byte: UInt8) -> Bool {
    let found = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
      return memchr(base, Int32(byte), bytes.count) != nil
    }
    return found ?? utf8.contains(byte)
  }
}
