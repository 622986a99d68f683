import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// The tracker alone: unresolved references kept once per (target, column) with the first
/// place they were read, and two trackers merged as if one had read both sources.
@Suite struct ReferenceTrackerTests {
  static func id(_ serial: Int) -> RecordId {
    RecordId(IdFactory.make(prefix: "001", serial: serial))!
  }

  static func pending(_ tracker: ReferenceTracker) -> [String: (UInt32, UInt32, UInt32)] {
    var all: [String: (UInt32, UInt32, UInt32)] = [:]
    for reference in tracker.pending {
      let column = tracker.columns[reference.column].column
      all["\(reference.target) \(column)"] = (reference.count, reference.line, reference.source)
    }
    return all
  }

  @Test func keepsEachTargetAndColumnOnceWithItsFirstPlace() {
    var tracker = ReferenceTracker()
    let account = tracker.column(object: "Contact", column: "AccountId")
    let parent = tracker.column(object: "Account", column: "ParentId")
    let source = tracker.source(part: "WE_1.ZIP", entry: "Contact.csv")
    tracker.deferReference(Self.id(1), column: account, line: 5, source: source)
    tracker.deferReference(Self.id(1), column: account, line: 9, source: source)
    tracker.deferReference(Self.id(1), column: parent, line: 7, source: source)
    tracker.deferReference(Self.id(2), column: account, line: 11, source: source)
    tracker.countChecked(10)
    let pending = Self.pending(tracker)
    #expect(pending.count == 3)
    #expect(pending["\(Self.id(1)) AccountId"].map { [$0.0, $0.1] } == [2, 5])
    #expect(pending["\(Self.id(1)) ParentId"].map { [$0.0, $0.1] } == [1, 7])
    #expect(pending["\(Self.id(2)) AccountId"].map { [$0.0, $0.1] } == [1, 11])
    #expect(tracker.checked == 10)
  }

  @Test func absorbingRenumbersColumnsAndSourcesAndAddsCounts() {
    var first = ReferenceTracker()
    let firstColumn = first.column(object: "Contact", column: "AccountId")
    let firstSource = first.source(part: "WE_1.ZIP", entry: "Contact.csv")
    first.deferReference(Self.id(1), column: firstColumn, line: 3, source: firstSource)
    first.countChecked(4)

    var second = ReferenceTracker()
    // Numbered the other way round: the merge must map them onto the first tracker's.
    let ownerColumn = second.column(object: "Case", column: "OwnerId")
    let accountColumn = second.column(object: "Contact", column: "AccountId")
    let secondSource = second.source(part: "WE_2.ZIP", entry: "Contact.csv")
    second.deferReference(Self.id(1), column: accountColumn, line: 8, source: secondSource)
    second.deferReference(Self.id(3), column: ownerColumn, line: 2, source: secondSource)
    second.countChecked(6)

    first.absorb(second)
    let pending = Self.pending(first)
    #expect(pending.count == 2)
    // The first place read stays the example; the counts add up.
    #expect(pending["\(Self.id(1)) AccountId"].map { [$0.0, $0.1, $0.2] } == [2, 3, firstSource])
    let owner = pending["\(Self.id(3)) OwnerId"]
    #expect(owner.map { first.sources[$0.2].part } == "WE_2.ZIP")
    #expect(first.columns.values.map(\.column) == ["AccountId", "OwnerId"])
    #expect(first.checked == 10)
  }

  @Test func holdsEveryPendingReferenceAsTheTableGrows() {
    var tracker = ReferenceTracker()
    let column = tracker.column(object: "Contact", column: "AccountId")
    for serial in 1...50_000 {
      tracker.deferReference(Self.id(serial), column: column, line: serial, source: 0)
    }
    for serial in stride(from: 1, through: 50_000, by: 7) {
      tracker.deferReference(Self.id(serial), column: column, line: 0, source: 0)
    }
    var lines = Set<UInt32>()
    var twice = 0
    for reference in tracker.pending {
      lines.insert(reference.line)
      if reference.count == 2 { twice += 1 }
    }
    #expect(tracker.pending.count == 50_000)
    #expect(lines.count == 50_000)
    #expect(twice == (50_000 + 6) / 7)
  }
}
