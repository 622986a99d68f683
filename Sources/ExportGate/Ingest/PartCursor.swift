/// Walks a part front to back through a ``HashingPartSource``, one block held at a time.
struct PartCursor {
  let source: HashingPartSource
  private var block = UnsafeRawBufferPointer(start: nil, count: 0)
  private var blockStart: Int64 = 0
  private var index = 0

  init(source: HashingPartSource) { self.source = source }

  /// Where in the part the next byte comes from.
  var position: Int64 { blockStart + Int64(index) }

  /// Reads on to `offset` (never back); false when the part ends or a read fails first.
  mutating func move(to offset: Int64) -> Bool {
    while position < offset {
      if index == block.count, !refill() { return false }
      index += Int(min(Int64(block.count - index), offset - position))
    }
    return position == offset
  }

  /// Hands the next `count` bytes to `body` in the pieces the reads give, until `body` returns
  /// false; false when the part ends or a read fails first.
  mutating func take(_ count: Int64, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
    var remaining = count
    while remaining > 0 {
      if index == block.count, !refill() { return false }
      let length = Int(min(Int64(block.count - index), remaining))
      let piece = UnsafeRawBufferPointer(rebasing: block[index..<(index + length)])
      index += length
      remaining -= Int64(length)
      if !body(piece) { return true }
    }
    return true
  }

  /// A read that failed, or a part that ended early, inside an entry.
  func failure(at bytes: Int64) -> ZipPartReader.StreamResult {
    ZipPartReader.StreamResult(
      outcome: .damaged(
        bytes: bytes,
        reason: source.readError ?? "the part ends at byte \(position), inside the entry"),
      fatal: true)
  }

  private mutating func refill() -> Bool {
    guard let next = source.nextBlock(), !next.isEmpty else { return false }
    blockStart += Int64(block.count)
    block = next
    index = 0
    return true
  }
}
