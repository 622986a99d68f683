import Crypto
import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The org's inventory, taken from a fake org on loopback that serves the REST resources in
/// the shapes Salesforce documents, and verify certifying an export against it.
@Suite(.serialized) struct InventoryTests {
  /// An export written as parts, and an org behind a fake REST API that holds it (as changed
  /// by a test).
  struct OrgSetup {
    let directory = TemporaryDirectory()
    let export: FixtureExport
    let parts: String
    let org: FakeOrg

    init(
      faults: FakeOrg.Faults = FakeOrg.Faults(), change: (inout FakeOrgModel) -> Void = { _ in }
    ) throws {
      export = smallExport()
      parts = directory.file("parts")
      _ = try FixtureWriter.writeParts(export, to: parts)
      var model = FakeOrgModel.matching(export)
      change(&model)
      org = try FakeOrg(serving: parts, model: model)
      try org.setFaults(faults)
    }

    var session: SalesforceSession {
      SalesforceSession(instanceURL: org.instanceURL, accessToken: org.token)
    }

    static let asOf = "2026-12-01T00:00:00Z"

    func take() async throws -> OrgInventory {
      var options = InventoryTaker.Options(
        asOf: try #require(ISO8601DateFormatter().date(from: Self.asOf)), asOfSource: "--as-of")
      options.retryDelay = 0.01
      options.timeout = 10
      return try await InventoryTaker(options: options).take(session: session)
    }

    /// Takes the inventory, saves it beside the parts, and verifies them.
    func verify(_ options: VerificationOptions = VerificationOptions()) async throws
      -> VerificationReport
    {
      let inventory = try await take()
      try inventory.save(to: (parts as NSString).appendingPathComponent(OrgInventory.fileName))
      var options = options
      options.now = try #require(ISO8601DateFormatter().date(from: "2026-12-02T00:00:00Z"))
      return try ExportVerifier(options: options).verify(paths: [parts])
    }
  }

  /// An object of the org with `records` created long ago and nothing but its Id and date.
  static func object(_ name: String, prefix: String, records: Int) -> FakeOrgModel.Object {
    FakeOrgModel.Object(
      name: name, keyPrefix: prefix,
      fields: [.init(name: "Id", type: "id"), .init(name: "CreatedDate", type: "datetime")],
      created: [FakeOrgModel.longAgo: records])
  }

  func findings(_ report: VerificationReport, _ code: FindingCode) -> [Finding] {
    report.typedFindings.filter { $0.code == code }
  }

  @Test func anOrgMatchingItsExportCertifiesAgainstTheInventory() async throws {
    let setup = try OrgSetup()
    defer { setup.org.stop() }
    let inventory = try await setup.take()
    #expect(inventory.apiVersion == "v62.0")
    #expect(inventory.problems.isEmpty, "\(inventory.problems)")
    #expect(inventory.user.username == "admin@example.com")
    #expect(inventory.permissions.viewAllData == true)
    let account = try #require(inventory.objects.first { $0.name == "Account" })
    let accounts = try #require(setup.export.table("Account")).rows.count
    #expect(account.count.asOf == accounts && account.count.now == accounts)
    #expect(account.fields?.contains { $0.name == "Name" } == true)
    let stored = try #require(setup.export.table("ContentVersion")).rows.filter {
      $0[10] == "S"
    }.count
    #expect(inventory.contentFiles?.count == stored)
    #expect(stored > 0)
    // Objects with no records are counted but not described.
    #expect(inventory.objects.filter { ($0.count.best ?? 0) == 0 }.allSatisfy { $0.fields == nil })

