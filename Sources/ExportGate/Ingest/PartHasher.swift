import Crypto
import Foundation

/// Computes a part's SHA-256 by reading it sequentially (read-only), for reports and
/// certificates, and to recognise byte-identical copies.
public enum PartHasher {
  public static func sha256Hex(ofFileAt path: String) throws -> String {
    var hasher = SHA256()
    try FileChunks.read(path: path, chunkSize: 1 << 20) { hasher.update(bufferPointer: $0) }
    return hex(hasher.finalize())
  }

  /// Whether the regular file at `path` (not followed if a link) has this size and SHA-256:
  /// a part or a restored file already in place.
  public static func matches(fileAt path: String, size: Int64, sha256: String) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) == size
    else { return false }
    return (try? sha256Hex(ofFileAt: path)) == sha256
  }

  /// A digest as lower-case hex.
  static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
  }
}
