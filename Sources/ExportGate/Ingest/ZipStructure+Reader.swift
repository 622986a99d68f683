import Foundation

extension ZipStructure {
  /// Positional reads from the part (read-only, never past its end).
  struct Reader {
    let descriptor: Int32
    let size: Int64

    func bytes(at offset: Int64, count: Int) -> [UInt8] {
      var buffer: [UInt8] = []
      read(into: &buffer, at: offset, count: count)
      return buffer
    }

    /// `bytes(at:count:)` into `buffer`, whose storage is reused from one read to the next.
    func read(into buffer: inout [UInt8], at offset: Int64, count: Int) {
      buffer.removeAll(keepingCapacity: true)
      guard offset >= 0, count > 0, offset < size else { return }
      let wanted = Int(min(Int64(count), size - offset))
      buffer.append(contentsOf: repeatElement(0, count: wanted))
      var done = 0
      while done < wanted {
        let got = buffer.withUnsafeMutableBytes { raw -> Int in
          guard let start = raw.baseAddress else { return 0 }
          return pread(descriptor, start + done, wanted - done, off_t(offset) + off_t(done))
        }
        if got < 0 && errno == EINTR { continue }
        if got <= 0 { break }
        done += got
      }
      buffer.removeLast(wanted - done)
    }

    /// Whether the page cache holds the bytes at `offset` (up to 256 of them): they can be
    /// read without waiting for the device. False when that cannot be asked.
    func isCached(at offset: Int64, count: Int) -> Bool {
      guard let readWithoutWaiting = PositionalRead.withoutWaiting, offset >= 0, offset < size
      else { return false }
      let wanted = Int(min(Int64(min(count, 256)), size - offset))
      guard wanted > 0 else { return false }
      return withUnsafeTemporaryAllocation(byteCount: wanted, alignment: 8) { raw in
        var vector = iovec(iov_base: raw.baseAddress, iov_len: wanted)
        return readWithoutWaiting(descriptor, &vector, 1, off_t(offset), PositionalRead.noWait)
          == wanted
      }
    }

    func u32(at offset: Int64) -> UInt32? {
      let bytes = bytes(at: offset, count: 4)
      return bytes.count == 4 ? ZipStructure.u32(bytes, 0) : nil
    }
  }
}
