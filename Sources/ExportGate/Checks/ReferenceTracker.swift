/// Follows lookups (`AccountId`, `OwnerId`, polymorphic `WhatId`, custom `__c` lookups) to
/// their targets. A target already read resolves at once; others wait, deduplicated by
/// (target, column), until every object has been read.
struct ReferenceTracker {
  /// A reference that did not resolve when it was read.
  struct Pending {
    let target: RecordId
    let column: UInt32
    var count: UInt32
    var line: UInt32
    var source: UInt32
  }

  /// A lookup column.
  struct Column: Hashable {
    let object: String
    let column: String
  }

  /// Where references were read.
  struct Source: Hashable {
    let part: String
    let entry: String
  }

  /// Lookup columns, numbered as pending references carry them.
  private(set) var columns = Interner<Column>()
  /// Parts and entries, numbered as pending references carry them.
  private(set) var sources = Interner<Source>()
  private(set) var pending = PendingReferenceTable()
  /// References checked in all.
  private(set) var checked = 0

  mutating func column(object: String, column: String) -> UInt32 {
    columns.index(Column(object: object, column: column))
  }

  mutating func source(part: String, entry: String) -> UInt32 {
    sources.index(Source(part: part, entry: entry))
  }

  /// Records a reference that did not resolve at once.
  @inline(__always)
  mutating func deferReference(_ target: RecordId, column: UInt32, line: Int, source: UInt32) {
    pending.add(target, column: column, count: 1, line: UInt32(clamping: line), source: source)
  }

  @inline(__always)
  mutating func countChecked(_ count: Int) { checked += count }

  /// Takes in another tracker's pending references, re-indexing its columns and sources.
  mutating func absorb(_ other: ReferenceTracker) {
    let columnMap = columns.remap(other.columns)
    let sourceMap = sources.remap(other.sources)
    for reference in other.pending {
      pending.add(
        reference.target, column: columnMap[Int(reference.column)], count: reference.count,
        line: reference.line, source: sourceMap[Int(reference.source)])
    }
    checked += other.checked
  }
}

/// Pending references keyed by (target Id, column), open addressing like ``RecordIdSet``.
/// The first occurrence's line and source are kept as the example; later ones add to the count.
/// Slots live in one raw allocation: every unresolved lookup of every row comes here, and
/// the probe then pays neither bounds checks nor copy-on-write checks.
final class PendingReferenceTable: Sequence {
  /// `head` of an empty slot: real heads are below 2^30.
  private static let empty = UInt32.max
  // Read on every probe: `@exclusivity(unchecked)` drops the runtime access checks (see
  // docs/architecture.md, "Exclusivity"). Only `grow` writes them, from `add`.
  @exclusivity(unchecked) private var slots: UnsafeMutableBufferPointer<ReferenceTracker.Pending>
  @exclusivity(unchecked) private var shift: UInt64
  @exclusivity(unchecked) private(set) var count = 0

  init() {
    (slots, shift) = Self.emptySlots(64)
  }

  deinit { slots.deallocate() }

  /// Empty slots for `capacity` (a power of two), and the hash shift that fits them.
  private static func emptySlots(_ capacity: Int) -> (
    UnsafeMutableBufferPointer<ReferenceTracker.Pending>, UInt64
  ) {
    let slots = UnsafeMutableBufferPointer<ReferenceTracker.Pending>.allocate(capacity: capacity)
    slots.initialize(
      repeating: ReferenceTracker.Pending(
        target: RecordId(head: empty, tail: 0), column: 0, count: 0, line: 0, source: 0))
    return (slots, UInt64(64 - capacity.trailingZeroBitCount))
  }

  func add(_ target: RecordId, column: UInt32, count add: UInt32, line: UInt32, source: UInt32) {
    if (count + 1) * 4 > slots.count * 3 { grow() }
    let mask = slots.count - 1
    let mixed =
      (target.tail ^ (UInt64(target.head) &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(column) << 40))
      &* 0x9E37_79B9_7F4A_7C15
    var index = Int(truncatingIfNeeded: mixed >> shift)
    while slots[index].target.head != Self.empty {
      if slots[index].target == target && slots[index].column == column {
        slots[index].count &+= add
        return
      }
      index = (index + 1) & mask
    }
    slots[index] = ReferenceTracker.Pending(
      target: target, column: column, count: add, line: line, source: source)
    count += 1
  }

  private func grow() {
    let old = slots
    (slots, shift) = Self.emptySlots(old.count * 2)
    count = 0
    for reference in old where reference.target.head != Self.empty {
      add(
        reference.target, column: reference.column, count: reference.count, line: reference.line,
        source: reference.source)
    }
    old.deallocate()
  }

  struct Iterator: IteratorProtocol {
    let table: PendingReferenceTable
    var index = 0

    mutating func next() -> ReferenceTracker.Pending? {
      while index < table.slots.count {
        defer { index += 1 }
        if table.slots[index].target.head != PendingReferenceTable.empty {
          return table.slots[index]
        }
      }
      return nil
    }
  }

  func makeIterator() -> Iterator { Iterator(table: self) }
}
