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

/// Pending references keyed by (target Id, column), in an ``IdTable``. The first occurrence's
/// line and source are kept as the example; later ones add to the count.
final class PendingReferenceTable: Sequence {
  /// Everything but the target: the column is part of the key.
  struct Entry: IdTableEntry {
    let column: UInt32
    var count: UInt32
    let line: UInt32
    let source: UInt32

    var keySalt: UInt64 { UInt64(column) << 40 }
    func hasSameKey(as other: Entry) -> Bool { column == other.column }
  }

  private let table = IdTable<Entry>()

  var count: Int { table.count }

  @inline(__always)
  func add(_ target: RecordId, column: UInt32, count add: UInt32, line: UInt32, source: UInt32) {
    let (slot, inserted) = table.insert(
      target, Entry(column: column, count: add, line: line, source: source))
    if !inserted { table[slot: slot].count &+= add }
  }

  struct Iterator: IteratorProtocol {
    let table: IdTable<Entry>
    var index = 0

    mutating func next() -> ReferenceTracker.Pending? {
      while index < table.capacity {
        defer { index += 1 }
        guard table.isOccupied(index) else { continue }
        let entry = table[slot: index]
        return ReferenceTracker.Pending(
          target: table.id(at: index), column: entry.column, count: entry.count,
          line: entry.line, source: entry.source)
      }
      return nil
    }
  }

  func makeIterator() -> Iterator { Iterator(table: table) }
}
