import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// What ExportGate certifies is what every common restore gets: names that become one file on
/// extraction, copies that differ, and headers that disagree are found before anything is
/// inflated, and every place is named.
@Suite struct RestoreFidelityTests {
  let export = smallExport()
  var attachment: FixtureExport.File {
    export.files.first { $0.folder == "Attachments" }!
  }

  /// The export written as usual (part 1), plus a hand-made part 2 of `entries`.
  func verify(
    adding entries: [RawZip.Entry], countDelta: Int = 0
  ) throws -> (VerificationReport, [String]) {
    let directory = TemporaryDirectory()
    var paths = try FixtureWriter.writeParts(export, to: directory.path)
    let extra = directory.file("WE_\(ExportGenerator.orgId)_\(paths.count + 1).ZIP")
    try RawZip.write(entries, to: extra, countDelta: countDelta)
    paths.append(extra)
    var reports: [VerificationReport] = []
    for jobs in [1, 2] {
      var options = VerificationOptions()
      options.jobs = jobs
      reports.append(try ExportVerifier(options: options).verify(paths: [directory.path]))
    }
    #expect(reports[0].typedFindings == reports[1].typedFindings, "--jobs 1 and 2 disagree")
    return (reports[1], paths.map { ($0 as NSString).lastPathComponent })
  }

  func zeros(like file: FixtureExport.File) -> [UInt8] {
    [UInt8](repeating: 0, count: file.content.count)
  }

