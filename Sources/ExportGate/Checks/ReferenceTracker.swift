/// Follows lookups (`AccountId`, `OwnerId`, polymorphic `WhatId`, custom `__c` lookups) to
/// their targets. A target already read resolves at once; others wait, deduplicated by
/// (target, column), until every object has been read.
struct ReferenceTracker {
  struct PendingKey: Hashable {
    let target: RecordId
    let column: UInt32
  }

  struct Pending {
    var count: UInt32
    var line: UInt32
    var source: UInt32
  }

  /// `Object.Column` names, indexed by the column number used in `PendingKey`.
  private(set) var columns: [(object: String, column: String)] = []
  private var columnIndex: [String: UInt32] = [:]
  private(set) var sources: [(part: String, entry: String)] = []
  private var sourceIndex: [String: UInt32] = [:]
  private(set) var pending: [PendingKey: Pending] = [:]
  /// References checked in all.
  private(set) var checked = 0

  mutating func column(object: String, column: String) -> UInt32 {
    let key = object + "." + column
    if let index = columnIndex[key] { return index }
    let index = UInt32(columns.count)
    columns.append((object, column))
    columnIndex[key] = index
    return index
  }

  mutating func source(part: String, entry: String) -> UInt32 {
    let key = part + "\u{0}" + entry
    if let index = sourceIndex[key] { return index }
    let index = UInt32(sources.count)
    sources.append((part, entry))
    sourceIndex[key] = index
    return index
  }

  /// Records a reference that did not resolve at once.
  mutating func deferReference(_ target: RecordId, column: UInt32, line: Int, source: UInt32) {
    let key = PendingKey(target: target, column: column)
    if var existing = pending[key] {
      existing.count &+= 1
      pending[key] = existing
    } else {
      pending[key] = Pending(count: 1, line: UInt32(clamping: line), source: source)
    }
  }

  mutating func countChecked() { checked += 1 }
}
