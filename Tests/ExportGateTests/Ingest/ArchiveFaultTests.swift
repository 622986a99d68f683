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

  @Test func aCSVReplacedByAHeaderOnlyCopyInThePartIsAConflict() throws {
    // unzip keeps the last copy: a restore would hold no accounts.
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(
      smallExport(), to: directory.path,
      extraEntries: [FixtureWriter.ExtraEntry(name: "Account.csv", content: Array("\"Id\"\n".utf8))]
    )
    let (result, _) = try scan(paths)
    let conflict = try #require(result.findings.first { $0.code == .entryConflict })
    #expect(conflict.location.entry == "Account.csv")
    #expect(conflict.severity == .error)
    #expect(conflict.message.contains("2 entries become one file"))
    #expect(conflict.message.contains("(5 bytes"))
  }

  @Test func anIdenticalCopyInThePartIsADuplicateReadOnce() throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    let text = FixtureWriter.csvText(try #require(export.table("Lead")), lineEnding: .lf)
    let paths = try FixtureWriter.writeParts(
      export, to: directory.path,
      extraEntries: [FixtureWriter.ExtraEntry(name: "Lead.csv", content: Array(text.utf8))])
    let report = try ExportVerifier().verify(paths: paths)
    let duplicate = try #require(findings(report, .entryDuplicate).first)
    #expect(duplicate.severity == .warning)
    #expect(duplicate.message.contains("hold the same bytes"))
    // Read once: no Id is counted twice.
    #expect(findings(report, .idDuplicate).isEmpty)
    #expect(report.objects.first { $0.name == "Lead" }?.records == export.table("Lead")?.rows.count)
  }
}
