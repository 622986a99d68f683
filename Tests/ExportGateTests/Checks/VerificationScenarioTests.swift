import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Verifies `export` written as parts (or a folder) after `damage`, with `--jobs 1` and
/// `--jobs 2`, expects byte-identical JSON reports from both, and returns the report.
func verifyFixture(
  _ export: FixtureExport, options: VerificationOptions = VerificationOptions(),
  extraEntries: [FixtureWriter.ExtraEntry] = [], asFolder: Bool = false,
  damage: (_ paths: [String], _ directory: String) throws -> Void = { _, _ in },
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> VerificationReport {
  let directory = TemporaryDirectory()
  if asFolder {
    try FixtureWriter.writeFolder(export, to: directory.path)
    try damage([], directory.path)
  } else {
    let paths = try FixtureWriter.writeParts(
      export, to: directory.path, extraEntries: extraEntries)
    try damage(paths, directory.path)
  }
  var reports: [VerificationReport] = []
  for jobs in [1, 2] {
    var options = options
    options.jobs = jobs
    reports.append(try ExportVerifier(options: options).verify(paths: [directory.path]))
  }
  var identical = reports.map { $0 }
  for index in identical.indices { identical[index].verifiedAt = nil }
  let one = try JSONReportRenderer.render(identical[0]).split(separator: "\n")
  let two = try JSONReportRenderer.render(identical[1]).split(separator: "\n")
  let firstDifference = zip(one, two).first { $0 != $1 }.map { "\($0.0) vs \($0.1)" }
  #expect(
    one == two, "--jobs 1 and --jobs 2 disagree: \(firstDifference ?? "in length")",
    sourceLocation: sourceLocation)
  return reports[1]
}

/// Dangling references other than the one every generated export carries on purpose (a
/// Case.ParentId naming a deleted case, as real exports do).
func danglingBeyondTheQuirk(_ report: VerificationReport) -> [Finding] {
  findings(report, .referenceDangling).filter {
    !($0.location.object == "Case" && $0.location.field == "ParentId")
  }
}

/// Expects what a healthy real export shows and nothing more: no error, and as warnings only
/// the generator's deliberate quirk (one lookup to a deleted record).
func expectOnlyRealExportQuirks(
  _ report: VerificationReport, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(report.isCertified, "\(report.typedFindings)", sourceLocation: sourceLocation)
  let warnings = report.typedFindings.filter { $0.severity == .warning }
  #expect(
    warnings.map(\.code) == [.referenceDangling], "\(warnings)", sourceLocation: sourceLocation)
  #expect(danglingBeyondTheQuirk(report).isEmpty, sourceLocation: sourceLocation)
}

func errorCodes(_ report: VerificationReport) -> Set<FindingCode> {
  Set(report.typedFindings.filter { $0.severity == .error }.map(\.code))
}

func findings(_ report: VerificationReport, _ code: FindingCode) -> [Finding] {
  report.typedFindings.filter { $0.code == code }
}

/// Expects the exact data-record count of every table of `export`.
func expectExactCounts(
  _ report: VerificationReport, _ export: FixtureExport,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  for table in export.tables {
    let object = report.objects.first { $0.name == table.name }
    #expect(object?.records == table.rows.count, "\(table.name)", sourceLocation: sourceLocation)
    #expect(object?.columns == table.header.count, "\(table.name)", sourceLocation: sourceLocation)
  }
}

@Suite struct VerificationScenarioTests {
  // MARK: Clean exports certify, with exact counts

  @Test func aCleanMultiPartExportIsCertified() throws {
    var export = smallExport()
    export.maxPartBytes = 15_000
    let report = try verifyFixture(export)
    #expect(report.export.parts.count >= 3)
    expectOnlyRealExportQuirks(report)
    expectExactCounts(report, export)
    let attachments = try #require(report.files.first { $0.folder == "Attachments" })
    #expect(attachments.expected == export.files.filter { $0.folder == "Attachments" }.count)
    #expect(attachments.present == attachments.expected && attachments.missing == 0)
    #expect(report.summary.referencesChecked > 0)
  }

  @Test func aCRLFExportIsCertified() throws {
    var export = smallExport()
    export.lineEnding = .crlf
    let report = try verifyFixture(export)
    #expect(report.isCertified, "\(report.typedFindings)")
    expectExactCounts(report, export)
  }

