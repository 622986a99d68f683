/// A set of record Ids built for millions of inserts: open addressing with linear probing over
/// the packed 12-byte Id, hashed by one multiplication (Fibonacci hashing) instead of SipHash.
/// Costs 12 bytes a slot at most 75% full: 16 to 32 bytes per Id.
public final class RecordIdSet: Sequence {
  /// `head` of an empty slot: real heads are below 62^5 < 2^30.
  private static let empty = UInt32.max
  // Read on every probe: `@exclusivity(unchecked)` drops the runtime access checks (see
  // docs/architecture.md, "Exclusivity"). Only `grow` writes them, from `insert`.
  @exclusivity(unchecked) private var heads: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var tails: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var capacity: Int
  @exclusivity(unchecked) private var shift: UInt64
  @exclusivity(unchecked) public private(set) var count = 0

  public init(minimumCapacity: Int = 64) {
    var capacity = 64
    while capacity * 3 / 4 < minimumCapacity { capacity *= 2 }
    self.capacity = capacity
    self.shift = UInt64(64 - capacity.trailingZeroBitCount)
    heads = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    heads.initialize(repeating: RecordIdSet.empty, count: capacity)
    tails = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    tails.initialize(repeating: 0, count: capacity)
  }

  deinit {
    heads.deallocate()
    tails.deallocate()
  }

  @inline(__always)
  private func slot(_ id: RecordId) -> Int {
    let mixed = (id.tail ^ (UInt64(id.head) &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed >> shift)
  }

  /// Inserts `id`; false when it was already there.
  @discardableResult
  public func insert(_ id: RecordId) -> Bool {
    if (count + 1) * 4 > capacity * 3 { grow() }
    let mask = capacity - 1
    var index = slot(id)
    while true {
      let head = heads[index]
      if head == RecordIdSet.empty {
        heads[index] = id.head
        tails[index] = id.tail
        count += 1
        return true
      }
      if head == id.head && tails[index] == id.tail { return false }
      index = (index + 1) & mask
    }
  }

  public func contains(_ id: RecordId) -> Bool {
    let mask = capacity - 1
    var index = slot(id)
    while true {
      let head = heads[index]
      if head == RecordIdSet.empty { return false }
      if head == id.head && tails[index] == id.tail { return true }
      index = (index + 1) & mask
    }
  }

  private func grow() {
    let oldHeads = heads
    let oldTails = tails
    let oldCapacity = capacity
    capacity *= 2
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    heads = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    heads.initialize(repeating: RecordIdSet.empty, count: capacity)
    tails = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    tails.initialize(repeating: 0, count: capacity)
    count = 0
    for index in 0..<oldCapacity where oldHeads[index] != RecordIdSet.empty {
      insert(RecordId(head: oldHeads[index], tail: oldTails[index]))
    }
    oldHeads.deallocate()
    oldTails.deallocate()
  }

  public struct Iterator: IteratorProtocol {
    let set: RecordIdSet
    var index = 0

    public mutating func next() -> RecordId? {
      while index < set.capacity {
        defer { index += 1 }
        if set.heads[index] != RecordIdSet.empty {
          return RecordId(head: set.heads[index], tail: set.tails[index])
        }
      }
      return nil
    }
  }

  public func makeIterator() -> Iterator { Iterator(set: self) }
}
