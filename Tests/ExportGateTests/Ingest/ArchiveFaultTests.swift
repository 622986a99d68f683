import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct ArchiveFaultTests {
  @Test func anUnusableCentralDirectoryWithIntactEntriesIsAWarning() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    try FaultInjector.breakCentralDirectory(paths[0])
    let (result, visitor) = try scan(paths)
    let corrupt = try #require(result.findings.first { $0.code == .partCorrupt })
    #expect(corrupt.severity == .warning)
    #expect(corrupt.message.contains("all intact"))
    #expect(visitor.entries.count == FixtureWriter.layout(smallExport()).flatMap { $0 }.count)
  }

  @Test func anEncryptedEntryIsNamed() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("WE_\(ExportGenerator.orgId)_1.ZIP")
    try FixtureWriter.writeZip(
      at: path, entries: [("Account.csv", Array("\"Id\"\n".utf8))], passphrase: "secret")
    let (result, visitor) = try scan([path])
    let encrypted = try #require(result.findings.first { $0.code == .entryEncrypted })
    #expect(encrypted.location.entry == "Account.csv")
    #expect(encrypted.severity == .error)
    #expect(visitor.entries.first?.outcome?.isComplete == false)
  }

  @Test func aNameTwiceInOnePartIsADuplicateEntry() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(
      smallExport(), to: directory.path,
      extraEntries: [FixtureWriter.ExtraEntry(name: "Account.csv", content: Array("\"Id\"\n".utf8))]
    )
    let (result, _) = try scan(paths)
    let duplicate = try #require(result.findings.first { $0.code == .entryDuplicate })
    #expect(duplicate.location.entry == "Account.csv")
    #expect(duplicate.severity == .warning)
  }
}
