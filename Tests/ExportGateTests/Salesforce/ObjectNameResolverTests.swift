import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Object names people type match in any case; typos get a suggestion and are named as the
/// person's own mistake.
@Suite struct ObjectNameResolverTests {
  let names = ObjectNameResolver(objects: ["Account", "Contact", "Invoice__c"])

  @Test func namesMatchInAnyCaseAndComeBackAsTheExportSpellsThem() {
    #expect(names.resolve("contact") == .found("Contact"))
    #expect(names.resolve("INVOICE__C") == .found("Invoice__c"))
  }

  @Test func aTypoGetsTheClosestName() {
    #expect(names.resolve("Contcat") == .absent(suggestion: "Contact", isKnownObject: false))
    #expect(names.resolve("Acount") == .absent(suggestion: "Account", isKnownObject: false))
    // Close to a standard object the export does not hold: still a typo.
    #expect(names.resolve("Opportunty") == .absent(suggestion: "Opportunity", isKnownObject: false))
  }

  @Test func aRealObjectThatIsAbsentIsNotATypo() {
    #expect(names.resolve("lead") == .absent(suggestion: nil, isKnownObject: true))
    #expect(names.resolve("Quux__c") == .absent(suggestion: nil, isKnownObject: false))
  }
}

@Suite struct ObjectNamesInVerifyTests {
  @Test func requiredObjectsMatchInAnyCase() throws {
    var options = VerificationOptions()
    options.requiredObjects = ["opportunity", "ACCOUNT"]
    let report = try verifyFixture(smallExport(), options: options)
    #expect(findings(report, .objectMissing).isEmpty)
    expectOnlyRealExportQuirks(report)
  }

  @Test func aTypoInTheRequiredObjectsIsThePersonsMistake() throws {
    let directory = TemporaryDirectory()
    try FixtureWriter.writeParts(smallExport(), to: directory.path)
    var options = VerificationOptions()
    options.requiredObjects = ["Contcat"]
    options.requiredObjectsSource = "--require"
    #expect {
      try ExportVerifier(options: options).verify(paths: [directory.path])
    } throws: { error in
      let typos = error as? UnknownObjectNames
      return typos?.names == [.init(name: "Contcat", source: "--require", suggestion: "Contact")]
        && typos?.allFromFlags == true
    }
  }

  @Test func anAbsentObjectThatIsNoTypoIsStillObjectMissing() throws {
    var options = VerificationOptions()
    options.requiredObjects = ["Quux__c", "Product2"]
    let report = try verifyFixture(smallExport(), options: options)
    #expect(
      Set(findings(report, .objectMissing).compactMap(\.location.object)) == [
        "Quux__c", "Product2",
      ])
  }

  @Test func countsFilesMatchInAnyCaseAndReportTheExportsSpelling() throws {
    let export = smallExport()
    var options = VerificationOptions()
    let accounts = try #require(export.table("Account")).rows.count
    options.expectedCounts = ExpectedCounts(
      counts: ["account": accounts, "contact": 1], source: "counts.csv")
    let report = try verifyFixture(export, options: options)
    let mismatches = findings(report, .countMismatch)
    #expect(mismatches.map(\.location.object) == ["Contact"])
  }

  @Test func aCSVRenamedToLowerCaseIsFoundAndNamedAsRenamed() throws {
    var export = smallExport()
    var accounts = try #require(export.table("Account"))
    accounts.name = "account"
    export.tables.removeAll { $0.name == "Account" }
    export.tables.insert(accounts, at: 0)
    let report = try verifyFixture(export)
    #expect(report.objects.contains { $0.name == "Account" && $0.records == accounts.rows.count })
    #expect(!report.objects.contains { $0.name == "account" })
    let renamed = try #require(findings(report, .objectNameChanged).first)
    #expect(renamed.severity == .warning)
    #expect(renamed.location.entry == "account.csv")
    #expect(findings(report, .objectMissing).isEmpty)
    #expect(report.isCertified)
  }
}

@Suite(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct ObjectNameCommandTests {
  let example = SharedCorpus.projectRoot + "/Fixtures/example"

  @Test func aTypoInRequireIsAUsageErrorWithASuggestion() throws {
    let run = try ExportGateBinary.run(["verify", example, "--require", "Contcat"])
    #expect(run.status == 64)
    #expect(run.standardError.contains("did you mean Contact?"))
    #expect(!run.standardOutput.contains("object-missing"))
  }

  @Test func requireInAnyCaseCertifies() throws {
    let run = try ExportGateBinary.run(["verify", example, "--require", "opportunity,account"])
    #expect(run.status == 0, "\(run.standardError)")
  }

  @Test func anEmptyRequireIsAUsageError() throws {
    let run = try ExportGateBinary.run(["verify", example, "--require", ""])
    #expect(run.status == 64)
    #expect(run.standardError.contains("--require needs object names"))
  }

  @Test func catWithATypoIsAUsageError() throws {
    let run = try ExportGateBinary.run(["cat", example, "--object", "Contcat"])
    #expect(run.status == 64)
    #expect(run.standardError.contains("did you mean Contact?"))
    let found = try ExportGateBinary.run(["cat", example, "--object", "contact", "--format", "csv"])
    #expect(found.status == 0)
  }

  @Test func diffFailIfOnAnUnknownObjectIsAUsageError() throws {
    let run = try ExportGateBinary.run([
      "diff", example, example, "--fail-if", "Contcat.removed > 1",
    ])
    #expect(run.status == 64)
    #expect(run.standardError.contains("did you mean Contact?"))
    let ok = try ExportGateBinary.run([
      "diff", example, example, "--fail-if", "contact.removed > 1",
    ])
    #expect(ok.status == 0, "\(ok.standardError)")
  }
}