    let report = try await setup.verify()
    #expect(report.isCertified, "\(report.typedFindings.map(\.message))")
    #expect(report.summary.errors == 0)
    let comparison = try #require(report.inventory?.comparison)
    #expect(comparison.objectsCompared > 5)
    #expect(comparison.fieldsCompared > 50)
    #expect(comparison.filesCompared == stored)
    #expect(
      TextReportRenderer(colour: false).verdictLine(report).contains(
        "complete against the org's inventory of \(try #require(report.inventory).takenAt)"))
  }

  @Test func anObjectLeftOutOfTheExportIsAnErrorNamingItsCount() async throws {
    let setup = try OrgSetup { model in
      model.objects.append(Self.object("Project__c", prefix: "a0P", records: 7))
      // A standard object no export is known to hold: only a warning.
      model.objects.append(Self.object("Territory", prefix: "04T", records: 2))
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    #expect(!report.isCertified)
    let absent = findings(report, .orgObjectNotExported)
    let project = try #require(absent.first { $0.location.object == "Project__c" })
    #expect(project.severity == .error)
    #expect(project.message.contains("7 Project__c record(s) created by"))
    #expect(project.message.contains("Include all data"))
    let territory = try #require(absent.first { $0.location.object == "Territory" })
    #expect(territory.severity == .warning)
  }

  @Test func recordsCreatedBeforeTMustAllBeThereAndLaterOnesNeedNot() async throws {
    let setup = try OrgSetup { model in
      // Two Accounts created before T that the export lacks.
      model.withObject("Account") { $0.created[FakeOrgModel.longAgo, default: 0] += 2 }
      // Five Contacts created after T: not required.
      model.withObject("Contact") { $0.created["2026-12-03T08:00:00Z"] = 5 }
      // A Lead deleted since: the export holds one more than the org now has.
      model.withObject("Lead") { $0.created[FakeOrgModel.longAgo, default: 0] -= 1 }
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    let missing = findings(report, .orgRecordsMissing)
    #expect(missing.map(\.location.object) == ["Account"])
    #expect(missing.first?.severity == .error)
    #expect(missing.first?.message.contains("2 missing") == true)
    let deleted = findings(report, .orgRecordsDeleted)
    #expect(deleted.map(\.location.object) == ["Lead"])
    #expect(deleted.first?.severity == .info)
    #expect(report.summary.errors == 1)
  }

  @Test func aHiddenFieldIsAWarningWhileFormulaCompoundAndNeverWrittenFieldsAreRuledOut()
    async throws
  {
    let setup = try OrgSetup { model in
      model.withObject("Account") { account in
        account.fields += [
          FakeOrgModel.Field(name: "Secret__c", type: "string"),
          FakeOrgModel.Field(name: "Score__c", type: "double", calculated: true),
          FakeOrgModel.Field(name: "BillingAddress", type: "address"),
          FakeOrgModel.Field(name: "LastViewedDate", type: "datetime"),
          FakeOrgModel.Field(name: "PhotoUrl", type: "url"),
        ]
      }
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    let hidden = findings(report, .orgFieldNotExported)
    #expect(hidden.map(\.location.field) == ["Secret__c"])
    #expect(hidden.first?.severity == .warning)
    #expect(hidden.first?.message.contains("field-level security") == true)
    #expect(report.isCertified)
    let excluded = try #require(report.inventory?.comparison.fieldsExcluded)
    #expect(excluded.values.reduce(0, +) == 4)
    #expect(excluded.keys.contains { $0.contains("calculated") })
    #expect(excluded.keys.contains { $0.contains("compound") })
    #expect(excluded.keys.contains { $0.contains("never written") })

    // A policy that asks for complete fields makes it an error.
    let policy = setup.directory.file("policy.yaml")
    try "fields: complete\n".write(toFile: policy, atomically: true, encoding: .utf8)
    var options = VerificationOptions()
    try PolicyLoader.load(path: policy).apply(to: &options)
    let strict = try await setup.verify(options)
    #expect(findings(strict, .orgFieldNotExported).first?.severity == .error)
    #expect(!strict.isCertified)
  }

  @Test func aFileTheOrgStoresIsMissingOrDiffersFromTheOrgsChecksum() async throws {
    let setup = try OrgSetup { model in
      model.contentVersions[0].checksum = String(repeating: "0", count: 32)
      model.contentVersions.append(
        FakeOrgModel.ContentVersion(
          id: try! #require(RecordId.withChecksum("068000000000ZZZ")),
          documentId: "069000000000ZZZAAA", checksum: String(repeating: "a", count: 32),
          size: 1234, createdDate: FakeOrgModel.longAgo))
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    let absent = findings(report, .orgFileNotExported)
    #expect(absent.count == 1)
    #expect(absent.first?.location.recordId?.hasPrefix("068000000000ZZZ") == true)
    let differs = findings(report, .fileChecksumMismatch)
    #expect(differs.count == 1)
    #expect(differs.first?.message.contains(OrgInventory.fileName) == true)
    #expect(!report.isCertified)
  }

  @Test func anExportWithoutFilesAgainstAnOrgThatStoresThemIsOneFinding() async throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    let model = FakeOrgModel.matching(export)
    export.tables.removeAll { $0.name == "ContentVersion" }
    export.files.removeAll { $0.folder == "ContentVersion" }
    let parts = directory.file("parts")
    _ = try FixtureWriter.writeParts(export, to: parts)
    let org = try FakeOrg(serving: parts, model: model)
    defer { org.stop() }
    var options = InventoryTaker.Options(asOf: Date(), asOfSource: "test")
    options.retryDelay = 0.01
    let inventory = try await InventoryTaker(options: options).take(
      session: SalesforceSession(instanceURL: org.instanceURL, accessToken: org.token))
    var verifyOptions = VerificationOptions()
    verifyOptions.inventory = inventory
    let report = try ExportVerifier(options: verifyOptions).verify(paths: [parts])
    let absent = findings(report, .orgFileNotExported)
    #expect(absent.count == 1)
    #expect(absent.first?.message.contains("Include Salesforce Files") == true)
    // The object itself is reported missing too, as the org holds its records.
    #expect(
      findings(report, .orgObjectNotExported).contains { $0.location.object == "ContentVersion" })
  }

  @Test func anInventoryUserWithoutViewAllDataLimitsTheClaim() async throws {
    let setup = try OrgSetup { model in
      model.permissions["PermissionsViewAllData"] = false
      model.permissions["PermissionsQueryAllFiles"] = false
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    let limited = findings(report, .orgInventoryLimited)
    #expect(limited.count == 1, "\(limited.map(\.message))")
    #expect(limited.first?.severity == .warning)
    #expect(limited.first?.message.contains("View All Data") == true)
    #expect(limited.first?.message.contains("Query All Files") == true)
    #expect(report.isCertified)
  }

  @Test func aCountThatTimesOutFallsBackToTheApproximateCount() async throws {
    var faults = FakeOrg.Faults()
    faults.countTimeout = ["Account"]
    let setup = try OrgSetup(faults: faults) { model in
      model.withObject("Contact") { $0.approximate = 1_000 }
      model.withObject("Account") { $0.approximate = $0.total + 1 }
    }
    defer { setup.org.stop() }
    let inventory = try await setup.take()
    let account = try #require(inventory.objects.first { $0.name == "Account" })
    #expect(account.count.asOf == nil)
    #expect(account.count.asOfUnavailable == "QUERY_TIMEOUT")
    #expect(
      account.count.approximate == (try #require(setup.export.table("Account")).rows.count + 1))
    let report = try await setup.verify()
    // One more than the export against an approximation is within the tolerance.
    #expect(findings(report, .orgRecordsMissing).isEmpty)
    #expect(report.isCertified)
  }

  @Test func anApproximateCountFarAboveTheExportIsOnlyAWarning() async throws {
    var faults = FakeOrg.Faults()
    faults.countTimeout = ["Account"]
    let setup = try OrgSetup(faults: faults) { model in
      model.withObject("Account") { $0.approximate = 10_000 }
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    let missing = findings(report, .orgRecordsMissing)
    #expect(missing.count == 1)
    #expect(missing.first?.severity == .warning)
    #expect(missing.first?.message.contains("approximate") == true)
    #expect(report.isCertified)
  }

  @Test func theFileListIsReadPageByPage() async throws {
    var faults = FakeOrg.Faults()
    faults.queryPageSize = 2
    let setup = try OrgSetup(faults: faults)
    defer { setup.org.stop() }
    let inventory = try await setup.take()
    let stored = setup.export.files.filter { $0.folder == "ContentVersion" }.count
    #expect(inventory.contentFiles?.count == stored)
    let pages = setup.org.apiRequests.filter { $0.contains("/query/01g") }
    #expect(pages.count == (stored + 1) / 2 - 1)
  }

  @Test func aNextPageOnAnotherHostIsNeverRequested() async throws {
    var faults = FakeOrg.Faults()
    faults.queryPageSize = 2
    faults.foreignNextRecordsUrl = true
    let setup = try OrgSetup(faults: faults)
    defer { setup.org.stop() }
    let inventory = try await setup.take()
    #expect(inventory.contentFiles == nil)
    #expect(inventory.problems.contains { $0.contains("refused to request") })
    let report = try await setup.verify()
    #expect(findings(report, .orgInventoryLimited).first?.message.contains("no list") == true)
  }

  @Test func aSessionThatExpiresMidwayFailsTheInventoryWithoutTheToken() async throws {
    var faults = FakeOrg.Faults()
    faults.expireAfterAPIRequests = 6
    let setup = try OrgSetup(faults: faults)
    defer { setup.org.stop() }
    do {
      _ = try await setup.take()
      Issue.record("an expired session must fail the inventory")
    } catch let failure as InventoryTaker.Failure {
      #expect(failure.kind == .sessionRejected)
      #expect(failure.description.contains("log in again"))
      #expect(!failure.description.contains(setup.org.token))
    }
  }

  @Test func anInventoryOfAnotherOrgIsRefusedAsEvidence() async throws {
    let setup = try OrgSetup { model in
      model.user["organization_id"] = "00D000000000001AAA"
      model.withObject("Account") { $0.created[FakeOrgModel.longAgo, default: 0] += 50 }
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    #expect(findings(report, .orgInventoryMismatch).count == 1)
    // Nothing else is judged against another org's counts.
    #expect(findings(report, .orgRecordsMissing).isEmpty)
    #expect(!report.isCertified)
    #expect(!TextReportRenderer(colour: false).verdictLine(report).contains("inventory"))
  }

  @Test func anInventoryTakenDaysAfterTheExportIsStale() async throws {
    let setup = try OrgSetup()
    defer { setup.org.stop() }
    var inventory = try await setup.take()
    inventory.takenAt = "2026-12-06T00:00:00Z"
    var options = VerificationOptions()
    options.inventory = inventory
    let report = try ExportVerifier(options: options).verify(paths: [setup.parts])
    let stale = findings(report, .orgInventoryStale)
    #expect(stale.count == 1)
    #expect(stale.first?.message.contains("5 day(s) after") == true)
    #expect(report.isCertified)
  }

  @Test func theCertificateBindsTheInventoryAndCheckRefusesAnother() async throws {
    let setup = try OrgSetup()
    defer { setup.org.stop() }
    let report = try await setup.verify()
    let statement = try #require(VerificationStatement(report: report))
    let claim = try #require(statement.predicate.inventory)
    let path = (setup.parts as NSString).appendingPathComponent(OrgInventory.fileName)
    #expect(claim.digest["sha256"] == (try PartHasher.sha256Hex(ofFileAt: path)))
    #expect(claim.asOf == OrgSetup.asOf)
    let certificate = setup.directory.file("certificate.json")
    try statement.encoded().write(to: URL(fileURLWithPath: certificate))
    let held = try CertificateCheck().check(
      certificatePath: certificate, paths: [setup.parts], publicKeyPath: nil)
    #expect(held.passed, "\(held.problems)")
    #expect(held.inventoryChecked == path)
    // Another inventory beside the same parts is not the one certified.
    var other = try OrgInventory.load(path: path)
    other.objects.removeAll { $0.name == "Account" }
    try other.save(to: path)
    let refused = try CertificateCheck().check(
      certificatePath: certificate, paths: [setup.parts], publicKeyPath: nil)
    #expect(!refused.passed)
    #expect(refused.problems.contains { $0.contains("not the inventory certified") })
  }

  @Test func everyReportFormatCarriesTheInventoryFindings() async throws {
    let setup = try OrgSetup { model in
      model.withObject("Account") { $0.created[FakeOrgModel.longAgo, default: 0] += 3 }
      model.withObject("Contact") {
        $0.fields.append(FakeOrgModel.Field(name: "Hidden__c", type: "string"))
      }
    }
    defer { setup.org.stop() }
    let report = try await setup.verify()
    for format in ReportFormat.allCases {
      let text = try format.render(report)
      #expect(text.contains("org-records-missing"), "\(format)")
      #expect(text.contains("org-field-not-exported") || format == .text, "\(format)")
      #expect(text.contains("3 missing"), "\(format)")
    }
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report).utf8))
        as? [String: Any])
    let inventory = try #require(json["inventory"] as? [String: Any])
    #expect(inventory["asOf"] as? String == OrgSetup.asOf)
  }

  @Test func aCorruptInventoryStopsTheRunRatherThanBeingIgnored() throws {
    let directory = TemporaryDirectory()
    let parts = directory.file("parts")
    _ = try FixtureWriter.writeParts(smallExport(), to: parts)
    try "{\"format\": 1, \"objects\": 3}".write(
      toFile: (parts as NSString).appendingPathComponent(OrgInventory.fileName), atomically: true,
      encoding: .utf8)
    #expect(throws: BundleLocator.InputError.self) {
      try ExportVerifier().verify(paths: [parts])
    }
  }
}