  func expectConflict(
    _ report: VerificationReport, naming parts: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(!report.isCertified, sourceLocation: sourceLocation)
    let conflicts = findings(report, .entryConflict).filter { $0.severity == .error }
    #expect(
      !conflicts.isEmpty, "\(report.typedFindings.map(\.message))", sourceLocation: sourceLocation)
    for part in parts {
      #expect(
        conflicts.contains { $0.message.contains(part) }, "\(part) not named",
        sourceLocation: sourceLocation)
    }
  }

  // MARK: The same name twice

  @Test func aBinaryReAddedByALaterPartWithZerosIsAConflict() throws {
    let (report, parts) = try verify(adding: [
      RawZip.Entry("Attachments/\(attachment.name)", zeros(like: attachment))
    ])
    expectConflict(report, naming: [parts[0], parts[1]])
  }

  @Test func anIdenticalCopyInALaterPartIsAWarningAndReadOnce() throws {
    let (report, _) = try verify(adding: [
      RawZip.Entry("Attachments/\(attachment.name)", attachment.content)
    ])
    expectOnlyRealExportQuirksAnd([.entryDuplicate], report)
    #expect(
      report.files.first { $0.folder == "Attachments" }?.present
        == export.files.filter { $0.folder == "Attachments" }.count)
  }

  @Test func aCSVPieceInAnotherPartSaysUnzipKeepsOnlyOne() throws {
    var split = export
    split.splitObjects = ["Contact"]
    let report = try verifyFixture(split)
    #expect(report.isCertified)
    let piece = try #require(
      findings(report, .entryDuplicate).first { $0.location.entry == "Contact.csv" })
    #expect(piece.severity == .warning)
    #expect(piece.message.contains("keeps only"))
  }

  // MARK: Names that alias on extraction

  @Test(arguments: ["./Account.csv", "ACCOUNT.csv", "Account.csv\u{0}.txt"])
  func aCSVNameThatAliasesAccountIsAConflict(name: String) throws {
    let (report, parts) = try verify(adding: [RawZip.Entry(name, Array("\"Id\"\n".utf8))])
    expectConflict(report, naming: [parts[0], parts[1]])
  }

  @Test func binaryNamesThatAliasAreConflicts() throws {
    let id = attachment.name
    let fifteen = String(id.prefix(15))
    for name in ["Attachments/./\(id)", "attachments/\(id)", "Attachments/\(fifteen)"] {
      let (report, parts) = try verify(adding: [RawZip.Entry(name, zeros(like: attachment))])
      expectConflict(report, naming: [parts[0], parts[1]])
    }
  }

  @Test func aBackslashNameIsUnsafeAndAliases() throws {
    let (report, _) = try verify(adding: [
      RawZip.Entry("Attachments\\\(attachment.name)", zeros(like: attachment))
    ])
    #expect(errorCodes(report).contains(.entryUnsafePath))
    #expect(errorCodes(report).contains(.entryConflict))
  }

  @Test func aUnicodePathThatRenamesAnEntryOntoAnotherIsAConflict() throws {
    var entry = RawZip.Entry("notes.txt", zeros(like: attachment))
    entry.centralExtra = RawZip.unicodePath("Attachments/\(attachment.name)", forStored: entry.name)
    let (report, parts) = try verify(adding: [entry])
    expectConflict(report, naming: [parts[0], parts[1]])
    #expect(
      findings(report, .entryConflict).contains {
        $0.message.contains("extractors disagree on this entry's name")
      })
  }

  // MARK: Central directory against local header

  @Test func aLocalHeaderNamingAnotherFileIsAConflict() throws {
    var entry = RawZip.Entry("Attachments/\(attachment.name)", attachment.content)
    entry.localName = Array("Attachments/someone-elses-file".utf8)
    let (report, _) = try verify(adding: [entry])
    let named = findings(report, .entryConflict).filter {
      $0.message.contains("local header's name")
    }
    #expect(named.first?.severity == .error)
  }

  @Test func headerFieldsThatDisagreeAreCorrupt() throws {
    var encrypted = RawZip.Entry("Attachments/\(attachment.name)", attachment.content)
    encrypted.localFlags |= 1
    var method = RawZip.Entry("Lead.csv", Array("\"Id\"\n".utf8))
    method.centralMethod = 8
    var size = RawZip.Entry("Opportunity.csv", Array("\"Id\"\n".utf8))
    size.localSizeDelta = 1000
    for (entry, expected) in [
      (encrypted, "encryption"), (method, "compression method"), (size, "sizes or CRC"),
    ] {
      let (report, _) = try verify(adding: [entry])
      let corrupt = findings(report, .entryCorrupt).filter { $0.message.contains(expected) }
      #expect(
        corrupt.first?.severity == .error, "\(expected): \(report.typedFindings.map(\.message))")
    }
  }

  @Test func anEntryOnlyTheLocalHeadersHoldIsAConflict() throws {
    var hidden = RawZip.Entry("Attachments/\(attachment.name)", zeros(like: attachment))
    hidden.listed = false
    let visible = RawZip.Entry("Note.csv", Array("\"Id\"\n".utf8))
    let (report, _) = try verify(adding: [hidden, visible], countDelta: 1)
    let found = findings(report, .entryConflict).filter { $0.message.contains("does not list") }
    #expect(found.first?.severity == .error, "\(report.typedFindings.map(\.message))")
    #expect(found.first?.message.contains(attachment.name) == true)
    #expect(!report.isCertified)
  }

  // MARK: Bombs

  @Test func entriesSharingBytesAreRefusedBeforeInflating() throws {
    var entries = [RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8))]
    for index in 1..<20 {
      var copy = RawZip.Entry("Account\(index).csv", Array("\"Id\"\n".utf8))
      copy.sharesLocalHeaderOf = 0
      entries.append(copy)
    }
    let (report, parts) = try verify(adding: entries)
    let bomb = try #require(findings(report, .partZipBomb).first)
    #expect(bomb.location.part == parts[1])
    #expect(bomb.message.contains("refused before inflating"))
    #expect(report.export.parts.first { $0.name == parts[1] }?.entries == 0)
  }

  @Test func manySmallBombsShareOneAllowance() throws {
    let directory = TemporaryDirectory()
    for number in 1...8 {
      try FixtureWriter.writeLargeEntryZip(
        at: directory.file("WE_\(ExportGenerator.orgId)_\(number).ZIP"), entryName: "Account.csv",
        size: Int64((48 << 20) + number))
    }
    var limits = ScanLimits()
    limits.expansionAllowance = 16 << 20
    let bundle = try BundleLocator.locate([directory.path])
    let result = BundleScanner(bundle: bundle, limits: limits, jobs: 2).scan(visitor: nil)
    let inflated = result.parts.reduce(Int64(0)) { $0 + $1.uncompressedBytes }
    let ratioShare = result.parts.reduce(Int64(0)) { $0 + $1.bytes * limits.maximumExpansionRatio }
    // The whole run inflates at most its parts' ratio plus ONE allowance (a block over).
    #expect(inflated <= ratioShare + limits.expansionAllowance + 8 * (1 << 20))
    #expect(result.findings.filter { $0.code == .partZipBomb }.count == 8)
  }
}

/// Expects a healthy export's quirks plus exactly the given warning codes.
func expectOnlyRealExportQuirksAnd(
  _ codes: Set<FindingCode>, _ report: VerificationReport,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(report.isCertified, "\(report.typedFindings)", sourceLocation: sourceLocation)
  let warnings = Set(report.typedFindings.filter { $0.severity == .warning }.map(\.code))
  #expect(warnings == codes.union([.referenceDangling]), sourceLocation: sourceLocation)
}
