import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// A small export (three parts when split at 20 KB) shared by the ingest tests.
func smallExport(seed: UInt64 = 7) -> FixtureExport {
  var size = ExportGenerator.Size()
  size.accounts = 10
  size.leads = 5
  size.opportunities = 5
  size.cases = 4
  size.invoices = 3
  var generator = ExportGenerator(seed: seed, size: size)
  return generator.make()
}

func scan(_ paths: [String]) throws -> (IngestResult, CollectingVisitor) {
  let bundle = try BundleLocator.locate(paths)
  let visitor = CollectingVisitor()
  return (BundleScanner(bundle: bundle).scan(visitor: visitor), visitor)
}

func codes(_ findings: [Finding]) -> [FindingCode] { findings.map(\.code) }

@Suite struct BundleScannerTests {
  @Test func readsEveryEntryOfEveryPartInOrder() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.maxPartBytes = 20_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    #expect(paths.count >= 3)
    // Given in reverse order, read in part order.
    let (result, visitor) = try scan(paths.reversed())
    #expect(result.parts.map(\.number) == Array(1...paths.count).map { Optional($0) })
    #expect(result.findings.isEmpty, "\(result.findings)")
    let expected = FixtureWriter.layout(export).flatMap { $0 }
    #expect(visitor.entries.count == expected.count)
    for (entry, written) in zip(visitor.entries, expected) {
      #expect(entry.entry.path == written.name)
      #expect(entry.content == written.content)
      #expect(entry.outcome == .complete(bytes: Int64(written.content.count)))
    }
    #expect(result.orgId == ExportGenerator.orgId)
    #expect(result.parts.allSatisfy { $0.sha256?.count == 64 })
  }

  @Test func aGapInTheNumberingIsAMissingPart() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.maxPartBytes = 20_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    try FileManager.default.removeItem(atPath: paths[1])
    let (result, _) = try scan([directory.path])
    let missing = result.findings.filter { $0.code == .partMissing }
    #expect(missing.count == 1)
    #expect(missing.first?.location.part == "WE_\(ExportGenerator.orgId)_2.ZIP")
    #expect(missing.first?.severity == .error)
  }

  @Test func renamedPartsAreReadWithoutAnOrgId() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    let renamed = directory.file("backup_2026-11-26.zip")
    try FileManager.default.moveItem(atPath: paths[0], toPath: renamed)
    let (result, visitor) = try scan([renamed])
    #expect(result.findings.isEmpty)
    #expect(result.orgId == nil)
    #expect(visitor.entries.contains { $0.entry.path == "Account.csv" })
  }

  @Test func partsFromAnotherOrgAreFlaggedAndLeftOut() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.maxPartBytes = 20_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let otherOrg = RecordId.withChecksum("00D000000000ZZZ") ?? ""
    var other = smallExport(seed: 9)
    other.orgId = otherOrg
    let otherDirectory = TemporaryDirectory()
    let otherPaths = try FixtureWriter.writeParts(other, to: otherDirectory.path)
    let (result, visitor) = try scan(paths + [otherPaths[0]])
    let mismatch = result.findings.filter { $0.code == .partOrgMismatch }
    #expect(mismatch.count == 1)
    #expect(mismatch.first?.location.part == "WE_\(otherOrg)_1.ZIP")
    #expect(!visitor.entries.contains { $0.entry.source.contains(otherOrg) })
  }

  @Test func aByteIdenticalCopyIsADuplicatePart() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    let copyDirectory = TemporaryDirectory()
    let copy = copyDirectory.file("WE_\(ExportGenerator.orgId)_1 (1).zip")
    try FileManager.default.copyItem(atPath: paths[0], toPath: copy)
    let (result, visitor) = try scan([paths[0], copy])
    #expect(codes(result.findings) == [.partDuplicate])
    let accountReads = visitor.entries.filter { $0.entry.path == "Account.csv" }
    #expect(accountReads.count == 1)
  }

  @Test(arguments: [FixtureExport.Compression.store, .deflate])
  func storedAndDeflatedEntriesStreamIdentically(compression: FixtureExport.Compression) throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.compression = compression
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let (result, visitor) = try scan(paths)
    #expect(result.findings.isEmpty)
    let expected = FixtureWriter.layout(export).flatMap { $0 }
    #expect(visitor.entries.map(\.content) == expected.map(\.content))
  }

  @Test func zip64ArchivesAreRead() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.zip64 = true
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    // The ZIP64 end-of-central-directory record really is there.
    #expect(bytes.range(of: Data([0x50, 0x4B, 0x06, 0x06])) != nil)
    let (result, visitor) = try scan(paths)
    #expect(result.findings.isEmpty)
    #expect(visitor.entries.count == FixtureWriter.layout(export).flatMap { $0 }.count)
  }

  @Test func deflatedEntriesWithDataDescriptorsAreRead() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: paths[0])))
    // General-purpose flag bit 3: sizes and CRC follow the data (a streamed entry).
    #expect(bytes[6] & 0x08 != 0)
    let (result, visitor) = try scan(paths)
    #expect(result.findings.isEmpty)
    #expect(visitor.entries.allSatisfy { $0.outcome?.isComplete == true })
  }

  @Test func aTruncatedPartSaysHowFarItGot() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.compression = .store
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let size = try FileManager.default.attributesOfItem(atPath: paths[0])[.size] as? Int ?? 0
    try FaultInjector.truncate(paths[0], keeping: size * 6 / 10)
    let (result, visitor) = try scan(paths)
    let truncated = try #require(result.findings.first { $0.code == .partTruncated })
    #expect(truncated.message.contains("\(size * 6 / 10) bytes"))
    #expect(truncated.message.contains("read intact"))
    #expect(truncated.message.contains("cut off"))
    // What came before the cut was still read.
    #expect(visitor.entries.filter { $0.outcome?.isComplete == true }.count >= 2)
    #expect(visitor.entries.contains { $0.outcome?.isComplete == false })
  }

  @Test func aFileThatIsNotAZipIsUnreadable() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("WE_\(ExportGenerator.orgId)_1.ZIP")
    var random = SeededRandom(seed: 1)
    try Data(random.bytes(5000)).write(to: URL(fileURLWithPath: path))
    let (result, _) = try scan([path])
    #expect(codes(result.findings) == [.partUnreadable])
    #expect(result.findings[0].message.contains("not a ZIP archive"))
  }

  @Test func anEmptyFileIsUnreadable() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("WE_\(ExportGenerator.orgId)_1.ZIP")
    #expect(FileManager.default.createFile(atPath: path, contents: Data()))
    let (result, _) = try scan([path])
    #expect(codes(result.findings) == [.partUnreadable])
    #expect(result.findings[0].message.contains("empty"))
  }

  @Test func aLoginPageSavedAsAPartIsNamedAsSuch() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    try FaultInjector.replaceWithLoginPage(paths[0])
    let (result, _) = try scan(paths)
    #expect(codes(result.findings) == [.partUnreadable])
    #expect(result.findings[0].message.contains("HTML page"))
    #expect(result.findings[0].message.contains("login page"))
  }

  @Test func aCRCMismatchNamesTheEntryAndTheRestIsStillRead() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.compression = .store
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    try FaultInjector.corruptEntryData(paths[0], entry: "Contact.csv")
    let (result, visitor) = try scan(paths)
    let corrupt = result.findings.filter { $0.code == .entryCorrupt }
    #expect(corrupt.count == 1)
    #expect(corrupt.first?.location.entry == "Contact.csv")
    #expect(corrupt.first?.message.contains("CRC") == true)
    let expected = FixtureWriter.layout(export).flatMap { $0 }
    #expect(visitor.entries.count == expected.count)
    #expect(
      visitor.entries.filter { $0.outcome?.isComplete == false }.map(\.entry.path) == [
        "Contact.csv"
      ])
  }

  @Test func aDeflateErrorIsAnEntryCorruption() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    try FaultInjector.corruptEntryData(paths[0], entry: "Account.csv")
    let (result, _) = try scan(paths)
    let corrupt = result.findings.filter { $0.code == .entryCorrupt }
    #expect(corrupt.map(\.location.entry) == ["Account.csv"])
  }

  @Test func unsafeEntryNamesAreFlaggedNeverFollowed() throws {
    let directory = TemporaryDirectory()
    let extras = [
      FixtureWriter.ExtraEntry(name: "../evil.csv", content: Array("x".utf8)),
      FixtureWriter.ExtraEntry(name: "/etc/cron.d/evil", content: Array("x".utf8)),
      FixtureWriter.ExtraEntry(name: "Attachments\\..\\..\\evil", content: Array("x".utf8)),
      FixtureWriter.ExtraEntry(name: "Attachments/link", symlinkTarget: "/etc/passwd"),
      FixtureWriter.ExtraEntry(name: "notes/readme.txt", content: Array("hi".utf8)),
    ]
    let paths = try FixtureWriter.writeParts(
      smallExport(), to: directory.path, extraEntries: extras)
    let (result, visitor) = try scan(paths)
    let unsafe = result.findings.filter { $0.code == .entryUnsafePath }
    // libarchive turns a DOS-made entry's backslashes into slashes: it arrives as a traversal;
    // the stored name, read from the directory, is named for its backslashes too.
    #expect(
      Set(unsafe.compactMap(\.location.entry)) == [
        "../evil.csv", "/etc/cron.d/evil", "Attachments/../../evil", "Attachments\\..\\..\\evil",
        "Attachments/link",
      ])
    #expect(unsafe.allSatisfy { $0.severity == .error })
    let unexpected = result.findings.filter { $0.code == .entryUnexpected }
    #expect(unexpected.map(\.location.entry) == ["notes/readme.txt"])
    #expect(unexpected.first?.severity == .info)
    // Nothing was written anywhere near the traversal targets.
    #expect(!FileManager.default.fileExists(atPath: directory.file("../evil.csv")))
    let link = visitor.entries.first { $0.entry.path == "Attachments/link" }
    if case .unsafe = link?.entry.kind {} else { Issue.record("link not classified unsafe") }
  }

  @Test func anExtractedFolderReadsLikeItsParts() throws {
    let zipped = TemporaryDirectory()
    let extracted = TemporaryDirectory()
    let export = smallExport()
    let paths = try FixtureWriter.writeParts(export, to: zipped.path)
    try FixtureWriter.writeFolder(export, to: extracted.path)
    let (fromZip, zipVisitor) = try scan(paths)
    let (fromFolder, folderVisitor) = try scan([extracted.path])
    #expect(fromZip.findings.isEmpty)
    #expect(fromFolder.findings.isEmpty)
    let zipEntries = Dictionary(
      zipVisitor.entries.map { ($0.entry.path, $0.content) }, uniquingKeysWith: { a, _ in a })
    let folderEntries = Dictionary(
      folderVisitor.entries.map { ($0.entry.path, $0.content) }, uniquingKeysWith: { a, _ in a })
    #expect(zipEntries == folderEntries)
    #expect(fromFolder.parts.count == 1 && fromFolder.parts[0].isFolder)
  }

  @Test func aFolderOfPartsIsFound() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.maxPartBytes = 20_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let (result, _) = try scan([directory.path])
    #expect(result.parts.count == paths.count)
  }

  @Test func aMissingPathCannotBeRead() {
    #expect(throws: BundleLocator.InputError.self) {
      _ = try BundleLocator.locate(["/nonexistent/WE_x_1.ZIP"])
    }
  }

  @Test func inputsAreNeverModified() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    let before = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    let attributes = try paths.map {
      try FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date
    }
    _ = try scan(paths)
    #expect(try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)
    #expect(
      try paths.map {
        try FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date
      } == attributes)
  }
}

@Suite struct TruncationEvidenceTests {
  /// Bytes missing from inside the entries (the end record is still there): the salvage through
  /// the local headers runs out of data in the last entry. That the part ran dry is known from
  /// the reads themselves, not from libarchive's wording.
  @Test func bytesMissingInsideTheEntriesAreReadAsACutPart() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.compression = .store
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[0])))
    let firstDirectoryRecord = try #require(bytes.firstRange(of: [0x50, 0x4B, 0x01, 0x02]))
    // 200 bytes of the last entry's data are gone; the directory and end record follow.
    bytes.removeSubrange((firstDirectoryRecord.lowerBound - 200)..<firstDirectoryRecord.lowerBound)
    try Data(bytes).write(to: URL(fileURLWithPath: paths[0]))
    var scanner = BundleScanner(bundle: try BundleLocator.locate(paths), jobs: 1)
    scanner.allowsDirectRead = false
    let result = scanner.scan(visitor: CollectingVisitor())
    let cut = try #require(result.findings.first { $0.code == .partTruncated })
    #expect(cut.message.contains("ends after \(bytes.count) bytes, inside its entries"))
    #expect(cut.message.contains("cut off"))
    #expect(!result.findings.contains { $0.code == .partCorrupt })
  }
}