/// The inventory file itself: what is saved is what is read back.
@Suite struct OrgInventoryFileTests {
  @Test func aSavedInventoryReadsBackEqualWhateverItsStringsHold() throws {
    let directory = TemporaryDirectory()
    let path = directory.file(OrgInventory.fileName)
    let inventory = OrgInventory(
      takenAt: "2026-12-05T09:00:00Z", asOf: "2026-12-04T10:00:00Z", asOfSource: "test",
      instance: "https://acme.my.salesforce.com", apiVersion: "v62.0",
      user: .init(username: "a\"b@example.com"), permissions: .init(viewAllData: true),
      objects: [
        OrgInventory.Object(name: "Account", keyPrefix: "001", custom: false, count: .init(asOf: 3))
      ],
      contentFiles: [
        OrgInventory.ContentFile(
          id: "068000000000001AAA", contentDocumentId: "069\"\\\n\u{01}é", checksum: nil,
          size: 12),
        OrgInventory.ContentFile(
          id: "068000000000002AAA", contentDocumentId: nil,
          checksum: String(repeating: "a", count: 32), size: nil),
      ], problems: ["none"])
    try inventory.save(to: path)
    #expect(try OrgInventory.load(path: path) == inventory)
    // Without a file list, none is invented.
    var noFiles = inventory
    noFiles.contentFiles = nil
    try noFiles.save(to: path)
    #expect(try OrgInventory.load(path: path).contentFiles == nil)
    // An empty list stays an empty list.
    noFiles.contentFiles = []
    try noFiles.save(to: path)
    #expect(try OrgInventory.load(path: path).contentFiles == [])
  }
}
