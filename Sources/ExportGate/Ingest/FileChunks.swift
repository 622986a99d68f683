import Foundation

/// Reads a file read-only in fixed-size chunks into one reused buffer.
enum FileChunks {
  struct ReadError: Error, CustomStringConvertible {
    let description: String
  }

  static func read(
    path: String, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let descriptor: Int32
    do {
      descriptor = try InputFile.open(path, what: "file")
    } catch {
      throw ReadError(description: "\(error)")
    }
    defer { close(descriptor) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let count = Foundation.read(descriptor, buffer.baseAddress, chunkSize)
      if count < 0 {
        if errno == EINTR { continue }
        throw ReadError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
      }
      if count == 0 { return }
      try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
  }

  /// Reads up to `count` bytes at `offset`.
  static func read(path: String, offset: Int64, count: Int) -> [UInt8] {
    guard let descriptor = try? InputFile.open(path, what: "file") else { return [] }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: count)
    let got = bytes.withUnsafeMutableBytes {
      pread(descriptor, $0.baseAddress, count, off_t(offset))
    }
    return got > 0 ? Array(bytes[0..<got]) : []
  }
}
