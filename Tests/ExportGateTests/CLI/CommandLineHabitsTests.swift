import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The command line fits people's habits, and every output counts the same way.
@Suite(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct CommandLineHabitsTests {
  let example = SharedCorpus.projectRoot + "/Fixtures/example"

  @Test func noCommandIsAUsageError() throws {
    let run = try ExportGateBinary.run([], timeoutSeconds: 20)
    #expect(run.status == 64)
    #expect(run.standardError.contains("Usage: exportgate"))
  }

  @Test func quietPrintsTheVerdictLineWithItsWarnings() throws {
    let run = try ExportGateBinary.run(
      ["verify", example, "--quiet", "--no-color"], timeoutSeconds: 60)
    #expect(run.status == 0)
    let lines = run.standardOutput.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("CERTIFIED with 1 warning:") == true)
  }

  @Test func aReportPathsExtensionNamesItsFormat() throws {
    let directory = TemporaryDirectory()
    let json = directory.file("report.json")
    let junit = directory.file("report.xml")
    let run = try ExportGateBinary.run(
      ["verify", example, "--quiet", "--report", json, "--report", junit], timeoutSeconds: 60)
    #expect(run.status == 0, "\(run.standardError)")
    let object = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: json)))
    #expect((object as? [String: Any])?["verdict"] as? String == "certified")
    #expect(try String(contentsOfFile: junit, encoding: .utf8).hasPrefix("<?xml"))
  }

  @Test func inspectAndVerifyShareOneFindingShape() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    try FaultInjector.corruptEntryData(paths[0], entry: "Account.csv")
    let inspect = try ExportGateBinary.run(
      ["inspect", paths[0], "--format", "json"], timeoutSeconds: 60)
    let verify = try ExportGateBinary.run(
      ["verify", paths[0], "--format", "json"], timeoutSeconds: 60)
    func firstFinding(_ text: String) throws -> [String: Any] {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
      let findings = try #require(object["findings"] as? [[String: Any]])
      return try #require(findings.first { $0["code"] as? String == "entry-corrupt" })
    }
    let fromInspect = try firstFinding(inspect.standardOutput)
    let fromVerify = try firstFinding(verify.standardOutput)
    #expect(
      Set(fromInspect.keys).subtracting(["id", "causedBy", "explains"])
        == Set(fromVerify.keys).subtracting(["id", "causedBy", "explains"]))
    #expect(fromInspect["entry"] as? String == "Account.csv")
    #expect(fromInspect["advice"] as? String == FindingCode.entryCorrupt.advice)
  }

  @Test func catNumbersRecordsAsVerifyDoes() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    var leads = try #require(export.table("Lead"))
    leads.rows[4].append("extra")  // record 5 (the header is record 0) is ragged
    export.setTable(leads)
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let cat = try ExportGateBinary.run(
      ["cat", paths[0], "--object", "Lead", "--format", "csv"], timeoutSeconds: 60)
    let report = try ExportVerifier().verify(paths: paths)
    let malformed = try #require(findings(report, .csvMalformed).first)
    #expect(malformed.location.record == 5)
    #expect(cat.standardError.contains("record 5,"), "\(cat.standardError)")
  }
}

@Suite struct ReportTotalsTests {
  @Test func junitCountsAreTheTrueTotals() throws {
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" }
    var options = VerificationOptions()
    options.maxFindingsPerCode = 3
    let report = try verifyFixture(export, options: options)
    let total = try #require(report.summary.countsByCode["file-missing"])
    #expect(total > 3)
    let junit = JUnitReportRenderer.render(report)
    #expect(junit.contains("\(total) errors (3 listed)"), "\(junit)")
  }
}
