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

  @Test(arguments: [
    [], ["fetch"], ["inventory"], ["verify"], ["restore"], ["diff"], ["inspect"], ["cat"],
    ["policy"],
    ["policy", "init"], ["policy", "check"], ["key"], ["key", "generate"], ["certificate"],
    ["certificate", "check"],
  ])
  func everyHelpListsItsExitCodes(command: [String]) throws {
    let run = try ExportGateBinary.run(command + ["--help"], timeoutSeconds: 20)
    #expect(run.status == 0)
    let help = run.standardOutput.replacingOccurrences(of: "\n", with: " ")
    #expect(help.contains("Exit code"), "\(command): \(run.standardOutput)")
    // The first thing after the overview is one example to run.
    let afterOverview = run.standardOutput.components(separatedBy: "\n\n").dropFirst().first ?? ""
    #expect(afterOverview.hasPrefix("Example: exportgate"), "\(command): \(run.standardOutput)")
  }

  @Test func quietNeverPointsAtErrorsAboveThatItDidNotPrint() throws {
    let run = try ExportGateBinary.run(
      ["verify", example, "--require", "Account,Solution", "--quiet", "--no-color"],
      timeoutSeconds: 60)
    #expect(run.status == 1)
    #expect(!run.standardOutput.contains("above"), "\(run.standardOutput)")
    #expect(run.standardOutput.contains("run without --quiet"))
  }

  @Test func mdIsAReportFormatAndAnUnknownOneListsTheFormats() throws {
    let directory = TemporaryDirectory()
    let markdown = directory.file("report.markdown-file")
    let run = try ExportGateBinary.run(
      ["verify", example, "--quiet", "--report", "md:\(markdown)"], timeoutSeconds: 60)
    #expect(run.status == 0, "\(run.standardError)")
    #expect(try String(contentsOfFile: markdown, encoding: .utf8).hasPrefix("## ExportGate"))
    let unknown = try ExportGateBinary.run(
      ["verify", example, "--report", "pdf:\(directory.file("r.pdf"))"], timeoutSeconds: 60)
    #expect(unknown.status == 64)
    #expect(unknown.standardError.contains("markdown (or md)"))
  }

  @Test func aCustomObjectTypedWithoutItsSuffixIsSuggested() throws {
    let run = try ExportGateBinary.run(
      ["verify", example, "--require", "Invoice"], timeoutSeconds: 60)
    #expect(run.status == 64)
    #expect(run.standardError.contains("did you mean Invoice__c?"), "\(run.standardError)")
  }

  @Test func keysGivenTheWrongWayRoundAreNamedAsSuch() throws {
    let directory = TemporaryDirectory()
    let key = directory.file("signer")
    let generated = try ExportGateBinary.run(["key", "generate", key], timeoutSeconds: 20)
    #expect(generated.status == 0, "\(generated.standardError)")
    let certificate = directory.file("cert.json")
    let publicAsPrivate = try ExportGateBinary.run(
      ["verify", example, "--quiet", "--certificate", certificate, "--sign-key", key + ".pub"],
      timeoutSeconds: 60)
    #expect(publicAsPrivate.status == 2)
    #expect(publicAsPrivate.standardError.contains("is a public key"))
    #expect(!publicAsPrivate.standardError.contains("chmod"))
    let signed = try ExportGateBinary.run(
      ["verify", example, "--quiet", "--certificate", certificate, "--sign-key", key],
      timeoutSeconds: 60)
    #expect(signed.status == 0, "\(signed.standardError)")
    // verify says where the certificate went and what it names.
    #expect(signed.standardError.contains("certificate written to \(certificate)"))
    #expect(signed.standardError.contains("2 part(s) by SHA-256"))
    let privateAsPublic = try ExportGateBinary.run(
      ["certificate", "check", certificate, example, "--public-key", key], timeoutSeconds: 60)
    #expect(privateAsPublic.status == 2)
    #expect(privateAsPublic.standardError.contains("this is a private key"))
  }

  @Test func policyCheckExitsTwoWhenTheFileCannotBeRead() throws {
    let directory = TemporaryDirectory()
    let missing = try ExportGateBinary.run(
      ["policy", "check", directory.file("absent.yaml")], timeoutSeconds: 20)
    #expect(missing.status == 2, "\(missing.standardError)")
    let invalid = directory.file("bad.yaml")
    try "requiredObjects: 5\n".write(toFile: invalid, atomically: true, encoding: .utf8)
    let wrong = try ExportGateBinary.run(["policy", "check", invalid], timeoutSeconds: 20)
    #expect(wrong.status == 1, "\(wrong.standardError)")
  }

  @Test func catWithoutAnObjectPrintsItsUsage() throws {
    let run = try ExportGateBinary.run(["cat", example], timeoutSeconds: 20)
    #expect(run.status == 64)
    #expect(run.standardError.contains("--object"))
    #expect(run.standardError.contains("Usage: exportgate cat"), "\(run.standardError)")
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func diffShowsProgressOnATerminalOnly() throws {
    let binary = try #require(ExportGateBinary.path)
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    let onTerminal = try ExportGateBinary.run(
      [
        "EXPORTGATE_PROGRESS_AFTER=0", "/usr/bin/script", "-qec",
        "\(binary) diff \(example) \(example)", "/dev/null",
      ], binary: "/usr/bin/env")
    #expect(onTerminal.status == 0, "\(onTerminal.standardOutput)")
    #expect(onTerminal.standardOutput.contains("ETA"), "\(onTerminal.standardOutput)")
    #expect(onTerminal.standardOutput.contains("IDENTICAL"))
    let piped = try ExportGateBinary.run(
      ["EXPORTGATE_PROGRESS_AFTER=0", binary, "diff", example, example], binary: "/usr/bin/env")
    #expect(!piped.standardError.contains("ETA"), "no progress into logs")
  }

  @Test func diffWritesHTMLAndMarkdownReports() throws {
    let directory = TemporaryDirectory()
    let html = directory.file("diff.html")
    let markdown = directory.file("diff.md")
    let run = try ExportGateBinary.run(
      ["diff", example, example, "--report", html, "--report", "markdown:" + markdown],
      timeoutSeconds: 60)
    #expect(run.status == 0, "\(run.standardError)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("IDENTICAL"))
    #expect(page.contains("class=\"banner pass\""))
    let table = try String(contentsOfFile: markdown, encoding: .utf8)
    #expect(!table.contains("**0**"), "zero counts are not bold")
    let format = try ExportGateBinary.run(
      ["diff", example, example, "--format", "html"], timeoutSeconds: 60)
    #expect(format.standardOutput.hasPrefix("<!DOCTYPE html>"))
    let refused = try ExportGateBinary.run(
      ["diff", example, example, "--report", "pdf:x.pdf"], timeoutSeconds: 20)
    #expect(refused.status == 64)
  }

  @Test func headerOnlyObjectsAreNamedInEveryFormat() throws {
    let report = try verifyFixture(smallExport())
    let headerOnly = report.objects.filter { $0.records == 0 }.map(\.name)
    #expect(!headerOnly.isEmpty)
    let text = TextReportRenderer(colour: false).render(report)
    let markdown = MarkdownReportRenderer.render(report)
    let html = HTMLReportRenderer.render(report)
    let junit = JUnitReportRenderer.render(report)
    let json = try JSONReportRenderer.render(report)
    for name in headerOnly {
      #expect(text.contains(name), "text: \(name)")
      #expect(markdown.contains(name), "markdown: \(name)")
      #expect(html.contains("<span class=\"chip\">\(name)</span>"), "html: \(name)")
      #expect(
        junit.contains("name=\"\(name)\">\n      <system-out>header only"), "junit: \(name)")
      #expect(json.contains("\"name\" : \"\(name)\""), "json: \(name)")
    }
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

/// Times read the same in every JSON the tool writes.
@Suite struct InspectTimesTests {
  @Test func inspectWritesEntryTimesInISO8601AsVerifyDoes() throws {
    let example = SharedCorpus.projectRoot + "/Fixtures/example"
    let bundle = try BundleLocator.locate([example])
    let ingest = BundleScanner(bundle: bundle).scan(visitor: CollectingVisitor())
    let part = try #require(ingest.parts.first)
    let json = try JSONEncoder().encode(part)
    let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    let newest = try #require(object["newestEntry"] as? String)
    #expect(ISO8601DateFormatter().date(from: newest) != nil)
    #expect(try JSONDecoder().decode(PartSummary.self, from: json) == part)
  }

  /// A mistyped command is answered with the one meant and its usage, not the top level's.
  @Test func aMistypedCommandGetsTheCommandMeant() throws {
    let run = try ExportGateBinary.run(["verfy", "backup/"])
    #expect(run.status == 64)
    #expect(run.standardError.contains("Did you mean 'verify'?"), "\(run.standardError)")
    #expect(run.standardError.contains("exportgate verify --help"))
    let restore = try ExportGateBinary.run(["restroe"])
    #expect(restore.standardError.contains("Did you mean 'restore'?"))
    // Far from every command: the parser's own message.
    let nothing = try ExportGateBinary.run(["xyzzyplugh"])
    #expect(nothing.status == 64)
    #expect(!nothing.standardError.contains("Did you mean"))
  }
}
