import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// A last part never downloaded leaves no gap in the numbering: it is told apart from an
/// export made without files by how full the parts given are.
@Suite struct MissingLastPartTests {
  /// A multi-part export whose parts before the last are filled alike.
  func multiPartExport() -> FixtureExport {
    var export = smallExport()
    export.maxPartBytes = 15_000
    return export
  }

  @Test func aBundleWithoutItsLastPartNamesThatPart() throws {
    var removed = ""
    var sizes: [Int64] = []
    let report = try verifyFixture(multiPartExport()) { paths, _ in
      // Drop the real last part, and the one before it too, if that one is small: the last
      // part given must be as full as the others (parts 2.. hold only binaries).
      removed = (paths.last! as NSString).lastPathComponent
      try FileManager.default.removeItem(atPath: paths.last!)
      sizes = try paths.dropLast().map {
        Int64(try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0)
      }
    }
    let last = try #require(sizes.last)
    #expect(Double(last) >= Double(sizes.dropLast().max() ?? 0) * 0.85, "fixture: \(sizes)")
    #expect(!report.isCertified)
    let missing = try #require(findings(report, .partMissing).first)
    #expect(missing.location.part == removed)
    #expect(missing.message.contains("probably missing (not downloaded)"))
    #expect(missing.message.contains("download \(removed)"))
    // It explains the missing files, and the export is not accused of leaving files out.
    #expect(findings(report, .filesNotIncluded).isEmpty)
    let files = findings(report, .fileMissing)
    #expect(!files.isEmpty && files.allSatisfy { $0.causedBy == missing.id })
    #expect(report.typedFindings.first?.code == .partMissing)
    #expect(!FindingCode.partMissing.advice.contains("export again"))
  }

  /// Nothing proves a part missing, and nothing proves the bundle whole: said as a warning.
  func expectMayBeIncomplete(_ report: VerificationReport) {
    let said = findings(report, .partMissing)
    #expect(said.count == 1, "\(said)")
    #expect(said.allSatisfy { $0.severity == .warning })
    #expect(said.allSatisfy { $0.message.contains("the bundle may be incomplete") })
    #expect(said.allSatisfy { $0.message.contains("export-parts.json") })
    // The files are not explained by a part nobody knows is missing.
    #expect(findings(report, .fileMissing).allSatisfy { $0.causedBy == nil })
  }

  @Test func aSingleSmallPartWithAFewFilesMissingIsNotAccusedOfAMissingPart() throws {
    var export = smallExport()
    export.files.removeFirst(2)
    let report = try verifyFixture(export)
    #expect(report.export.parts.count == 1)
    expectMayBeIncomplete(report)
    #expect(!findings(report, .fileMissing).isEmpty)
    #expect(!report.isCertified)
  }

  @Test func theExamplesSmallLastPartDeletedIsSaidToBePerhapsMissing() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.path)
    #expect(paths.count == 2)
    try FileManager.default.removeItem(atPath: paths[1])
    let report = try ExportVerifier().verify(paths: [directory.path])
    expectMayBeIncomplete(report)
    let said = try #require(findings(report, .partMissing).first)
    #expect(said.location.part == (paths[1] as NSString).lastPathComponent)
    #expect(said.message.contains((paths[0] as NSString).lastPathComponent))
  }

  @Test func aCompleteExportWhoseSmallLastPartLacksAFileIsNotAccused() throws {
    var export = multiPartExport()
    // A few small binaries at the end make the real last part small.
    let lastFolder = try #require(export.files.last?.folder)
    export.files.append(
      FixtureExport.File(folder: lastFolder, name: "tail-note", content: Array("x".utf8)))
    let victim = try #require(export.files.first { $0.folder == "Attachments" })
    export.files.removeAll { $0.name == victim.name }
    let report = try verifyFixture(export)
    expectMayBeIncomplete(report)
    #expect(findings(report, .fileMissing).map(\.location.recordId) == [victim.name])
  }

  @Test func aWholeFolderAbsentWithNothingPointingToAPartIsFilesNotIncluded() throws {
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" || $0.folder == "Documents" }
    let report = try verifyFixture(export)
    // No part is accused; that one may be missing is said, as for any missing file.
    expectMayBeIncomplete(report)
    #expect(findings(report, .filesNotIncluded).count == 2)
  }

  @Test func aFolderWhoseExportOptionEvidentlyWasOnIsNotCalledExcluded() throws {
    // Documents/ and Attachments/ come with the same export option: with attachments present,
    // absent documents went missing some other way, and are named one by one.
    var export = smallExport()
    let documents = export.files.filter { $0.folder == "Documents" }.count
    export.files.removeAll { $0.folder == "Documents" }
    let report = try verifyFixture(export)
    #expect(findings(report, .filesNotIncluded).isEmpty)
    #expect(findings(report, .fileMissing).count == documents)
    #expect(!report.isCertified)
  }
}

/// A part named wrong is not a part missing: when every file is present, a gap in the
/// numbering is a warning about names, not advice to download again.
@Suite struct RenamedPartTests {
  func parts(_ directory: TemporaryDirectory) throws -> [String] {
    var export = smallExport()
    export.maxPartBytes = 15_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    #expect(paths.count >= 3)
    return paths
  }

  /// An inventory of an org holding exactly what `export` holds.
  func inventory(of export: FixtureExport) -> OrgInventory {
    OrgInventory(
      takenAt: "2026-12-05T09:00:00Z", asOf: "2026-12-04T10:00:00Z", asOfSource: "test",
      instance: "https://acme.my.salesforce.com", apiVersion: "v62.0",
      user: .init(organizationId: export.orgId),
      permissions: .init(viewAllData: true, queryAllFiles: true),
      objects: export.tables.map {
        OrgInventory.Object(
          name: $0.name, keyPrefix: nil, custom: false, count: .init(asOf: $0.rows.count))
      }, contentFiles: [])
  }

  @Test func aPartRenamedToALaterNumberIsAWarningAboutNamesWhenTheOrgProvesTheDataWhole()
    throws
  {
    let directory = TemporaryDirectory()
    let paths = try parts(directory)
    // Part 2 renamed as part N+1: the numbering has a gap, the data is whole.
    let renamed = directory.file("WE_\(ExportGenerator.orgId)_\(paths.count + 1).ZIP")
    try FileManager.default.moveItem(atPath: paths[1], toPath: renamed)
    // Without evidence from the org, a gap stays a part missing: it may have held records.
    #expect(!(try ExportVerifier().verify(paths: [directory.path])).isCertified)
    var options = VerificationOptions()
    options.inventory = inventory(of: smallExport())
    let report = try ExportVerifier(options: options).verify(paths: [directory.path])
    #expect(report.isCertified, "\(report.typedFindings.filter { $0.severity == .error })")
    let gap = try #require(report.typedFindings.first { $0.code == .partMissing })
    #expect(gap.severity == .warning)
    #expect(gap.message.contains("renamed"))
    #expect(gap.message.contains("nothing needs downloading again"))
  }

  @Test func aPartReallyMissingFromTheMiddleStaysAnError() throws {
    let directory = TemporaryDirectory()
    let paths = try parts(directory)
    try FileManager.default.removeItem(atPath: paths[1])
    // Even with an inventory: the org's counts show what the missing part held.
    var options = VerificationOptions()
    options.inventory = inventory(of: smallExport())
    let report = try ExportVerifier(options: options).verify(paths: [directory.path])
    #expect(!report.isCertified)
    let gap = try #require(report.typedFindings.first { $0.code == .partMissing })
    #expect(gap.severity == .error)
    #expect(!gap.message.contains("renamed by hand"))
  }
}
