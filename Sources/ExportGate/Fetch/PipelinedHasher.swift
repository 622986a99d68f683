import Crypto
import Foundation

/// A part's SHA-256, computed on a thread of its own from the bytes as written to the partial
/// file, while the network thread goes on receiving: hashing inline would stall the socket.
///
/// The hasher reads back from the file (the page cache) instead of holding the network's
/// buffers: NIO reuses a receive buffer once it looks unshared, and a buffer still queued for
/// hashing on another thread raced with that reuse (ThreadSanitizer showed it). Reading back
/// also hashes exactly what is on disk, and the event loop never waits for the hasher: the
/// queue holds byte counts, not bytes, so memory does not grow however far hashing lags.
///
/// Unchecked: the digest, the position and the failure are touched only on `queue`.
final class PipelinedHasher: @unchecked Sendable {
  private let queue = DispatchQueue(label: "exportgate.fetch.sha256")
  private let descriptor: Int32
  private var hasher = SHA256()
  /// Where the next bytes to hash start in the file.
  private var position: Int64
  /// Why bytes could not be read back, once they could not.
  private var failure: String?
  /// Where bytes are read back into, reused.
  private var scratch = [UInt8](repeating: 0, count: 1 << 20)

  /// Hashes bytes of the open file `descriptor` from `start` on, as they are appended.
  init(reading descriptor: Int32, from start: Int64 = 0) {
    self.descriptor = descriptor
    position = start
  }

  /// The next `count` bytes written to the file are to be hashed.
  func append(_ count: Int) {
    guard count > 0 else { return }
    queue.async { self.hashFile(count) }
  }

  /// Bytes already on disk (a resumed part), hashed before any new chunk.
  func update(_ bytes: UnsafeRawBufferPointer) {
    queue.sync { hasher.update(bufferPointer: bytes) }
  }

  /// The part starts again from its first byte (the org ignored a Range request).
  func reset() {
    queue.sync {
      hasher = SHA256()
      position = 0
      failure = nil
    }
  }

  /// Waits for every queued count; the digest, or nil when bytes could not be read back.
  var hex: String? {
    queue.sync { failure == nil ? PartHasher.hex(hasher.finalize()) : nil }
  }

  /// Waits for every queued count (the file is no longer read afterwards).
  func drain() { queue.sync {} }

  private func hashFile(_ count: Int) {
    guard failure == nil else { return }
    var left = count
    while left > 0 {
      let wanted = min(left, scratch.count)
      let got = scratch.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress, wanted, off_t(position))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else {
        failure = got == 0 ? "the file is shorter than written" : String(cString: strerror(errno))
        return
      }
      scratch.withUnsafeBytes {
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<got]))
      }
      position += Int64(got)
      left -= got
    }
  }
}
