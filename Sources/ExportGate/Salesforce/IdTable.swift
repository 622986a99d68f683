/// What an ``IdTable`` keeps beside each record Id. Most entries are keyed by the Id alone;
/// one whose key also holds something else (a pending reference's column) salts the hash with
/// it and compares it.
protocol IdTableEntry: BitwiseCopyable {
  /// Mixed into the Id's hash: 0 when the Id alone is the key.
  var keySalt: UInt64 { get }
  /// Whether this entry and `other`, stored under one Id, have the same key.
  func hasSameKey(as other: Self) -> Bool
}

extension IdTableEntry {
  var keySalt: UInt64 { 0 }
  func hasSameKey(as other: Self) -> Bool { true }
}

/// The open-addressing table behind ``RecordIdSet``, diff's ``RowHashTable`` and verify's
/// ``PendingReferenceTable``: millions of record Ids, each probed once per row, so no SipHash
/// (one multiplication of the packed 12-byte Id, Fibonacci hashing) and no copy-on-write or
/// bounds checks (raw allocations). Columns, not rows: an Id's 4-byte head and 8-byte tail in
/// arrays of their own, then the entry, so a slot costs 12 bytes plus the entry's size.
final class IdTable<Entry: IdTableEntry> {
  /// `head` of an empty slot: real heads are below 62^5 < 2^30.
  static var emptyHead: UInt32 { .max }

  // Read on every probe: `@exclusivity(unchecked)` drops the runtime access checks (see
  // docs/architecture.md, "Exclusivity"). Only `grow` replaces them, from `insert`.
  @exclusivity(unchecked) private var heads: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var tails: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var entries: UnsafeMutablePointer<Entry>
  @exclusivity(unchecked) private(set) var capacity: Int
  @exclusivity(unchecked) private var shift: UInt64
  @exclusivity(unchecked) private(set) var count = 0
  /// The table grows before more than `loadNumerator / loadDenominator` of it is full.
  private let loadNumerator: Int
  private let loadDenominator: Int

  /// A table for `minimumCapacity` entries before it first grows, at most `maximumLoad` full.
  init(minimumCapacity: Int = 48, maximumLoad: (Int, Int) = (3, 4)) {
    (loadNumerator, loadDenominator) = maximumLoad
    var capacity = 64
    while capacity * maximumLoad.0 / maximumLoad.1 < minimumCapacity { capacity *= 2 }
    self.capacity = capacity
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    (heads, tails, entries) = Self.allocate(capacity)
  }

  deinit {
    heads.deallocate()
    tails.deallocate()
    entries.deallocate()
  }

  private static func allocate(_ capacity: Int) -> (
    UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Entry>
  ) {
    let heads = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    heads.initialize(repeating: emptyHead, count: capacity)
    let tails = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    tails.initialize(repeating: 0, count: capacity)
    return (heads, tails, UnsafeMutablePointer<Entry>.allocate(capacity: capacity))
  }

  @inline(__always)
  private func start(_ id: RecordId, salt: UInt64) -> Int {
    let mixed =
      (id.tail ^ (UInt64(id.head) &* 0xC2B2_AE3D_27D4_EB4F) ^ salt) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed >> shift)
  }

  /// Stores `entry` under `id` unless an entry with its key is there; returns the slot of the
  /// entry now stored (for changes through ``subscript(slot:)``) and whether it is new.
  @discardableResult
  @inline(__always)
  func insert(_ id: RecordId, _ entry: Entry) -> (slot: Int, inserted: Bool) {
    if (count + 1) * loadDenominator > capacity * loadNumerator { grow() }
    let mask = capacity - 1
    var index = start(id, salt: entry.keySalt)
    while heads[index] != Self.emptyHead {
      if heads[index] == id.head && tails[index] == id.tail && entries[index].hasSameKey(as: entry)
      {
        return (index, false)
      }
      index = (index + 1) & mask
    }
    heads[index] = id.head
    tails[index] = id.tail
    (entries + index).initialize(to: entry)
    count += 1
    return (index, true)
  }

  /// The slot of the entry under `id` that `matches` (salted with `salt`), if there is one.
  @inline(__always)
  func slot(of id: RecordId, salt: UInt64 = 0, where matches: (Entry) -> Bool = { _ in true })
    -> Int?
  {
    let mask = capacity - 1
    var index = start(id, salt: salt)
    while heads[index] != Self.emptyHead {
      if heads[index] == id.head && tails[index] == id.tail && matches(entries[index]) {
        return index
      }
      index = (index + 1) & mask
    }
    return nil
  }

  /// The entry in an occupied slot (from ``insert(_:_:)`` or ``slot(of:salt:where:)``).
  subscript(slot index: Int) -> Entry {
    get { entries[index] }
    set { entries[index] = newValue }
  }

  /// The Id in an occupied slot.
  func id(at index: Int) -> RecordId { RecordId(head: heads[index], tail: tails[index]) }

  /// Whether slot `index` (below ``capacity``) holds an entry.
  func isOccupied(_ index: Int) -> Bool { heads[index] != Self.emptyHead }

  private func grow() {
    let (oldHeads, oldTails, oldEntries, oldCapacity) = (heads, tails, entries, capacity)
    capacity *= 2
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    (heads, tails, entries) = Self.allocate(capacity)
    let mask = capacity - 1
    for old in 0..<oldCapacity where oldHeads[old] != Self.emptyHead {
      let id = RecordId(head: oldHeads[old], tail: oldTails[old])
      var index = start(id, salt: oldEntries[old].keySalt)
      while heads[index] != Self.emptyHead { index = (index + 1) & mask }
      heads[index] = id.head
      tails[index] = id.tail
      (entries + index).initialize(to: oldEntries[old])
    }
    oldHeads.deallocate()
    oldTails.deallocate()
    oldEntries.deallocate()
  }

  /// Every occupied slot, in table order.
  var occupiedSlots: some Sequence<Int> { (0..<capacity).lazy.filter { self.isOccupied($0) } }
}