  @Test func anISOExportWithReplacedLineBreaksIsCertifiedWithAWarning() throws {
    var export = smallExport()
    export.encoding = .iso88591
    // "Replace carriage returns with spaces": no line break survives inside a value.
    for index in export.tables.indices {
      export.tables[index].rows = export.tables[index].rows.map { row in
        row.map {
          $0.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
      }
    }
    let report = try verifyFixture(export)
    #expect(report.isCertified, "\(report.typedFindings)")
    expectExactCounts(report, export)
    let encoding = findings(report, .csvEncoding)
    #expect(!encoding.isEmpty && encoding.allSatisfy { $0.severity == .warning })
  }

  @Test func aCSVSplitAcrossPartsAddsUp() throws {
    var export = smallExport()
    export.splitObjects = ["Contact", "Account"]
    let report = try verifyFixture(export)
    #expect(report.isCertified, "\(report.typedFindings)")
    expectExactCounts(report, export)
    #expect(report.objects.first { $0.name == "Contact" }?.parts.count == 2)
  }

  @Test func headerOnlyObjectsAreListedAndCertified() throws {
    let export = smallExport()
    let report = try verifyFixture(export)
    #expect(report.isCertified)
    for (name, header) in ExportGenerator.headerOnlyObjects {
      let object = report.objects.first { $0.name == name }
      #expect(object?.records == 0)
      #expect(object?.columns == header.count)
    }
  }

  @Test func anExtractedFolderIsCertified() throws {
    let export = smallExport()
    let report = try verifyFixture(export, asFolder: true)
    #expect(report.isCertified, "\(report.typedFindings)")
    expectExactCounts(report, export)
  }

  @Test func theBundledExampleIsCertified() throws {
    let report = try ExportVerifier().verify(paths: [SharedCorpus.projectRoot + "/Fixtures/example"]
    )
    expectOnlyRealExportQuirks(report)
    expectExactCounts(report, ExampleExport.make())
  }

  // MARK: Each single fault is refused and named

  @Test func aMissingRequiredObjectIsRefused() throws {
    var export = smallExport()
    export.tables.removeAll { $0.name == "Lead" }
    let report = try verifyFixture(export)
    #expect(!report.isCertified)
    #expect(errorCodes(report) == [.objectMissing])
    #expect(findings(report, .objectMissing).first?.location.object == "Lead")
  }

  @Test func aRequiredObjectWithNoRowsIsAWarning() throws {
    var export = smallExport()
    let header = try #require(export.table("Lead")).header
    export.setTable(FixtureExport.Table(name: "Lead", header: header))
    let report = try verifyFixture(export)
    #expect(report.isCertified)
    #expect(findings(report, .objectEmpty).map(\.location.object) == ["Lead"])
  }

  @Test func theRequiredListCanBeReplaced() throws {
    var export = smallExport()
    export.tables.removeAll { $0.name == "Lead" }
    var options = VerificationOptions()
    options.requiredObjects = ["Account", "Invoice__c"]
    #expect(try verifyFixture(export, options: options).isCertified)
    options.requiredObjects = ["Account", "Product2"]
    let report = try verifyFixture(export, options: options)
    #expect(findings(report, .objectMissing).map(\.location.object) == ["Product2"])
  }

  @Test func anExportWithoutFilesGetsOneFindingNamingTheOption() throws {
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" || $0.folder == "Documents" }
    let report = try verifyFixture(export)
    #expect(!report.isCertified)
    let notIncluded = findings(report, .filesNotIncluded)
    #expect(notIncluded.count == 2)
    #expect(
      notIncluded.allSatisfy { $0.message.contains("Include images, documents, and attachments") })
    #expect(findings(report, .fileMissing).isEmpty)
    #expect(
      report.files.first { $0.folder == "Attachments" }?.missing
        == export.table("Attachment")?.rows.count)
  }

  @Test func noFilesMakesFileFindingsWarnings() throws {
    var export = smallExport()
    export.files.removeAll()
    var options = VerificationOptions()
    options.filesExcluded = true
    let report = try verifyFixture(export, options: options)
    #expect(report.isCertified, "\(report.typedFindings)")
    #expect(findings(report, .filesNotIncluded).count == 4)
    #expect(findings(report, .filesNotIncluded).allSatisfy { $0.severity == .warning })
  }

  @Test func aSingleMissingFileIsNamedByRecord() throws {
    var export = smallExport()
    let removed = try #require(export.files.first { $0.folder == "ContentVersion" })
    export.files.removeAll { $0.name == removed.name }
    let report = try verifyFixture(export)
    #expect(errorCodes(report) == [.fileMissing])
    let missing = try #require(findings(report, .fileMissing).first)
    #expect(missing.location.recordId == removed.name)
    #expect(missing.location.object == "ContentVersion")
    #expect(missing.location.line != nil)
  }

  @Test func aFileOfTheWrongSizeIsNamed() throws {
    var export = smallExport()
    let index = try #require(export.files.firstIndex { $0.folder == "Attachments" })
    export.files[index].content.removeLast(10)
    let report = try verifyFixture(export)
    #expect(errorCodes(report) == [.fileSizeMismatch])
    #expect(
      findings(report, .fileSizeMismatch).first?.location.recordId == export.files[index].name)
  }

  @Test func aFileWhoseMD5DiffersFromContentBodyHashIsNamed() throws {
    var export = smallExport()
    let index = try #require(export.files.firstIndex { $0.folder == "Other Uploaded Collateral" })
    export.files[index].content[5] ^= 0xFF
    let report = try verifyFixture(export)
    #expect(errorCodes(report) == [.fileChecksumMismatch])
    #expect(
      findings(report, .fileChecksumMismatch).first?.location.recordId == export.files[index].name)
  }

  @Test func aFileNoRowClaimsIsAnOrphanWarning() throws {
    var export = smallExport()
    export.files.append(
      FixtureExport.File(
        folder: "Attachments", name: IdFactory.make(prefix: "00P", serial: 9999),
        content: [1, 2, 3]))
    export.files.append(FixtureExport.File(folder: "Documents", name: "logo.png", content: [1]))
    let report = try verifyFixture(export)
    #expect(report.isCertified)
    #expect(findings(report, .fileOrphan).count == 2)
  }

  @Test func aTruncatedPartIsRefused() throws {
    var export = smallExport()
    export.maxPartBytes = 15_000
    let report = try verifyFixture(export) { paths, _ in
      try FaultInjector.truncateToHalf(paths[1])
    }
    #expect(!report.isCertified)
    #expect(errorCodes(report).contains(.partTruncated))
  }

  @Test func aMissingPartIsRefused() throws {
    var export = smallExport()
    export.maxPartBytes = 15_000
    let report = try verifyFixture(export) { paths, _ in
      try FileManager.default.removeItem(atPath: paths[1])
    }
    #expect(errorCodes(report).contains(.partMissing))
    #expect(!report.isCertified)
  }

  @Test func aLoginPageAsAPartIsRefused() throws {
    var export = smallExport()
    export.maxPartBytes = 15_000
    let report = try verifyFixture(export) { paths, _ in
      try FaultInjector.replaceWithLoginPage(paths[0])
    }
    let unreadable = try #require(findings(report, .partUnreadable).first)
    #expect(unreadable.message.contains("login page"))
    #expect(!report.isCertified)
  }

  @Test func aCorruptEntryIsRefused() throws {
    var export = smallExport()
    export.compression = .store
    let report = try verifyFixture(export) { paths, _ in
      try FaultInjector.corruptEntryData(paths[0], entry: "Opportunity.csv")
    }
    #expect(findings(report, .entryCorrupt).map(\.location.entry) == ["Opportunity.csv"])
    #expect(report.objects.first { $0.name == "Opportunity" }?.complete == false)
    #expect(!report.isCertified)
  }

  @Test func aTruncatedCSVIsRefused() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    let table = try #require(export.table("Contact"))
    var text = FixtureWriter.csvText(table, lineEnding: .lf)
    text.removeLast(40)
    export.tables.removeAll { $0.name == "Contact" }
    let paths = try FixtureWriter.writeParts(
      export, to: directory.path,
      extraEntries: [FixtureWriter.ExtraEntry(name: "Contact.csv", content: Array(text.utf8))])
    let report = try ExportVerifier().verify(paths: paths)
    let malformed = try #require(findings(report, .csvMalformed).first)
    #expect(malformed.location.object == "Contact")
    #expect(malformed.message.contains("truncated") || malformed.message.contains("fields"))
    #expect(malformed.location.line != nil)
    #expect(!report.isCertified)
  }

  @Test func aRaggedRowIsRefusedWithItsLine() throws {
    var export = smallExport()
    var table = try #require(export.table("Account"))
    table.rows[3].append("extra")
    export.setTable(table)
    let report = try verifyFixture(export)
    let malformed = try #require(findings(report, .csvMalformed).first)
    #expect(malformed.message.contains("\(table.header.count + 1) fields"))
    #expect(malformed.location.record == 4)
    #expect(!report.isCertified)
  }

  @Test func duplicateIdsAreRefused() throws {
    var export = smallExport()
    var table = try #require(export.table("Contact"))
    table.rows.append(table.rows[2])
    export.setTable(table)
    let report = try verifyFixture(export)
    #expect(errorCodes(report) == [.idDuplicate])
    #expect(findings(report, .idDuplicate).first?.location.recordId == table.rows[2][0])
  }

  @Test func duplicateIdsAcrossPartsAreRefused() throws {
    var export = smallExport()
    var table = try #require(export.table("Contact"))
    table.rows.append(table.rows[0])
    export.setTable(table)
    export.splitObjects = ["Contact"]
    let report = try verifyFixture(export)
    #expect(errorCodes(report) == [.idDuplicate])
  }

  @Test func invalidIdsAreRefused() throws {
    var export = smallExport()
    var table = try #require(export.table("Lead"))
    table.rows[1][0] = "00QDn0000000002XXX"  // bad checksum
    table.rows[2][0] = "not-an-id"
    export.setTable(table)
    let report = try verifyFixture(export)
    #expect(findings(report, .idInvalid).count == 2)
    #expect(errorCodes(report) == [.idInvalid])
  }

  @Test func unionObjectsOfTwoPrefixesAreANoteNotAnError() throws {
    // Real exports write EventRelation/TaskRelation and UserRole/Territory2 as unions of two
    // entities; the generator does too.
    let report = try verifyFixture(smallExport())
    let unions = findings(report, .idPrefixMismatch)
    #expect(
      Set(unions.compactMap(\.location.object))
        == ["EventRelation", "TaskRelation", "UserRole", "Territory2"])
    #expect(unions.allSatisfy { $0.severity == .info })
    #expect(
      unions.first { $0.location.object == "EventRelation" }?.message.contains("0RT (2 rows)")
        == true)
    expectOnlyRealExportQuirks(report)
  }

  @Test func aStandardObjectsPrefixInAnotherObjectIsAWarningWhenThatObjectIsAbsent() throws {
    var export = smallExport()
    var table = try #require(export.table("Lead"))
    table.rows[3][0] = IdFactory.make(prefix: "01t", serial: 777)  // Product2, not exported
    export.setTable(table)
    let report = try verifyFixture(export)
    #expect(report.isCertified)
    let mismatch = try #require(
      findings(report, .idPrefixMismatch).first { $0.location.object == "Lead" })
    #expect(mismatch.severity == .warning)
    #expect(mismatch.message.contains("01t is Product2's prefix"))
  }

  @Test func aMissingIdColumnIsAWarning() throws {
    var export = smallExport()
    export.setTable(FixtureExport.Table(name: "Invoice__c", header: ["Name"], rows: [["A"]]))
    let report = try verifyFixture(export)
    #expect(findings(report, .idMissingColumn).map(\.severity) == [.warning])
    #expect(report.isCertified)
  }

  @Test func nulCharactersInRichTextAreCertifiedAndCounted() throws {
    let export = smallExport()
    let opportunities = try #require(export.table("Opportunity"))
    let nulValues = opportunities.rows.filter { $0.contains(ExportGenerator.nulRichText) }.count
    #expect(nulValues > 0)
    let report = try verifyFixture(export)
    let notes = findings(report, .csvNulInValue)
    #expect(notes.map(\.severity) == [.info])
    #expect(notes.first?.location.object == "Opportunity")
    #expect(notes.first?.message.hasPrefix("\(nulValues) NUL character") == true)
    expectOnlyRealExportQuirks(report)
  }

  @Test func aTraversalNameIsRefused() throws {
    let report = try verifyFixture(
      smallExport(),
      extraEntries: [FixtureWriter.ExtraEntry(name: "../../etc/cron.d/x", content: [1])])
    #expect(errorCodes(report) == [.entryUnsafePath])
  }

  @Test func piecesWithDifferentHeadersAreRefused() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.maxPartBytes = 15_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let extra = directory.file("WE_\(ExportGenerator.orgId)_\(paths.count + 1).ZIP")
    let other = "\"Id\",\"Name\"\n\"\(IdFactory.make(prefix: "001", serial: 5000))\",\"X\"\n"
    try FixtureWriter.writeZip(at: extra, entries: [("Account.csv", Array(other.utf8))])
    let report = try ExportVerifier().verify(paths: [directory.path])
    #expect(errorCodes(report) == [.objectHeaderMismatch])
  }

  @Test func danglingReferencesAreGroupedWarnings() throws {
    var export = smallExport()
    var contacts = try #require(export.table("Contact"))
    let column = contacts.column("AccountId")
    for row in 0..<3 {
      contacts.rows[row][column] = IdFactory.make(prefix: "001", serial: 90_000 + row)
    }
    export.setTable(contacts)
    let report = try verifyFixture(export)
    #expect(report.isCertified)
    let dangling = danglingBeyondTheQuirk(report)
    #expect(dangling.count == 1)
    #expect(dangling.first?.location.field == "AccountId")
    #expect(dangling.first?.message.hasPrefix("3 values of Contact.AccountId") == true)
  }

  @Test func emptyKeysAndBlanksAreNotReferences() throws {
    var export = smallExport()
    var opportunities = try #require(export.table("Opportunity"))
    #expect(
      opportunities.rows.allSatisfy {
        $0[opportunities.column("Pricebook2Id")] == "000000000000000AAA"
      })
    opportunities.rows[0][opportunities.column("AccountId")] = ""
    export.setTable(opportunities)
    let report = try verifyFixture(export)
    #expect(danglingBeyondTheQuirk(report).isEmpty)
    #expect(findings(report, .objectMissingReferenced).isEmpty)
  }

  @Test func anObjectReferencedButAbsentIsAWarning() throws {
    var export = smallExport()
    var opportunities = try #require(export.table("Opportunity"))
    let column = opportunities.column("Pricebook2Id")
    for row in opportunities.rows.indices {
      opportunities.rows[row][column] = IdFactory.make(prefix: "01s", serial: 1)
    }
    export.setTable(opportunities)
    let report = try verifyFixture(export)
    #expect(report.isCertified)
    let absent = try #require(findings(report, .objectMissingReferenced).first)
    #expect(absent.location.object == "Pricebook2")
  }

  @Test func customObjectPrefixesAreLearntFromTheBundle() throws {
    var export = smallExport()
    var invoices = try #require(export.table("Invoice__c"))
    var accounts = try #require(export.table("Account"))
    accounts.header.append("Last_Invoice__c")
    accounts.rows = accounts.rows.enumerated().map { index, row in
      row + [
        index == 0
          ? IdFactory.make(prefix: ExportGenerator.invoicePrefix, serial: 4242)
          : invoices.rows[0][0]
      ]
    }
    invoices.rows.removeLast(0)
    export.setTable(accounts)
    let report = try verifyFixture(export)
    let dangling = danglingBeyondTheQuirk(report)
    #expect(dangling.count == 1)
    #expect(dangling.first?.location.field == "Last_Invoice__c")
  }

  @Test func mixedEncodingsAreAnError() throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    var latin =
      Array("\"Id\",\"Name\"\n\"".utf8) + Array(IdFactory.make(prefix: "a0C", serial: 1).utf8)
    latin += Array("\",\"M".utf8) + [0xFC] + Array("ller\"\n".utf8)
    let paths = try FixtureWriter.writeParts(
      export, to: directory.path,
      extraEntries: [FixtureWriter.ExtraEntry(name: "Thing__c.csv", content: latin)])
    let report = try ExportVerifier().verify(paths: paths)
    let encoding = try #require(findings(report, .csvEncoding).first)
    #expect(encoding.severity == .error)
    #expect(encoding.location.entry == "Thing__c.csv")
    #expect(encoding.location.byteOffset == Int64(latin.firstIndex(of: 0xFC) ?? 0))
    // Counted true, and named as an edit after the export, not the export's choice.
    let utf8 = report.objects.count - 1
    #expect(encoding.message.contains("other \(utf8) CSV(s) are UTF-8"), "\(encoding.message)")
    #expect(encoding.message.contains("re-saved in another after the export"))
    #expect(encoding.code.advice.contains("take them from the original parts"))
  }

  @Test func findingsAreCappedPerCodeButCounted() throws {
    var export = smallExport()
    export.files.removeAll { $0.folder == "ContentVersion" && $0.name.hasSuffix("AA") == false }
    var table = try #require(export.table("Contact"))
    for index in 0..<10 { table.rows[index][0] = "bad\(index)" }
    export.setTable(table)
    var options = VerificationOptions()
    options.maxFindingsPerCode = 3
    let report = try verifyFixture(export, options: options)
    #expect(findings(report, .idInvalid).count == 3)
    #expect(report.summary.countsByCode["id-invalid"] == 10)
    #expect(report.summary.errors >= 10)
  }
}
