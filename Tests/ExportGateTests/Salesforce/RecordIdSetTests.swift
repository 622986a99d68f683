import ExportGateTestSupport
import Testing

@testable import ExportGate

/// The open-addressing Id set against Swift's own Set, through growth and 15/18-character Ids.
@Suite struct RecordIdSetTests {
  @Test func behavesAsASetThroughGrowth() throws {
    let set = RecordIdSet(minimumCapacity: 4)
    var reference = Set<String>()
    for serial in 0..<20_000 {
      // Every third Id comes back: a duplicate must be refused.
      let value = serial % 3 == 2 ? serial - 1 : serial
      let id = try #require(RecordId(IdFactory.make(prefix: "001", serial: value)))
      #expect(set.insert(id) == reference.insert(id.description).inserted)
    }
    #expect(Set(set.map(\.description)) == reference)
    for serial in stride(from: 0, to: 30_000, by: 7) {
      let id = try #require(RecordId(IdFactory.make(prefix: "001", serial: serial)))
      #expect(set.contains(id) == reference.contains(id.description))
    }
  }
}
