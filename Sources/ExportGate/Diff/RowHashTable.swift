/// OLD's records for diff: record Id -> 64-bit row hash, plus a "seen in NEW" mark, in an
/// open-addressing table of 20 bytes a slot (at most 80% full: 25 to 50 bytes per record).
final class RowHashTable {
  private static let empty = UInt32.max
  private static let seenBit: UInt64 = 1 << 63
  // Read on every probe: `@exclusivity(unchecked)` drops the runtime access checks (see
  // docs/architecture.md, "Exclusivity"). Only `grow` writes them, from `insert`.
  @exclusivity(unchecked) private var heads: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var tails: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var hashes: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var capacity: Int
  @exclusivity(unchecked) private var shift: UInt64
  @exclusivity(unchecked) private(set) var count = 0

  init() {
    capacity = 64
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    heads = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    heads.initialize(repeating: RowHashTable.empty, count: capacity)
    tails = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
  }

  deinit {
    heads.deallocate()
    tails.deallocate()
    hashes.deallocate()
  }

  @inline(__always)
  private func slot(_ id: RecordId) -> Int {
    let mixed = (id.tail ^ (UInt64(id.head) &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed >> shift)
  }

  /// Stores OLD's row; false when the Id was already there (a duplicate in OLD: first wins).
  @discardableResult
  func insert(_ id: RecordId, hash: UInt64) -> Bool {
    if (count + 1) * 5 > capacity * 4 { grow() }
    let mask = capacity - 1
    var index = slot(id)
    while heads[index] != RowHashTable.empty {
      if heads[index] == id.head && tails[index] == id.tail { return false }
      index = (index + 1) & mask
    }
    heads[index] = id.head
    tails[index] = id.tail
    hashes[index] = hash & ~RowHashTable.seenBit
    count += 1
    return true
  }

  /// What NEW's row is relative to OLD: marks OLD's row as seen.
  enum Match { case absent, same, different, seenTwice }

  func match(_ id: RecordId, hash: UInt64) -> Match {
    let mask = capacity - 1
    var index = slot(id)
    while heads[index] != RowHashTable.empty {
      if heads[index] == id.head && tails[index] == id.tail {
        let stored = hashes[index]
        if stored & RowHashTable.seenBit != 0 { return .seenTwice }
        hashes[index] = stored | RowHashTable.seenBit
        return stored == hash & ~RowHashTable.seenBit ? .same : .different
      }
      index = (index + 1) & mask
    }
    return .absent
  }

  /// OLD's Ids NEW never matched, in table order.
  func unseen() -> [RecordId] {
    var result: [RecordId] = []
    for index in 0..<capacity
    where heads[index] != RowHashTable.empty && hashes[index] & RowHashTable.seenBit == 0 {
      result.append(RecordId(head: heads[index], tail: tails[index]))
    }
    return result
  }

  private func grow() {
    let oldHeads = heads
    let oldTails = tails
    let oldHashes = hashes
    let oldCapacity = capacity
    capacity *= 2
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    heads = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    heads.initialize(repeating: RowHashTable.empty, count: capacity)
    tails = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    let mask = capacity - 1
    for old in 0..<oldCapacity where oldHeads[old] != RowHashTable.empty {
      var index = slot(RecordId(head: oldHeads[old], tail: oldTails[old]))
      while heads[index] != RowHashTable.empty { index = (index + 1) & mask }
      heads[index] = oldHeads[old]
      tails[index] = oldTails[old]
      hashes[index] = oldHashes[old]
    }
    oldHeads.deallocate()
    oldTails.deallocate()
    oldHashes.deallocate()
  }
}
