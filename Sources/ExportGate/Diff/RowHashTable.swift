/// OLD's records for diff: record Id -> 64-bit row hash, plus a "seen in NEW" mark, in an
/// ``IdTable`` of 20 bytes a slot (at most 80% full: 25 to 50 bytes per record).
final class RowHashTable {
  /// The row hash, its top bit the "seen in NEW" mark.
  struct Row: IdTableEntry {
    var hash: UInt64
  }

  private static let seenBit: UInt64 = 1 << 63
  private let table = IdTable<Row>(maximumLoad: (4, 5))

  var count: Int { table.count }

  /// Stores OLD's row; false when the Id was already there (a duplicate in OLD: first wins).
  @discardableResult
  func insert(_ id: RecordId, hash: UInt64) -> Bool {
    table.insert(id, Row(hash: hash & ~Self.seenBit)).inserted
  }

  /// What NEW's row is relative to OLD: marks OLD's row as seen.
  enum Match { case absent, same, different, seenTwice }

  func match(_ id: RecordId, hash: UInt64) -> Match {
    guard let slot = table.slot(of: id) else { return .absent }
    let stored = table[slot: slot].hash
    if stored & Self.seenBit != 0 { return .seenTwice }
    table[slot: slot].hash = stored | Self.seenBit
    return stored == hash & ~Self.seenBit ? .same : .different
  }

  /// OLD's Ids NEW never matched, in table order.
  func unseen() -> [RecordId] {
    table.occupiedSlots.filter { table[slot: $0].hash & Self.seenBit == 0 }.map(table.id(at:))
  }
}
