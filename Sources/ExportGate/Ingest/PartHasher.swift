import Crypto
import Foundation

/// Computes a part's SHA-256 by reading it sequentially (read-only), for reports and
/// certificates, and to recognise byte-identical copies.
public enum PartHasher {
  public static func sha256Hex(ofFileAt path: String) throws -> String {
    var hasher = SHA256()
    try FileChunks.read(path: path, chunkSize: 1 << 20) { hasher.update(bufferPointer: $0) }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }
}
