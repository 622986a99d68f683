import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// Diff's table of OLD's rows alone: first row wins, NEW's rows matched once, the unseen left.
@Suite struct RowHashTableTests {
  static func id(_ serial: Int) -> RecordId {
    RecordId(IdFactory.make(prefix: "003", serial: serial))!
  }

  @Test func matchesEachOldRowOnceAndListsTheUnseen() {
    let table = RowHashTable()
    #expect(table.insert(Self.id(1), hash: 10))
    #expect(!table.insert(Self.id(1), hash: 99))
    // The top bit is the table's own mark: a hash that sets it still compares as itself.
    #expect(table.insert(Self.id(2), hash: 20 | 1 << 63))
    #expect(table.insert(Self.id(3), hash: 30))
    #expect(table.count == 3)
    #expect(table.match(Self.id(1), hash: 10) == .same)
    #expect(table.match(Self.id(1), hash: 10) == .seenTwice)
    #expect(table.match(Self.id(2), hash: 20) == .same)
    #expect(table.match(Self.id(4), hash: 40) == .absent)
    #expect(table.unseen() == [Self.id(3)])
  }

  @Test func keepsEveryRowAsItGrows() {
    let table = RowHashTable()
    for serial in 1...40_000 { table.insert(Self.id(serial), hash: UInt64(serial)) }
    #expect(table.count == 40_000)
    var different = 0
    for serial in stride(from: 1, through: 40_000, by: 2) {
      if table.match(Self.id(serial), hash: UInt64(serial) + (serial % 4 == 1 ? 0 : 1))
        == .different
      {
        different += 1
      }
    }
    #expect(different == 10_000)
    #expect(Set(table.unseen()) == Set(stride(from: 2, through: 40_000, by: 2).map(Self.id)))
  }
}
