import CArchive
import Crypto
import Foundation

/// Feeds one part to libarchive through its client callbacks and computes the part's SHA-256 from
/// the same reads, so that each part is read once instead of twice (once by libarchive, once by
/// a hashing task), and the hashing runs on a thread of its own beside the reader.
///
/// libarchive's seekable ZIP reader reads the directory at the end first, then the entries in
/// file order. Bytes are hashed as the reads advance through the file; a forward jump inside the
/// entries (libarchive seeking over a skipped entry) is read by the hashing thread itself; the
/// directory and whatever the reads never reached are read at ``finish()``. Every byte is hashed
/// once, in order.
///
/// Unchecked: libarchive's callbacks run on the one thread reading the part, which alone
/// touches the position and the slots' contents; the hashing thread only reads a block it was
/// handed, and gives it back through the block's semaphore before it is written again.
final class HashingPartSource: @unchecked Sendable {
  private let descriptor: Int32
  private let size: Int64
  /// Where the entries end and the directory begins: reads from here on are hashed at the end.
  private let entriesEnd: Int64
  private var position: Int64 = 0
  private var hashedUpTo: Int64 = 0
  private var slots: [UnsafeMutableRawBufferPointer]
  private let slotFree: [DispatchSemaphore]
  private var nextSlot = 0
  /// Nil when the part's digest is known already: the source then only reads.
  private let hasher: OrderedHasher?
  private var finished = false

  /// Bytes per read, as libarchive's own file reader reads here (256 KiB measured no faster).
  static let blockSize = 1 << 20
  /// Blocks in flight: libarchive holds the last one returned, the hasher up to the others.
  private static let slotCount = 4

  /// Opens `path` read-only; nil when it cannot be opened. With `hashing` false the blocks are
  /// only read (the digest is known from elsewhere).
  init?(path: String, size: Int64, entriesEnd: Int64, hashing: Bool = true) {
    guard let descriptor = try? InputFile.open(path, what: "part") else { return nil }
    // Read front to back: a larger read-ahead on a cold disk (libarchive's own file reader
    // asks for the same).
    _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
    self.descriptor = descriptor
    self.size = size
    self.entriesEnd = min(max(entriesEnd, 0), size)
    slots = (0..<Self.slotCount).map { _ in
      UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 64)
    }
    slotFree = (0..<Self.slotCount).map { _ in DispatchSemaphore(value: 1) }
    hasher = hashing ? OrderedHasher(descriptor: descriptor) : nil
  }

  deinit {
    // Blocks still queued point into the slots: let the hasher drain them first.
    if !finished { _ = hasher?.finish() }
    for slot in slots { slot.deallocate() }
    close(descriptor)
  }

  /// Why the last read failed, in words (libarchive only learns that it did).
  private(set) var readError: String?
  /// True once a read was asked for bytes past the part's end: a reader that then fails ran
  /// out of data (the part was cut short), whatever its message says.
  private(set) var ranDry = false

  /// Makes `archive` read through this source (before `archive_read_open1`).
  func attach(to archive: OpaquePointer) {
    archive_read_set_callback_data(archive, Unmanaged.passUnretained(self).toOpaque())
    archive_read_set_read_callback(archive) { _, data, buffer in
      guard let data, let buffer else { return -1 }
      let source = Unmanaged<HashingPartSource>.fromOpaque(data).takeUnretainedValue()
      return source.read(into: buffer)
    }
    archive_read_set_seek_callback(archive) { _, data, offset, whence in
      guard let data else { return Int64(ARCHIVE_FATAL) }
      let source = Unmanaged<HashingPartSource>.fromOpaque(data).takeUnretainedValue()
      return source.seek(offset, whence: whence)
    }
    archive_read_set_skip_callback(archive) { _, data, request in
      guard let data else { return 0 }
      let source = Unmanaged<HashingPartSource>.fromOpaque(data).takeUnretainedValue()
      return source.skip(request)
    }
  }

  /// The part's SHA-256 (lower-case hex), once every byte has been hashed; nil when a read
  /// failed or the source does not hash. Waits for the hashing thread.
  func finish() -> String? {
    guard let hasher else { return nil }
    if !finished {
      finished = true
      if hashedUpTo < size { hasher.enqueue(.range(from: hashedUpTo, to: size)) }
      hashedUpTo = size
    }
    return hasher.finish()
  }

  /// The next block of the part, front to back from where the last one ended: empty at the end
  /// of the file, nil when the read failed (``readError`` says why). Valid until the next call.
  func nextBlock() -> UnsafeRawBufferPointer? {
    var pointer: UnsafeRawPointer?
    let count = read(into: &pointer)
    guard count >= 0 else { return nil }
    guard count > 0, let pointer else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: pointer, count: count)
  }

  private func read(into buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
    let index = nextSlot
    nextSlot = (nextSlot + 1) % slots.count
    // The slot was handed to the hasher `slotCount` reads ago at the latest; libarchive is done
    // with every block but the last one it was given.
    slotFree[index].wait()
    guard let base = slots[index].baseAddress else { return -1 }
    let wanted = Int(min(Int64(Self.blockSize), max(size - position, 0)))
    var count = 0
    while count < wanted {
      let got = pread(descriptor, base + count, wanted - count, off_t(position) + off_t(count))
      if got < 0 && errno == EINTR { continue }
      if got < 0 {
        slotFree[index].signal()
        readError =
          "cannot read the part at byte \(position + Int64(count)): \(String(cString: strerror(errno)))"
        return -1
      }
      if got == 0 { break }
      count += got
    }
    if count == 0 { ranDry = true }
    buffer.pointee = UnsafeRawPointer(base)
    let start = position
    position += Int64(count)
    advanceHash(reading: start, count: count, slot: index)
    return count
  }

  /// Hashes what this read adds past the bytes already hashed, in order.
  private func advanceHash(reading start: Int64, count: Int, slot index: Int) {
    let end = start + Int64(count)
    guard let hasher else {
      slotFree[index].signal()
      return
    }
    if start > hashedUpTo, start < entriesEnd {
      // libarchive jumped over bytes inside the entries: the hasher reads them itself.
      hasher.enqueue(.range(from: hashedUpTo, to: start))
      hashedUpTo = start
    }
    guard start <= hashedUpTo, end > hashedUpTo else {
      slotFree[index].signal()
      return
    }
    let offset = Int(hashedUpTo - start)
    hasher.enqueue(
      .block(
        UnsafeRawBufferPointer(rebasing: slots[index][offset..<count]),
        release: slotFree[index]))
    hashedUpTo = end
  }

  private func seek(_ offset: Int64, whence: Int32) -> Int64 {
    let target: Int64
    switch whence {
    case SEEK_SET: target = offset
    case SEEK_CUR: target = position &+ offset
    case SEEK_END: target = size &+ offset
    default: return Int64(ARCHIVE_FATAL)
    }
    guard target >= 0 else { return Int64(ARCHIVE_FATAL) }
    position = target
    return target
  }

  private func skip(_ request: Int64) -> Int64 {
    guard request > 0 else { return 0 }
    let allowed = min(request, max(size - position, 0))
    position += allowed
    return allowed
  }
}

