#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A thin owner of one glibc iconv conversion to UTF-8. Not shared between threads.
final class Iconv {
  private let descriptor: iconv_t
  private var pending: [UInt8] = []

  init?(from encoding: String) {
    let descriptor = iconv_open("UTF-8", encoding)
    guard let descriptor, Int(bitPattern: UnsafeRawPointer(descriptor)) != -1 else { return nil }
    self.descriptor = descriptor
  }

  deinit { iconv_close(descriptor) }

  static func canConvert(from encoding: String) -> Bool { Iconv(from: encoding) != nil }

  /// Converts `input` (following any bytes kept from the last call) and appends UTF-8 to
  /// `output`. An incomplete sequence at the end is kept for the next call; an invalid one
  /// becomes U+FFFD. Returns the number of invalid sequences replaced.
  @discardableResult
  func convert(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], final: Bool)
    -> Int
  {
    var data = pending
    data.append(contentsOf: input)
    pending.removeAll(keepingCapacity: true)
    var replaced = 0
    data.withUnsafeMutableBytes { raw in
      guard let base = raw.baseAddress else { return }
      var inPointer: UnsafeMutablePointer<CChar>? = base.assumingMemoryBound(to: CChar.self)
      var inLeft = raw.count
      var scratch = [UInt8](repeating: 0, count: max(64, raw.count * 4))
      scratch.withUnsafeMutableBytes { out in
        guard let outBase = out.baseAddress else { return }
        while inLeft > 0 {
          var outPointer: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(
            to: CChar.self)
          var outLeft = out.count
          let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
          output.append(
            contentsOf: UnsafeRawBufferPointer(start: outBase, count: out.count - outLeft))
          if result != -1 { break }
          let error = errno
          if error == E2BIG { continue }
          if error == EINVAL && !final, let inPointer {
            // Incomplete sequence at the end: keep it for the next chunk.
            pending.append(
              contentsOf: UnsafeRawBufferPointer(start: UnsafeRawPointer(inPointer), count: inLeft))
            inLeft = 0
            break
          }
          // Invalid (or incomplete at the very end): replace one byte and go on.
          output.append(contentsOf: [0xEF, 0xBF, 0xBD])
          replaced += 1
          inPointer = inPointer.map { $0 + 1 }
          inLeft -= 1
        }
      }
    }
    return replaced
  }
}