/// SHA-256 of blocks and file ranges in the order they are queued, on a thread of its own.
/// Unchecked: the queue and flags are touched only under `condition`; the digest only by the
/// hashing thread until it sets `done`, and by ``finish()`` after.
private final class OrderedHasher: @unchecked Sendable {
  enum Job {
    /// Bytes in a reader's block; `release` is signalled once they are hashed.
    case block(UnsafeRawBufferPointer, release: DispatchSemaphore)
    /// Bytes the reader never read (or not yet): read here with `pread`.
    case range(from: Int64, to: Int64)
  }

  private let descriptor: Int32
  private let condition = NSCondition()
  private var jobs: [Job] = []
  private var head = 0
  private var closed = false
  private var done = false
  private var failed = false
  /// Touched only by the hashing thread until `done`.
  private var sha = SHA256()

  init(descriptor: Int32) {
    self.descriptor = descriptor
    // The thread holds the hasher until its queue is closed and drained.
    let thread = Thread { self.run() }
    thread.name = "exportgate.part-sha256"
    thread.start()
  }

  func enqueue(_ job: Job) {
    condition.lock()
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  /// Waits for every queued job; the digest, or nil when a range could not be read.
  func finish() -> String? {
    condition.lock()
    closed = true
    condition.broadcast()
    while !done { condition.wait() }
    condition.unlock()
    return failed ? nil : PartHasher.hex(sha.finalize())
  }

  private func run() {
    let scratch = UnsafeMutableRawBufferPointer.allocate(
      byteCount: HashingPartSource.blockSize, alignment: 64)
    defer { scratch.deallocate() }
    while true {
      condition.lock()
      while head == jobs.count && !closed { condition.wait() }
      if head == jobs.count {
        done = true
        condition.broadcast()
        condition.unlock()
        return
      }
      let job = jobs[head]
      head += 1
      if head > 64 {
        jobs.removeFirst(head)
        head = 0
      }
      condition.unlock()
      switch job {
      case .block(let bytes, let release):
        sha.update(bufferPointer: bytes)
        release.signal()
      case .range(let from, let to):
        hashRange(from: from, to: to, scratch: scratch)
      }
    }
  }

  private func hashRange(from start: Int64, to end: Int64, scratch: UnsafeMutableRawBufferPointer) {
    var position = start
    while position < end, !failed {
      let wanted = Int(min(Int64(scratch.count), end - position))
      let got = pread(descriptor, scratch.baseAddress, wanted, off_t(position))
      if got < 0 && errno == EINTR { continue }
      // A file that shrank or cannot be read has no digest to report.
      guard got > 0 else {
        failed = true
        return
      }
      sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
      position += Int64(got)
    }
  }
}
