import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Causes before consequences: the report leads with what explains the rest, in every format.
@Suite struct CauseLinkerTests {
  /// A multi-part export whose last part is an HTML login page saved as a ZIP.
  func reportWithAnUnreadableLastPart() throws -> (VerificationReport, FixtureExport) {
    var export = smallExport()
    export.maxPartBytes = 15_000
    var partCount = 0
    let report = try verifyFixture(export) { paths, _ in
      partCount = paths.count
      try FaultInjector.replaceWithLoginPage(paths[paths.count - 1])
    }
    #expect(partCount >= 3)
    return (report, export)
  }

  @Test func anUnreadablePartLeadsAndExplainsTheMissingFiles() throws {
    let (report, _) = try reportWithAnUnreadableLastPart()
    #expect(!report.isCertified)
    let cause = try #require(report.typedFindings.first)
    #expect(cause.code == .partUnreadable)
    let missing = findings(report, .fileMissing)
    #expect(!missing.isEmpty)
    #expect(missing.allSatisfy { $0.causedBy == cause.id })
    let explained = try #require(cause.explains.first { $0.code == .fileMissing })
    // The total, not the examples kept in the report.
    #expect(explained.count == report.summary.countsByCode["file-missing"])
    #expect(findings(report, .partUnreadable).count == 1)
  }

  @Test func anObjectTheOrgHoldsAndTheExportLeftOutExplainsItsOwnAbsence() throws {
    var export = smallExport()
    export.tables.removeAll { $0.name == "Opportunity" }
    let directory = TemporaryDirectory()
    let folder = directory.file("parts")
    _ = try FixtureWriter.writeParts(export, to: folder)
    var options = VerificationOptions()
    options.inventory = OrgInventory(
      takenAt: "2026-12-05T09:00:00Z", asOf: "2026-12-04T10:00:00Z", asOfSource: "test",
      instance: "https://acme.my.salesforce.com", apiVersion: "v62.0",
      user: .init(organizationId: export.orgId),
      permissions: .init(viewAllData: true, queryAllFiles: true),
      objects: [
        OrgInventory.Object(
          name: "Opportunity", keyPrefix: "006", custom: false, count: .init(asOf: 30))
      ], contentFiles: [])
    let report = try ExportVerifier(options: options).verify(paths: [folder])
    let cause = try #require(findings(report, .orgObjectNotExported).first)
    #expect(cause.severity == .error)
    // Opportunity is required by default: its object-missing is the same fact, nested.
    let missing = try #require(findings(report, .objectMissing).first)
    #expect(missing.location.object == "Opportunity")
    #expect(missing.causedBy == cause.id)
    #expect(cause.explains.contains { $0.code == .objectMissing })
    // The lookups into Opportunity that cannot resolve are its consequence too.
    for referenced in findings(report, .objectMissingReferenced)
    where referenced.location.object == "Opportunity" {
      #expect(referenced.causedBy == cause.id)
    }
  }

  @Test func theJSONCarriesIdsAndLinks() throws {
    let (report, _) = try reportWithAnUnreadableLastPart()
    let json = try JSONReportRenderer.render(report)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let listed = try #require(object["findings"] as? [[String: Any]])
    let first = try #require(listed.first)
    #expect(first["id"] as? String == "F1")
    #expect(first["code"] as? String == "part-unreadable")
    let explains = try #require(first["explains"] as? [[String: Any]])
    #expect(explains.contains { $0["code"] as? String == "file-missing" })
    #expect(
      listed.filter { $0["code"] as? String == "file-missing" }.allSatisfy {
        $0["causedBy"] as? String == "F1"
      })
    #expect(first["advice"] as? String == FindingCode.partUnreadable.advice)
  }

  @Test func everyFormatNestsTheConsequencesUnderTheCause() throws {
    let (report, _) = try reportWithAnUnreadableLastPart()
    let total = try #require(report.summary.countsByCode["file-missing"])
    let text = TextReportRenderer(colour: false).render(report)
    let findingsText = try #require(text.components(separatedBy: "\nFindings:").last)
    // The cause comes first; the missing files are nested under it, counted, and never
    // listed as a group of their own.
    #expect(findingsText.contains("ERROR part-unreadable"))
    #expect(findingsText.contains("explains \(total) file-missing:"))
    #expect(!findingsText.contains("ERROR file-missing"))
    let unreadableAt = try #require(findingsText.range(of: "part-unreadable"))
    let explainsAt = try #require(findingsText.range(of: "explains \(total) file-missing"))
    #expect(unreadableAt.lowerBound < explainsAt.lowerBound)

    let markdown = MarkdownReportRenderer.render(report)
    #expect(markdown.contains("  - explains \(total) `file-missing`:"))
    #expect(!markdown.contains("`file-missing`** ("))

    let html = HTMLReportRenderer.render(report)
    #expect(html.contains("<summary>explains \(total) file-missing"), "\(html)")
    #expect(!html.contains("<code>file-missing</code> ("))

    let junit = JUnitReportRenderer.render(report)
    #expect(junit.contains("explains \(total) file-missing:"))
    // No failure line of its own: only indented under the cause.
    #expect(!junit.contains("\n[error] file-missing") && !junit.contains(">[error] file-missing"))
  }

  @Test func aDamagedCSVExplainsTheLookupsIntoItsObject() throws {
    // User.csv cut inside a quoted value (as a bad copy would): the users after the cut are
    // gone, so lookups to them dangle, and the damaged CSV explains them.
    var export = smallExport()
    let users = try #require(export.table("User"))
    let text = FixtureWriter.csvText(users, lineEnding: .lf)
    let cut = try #require(text.range(of: users.rows[2][users.column("Username")]))
    let damaged = Array(text[..<cut.upperBound].utf8)
    export.tables.removeAll { $0.name == "User" }
    let report = try verifyFixture(
      export, extraEntries: [FixtureWriter.ExtraEntry(name: "User.csv", content: damaged)])
    #expect(!report.isCertified)
    let malformed = try #require(findings(report, .csvMalformed).first)
    #expect(malformed.location.object == "User")
    let dangling = findings(report, .referenceDangling).filter {
      $0.location.recordId?.hasPrefix("005") == true
    }
    #expect(!dangling.isEmpty)
    #expect(dangling.allSatisfy { $0.causedBy == malformed.id })
    #expect(malformed.explains.contains { $0.code == .referenceDangling })
    // The deleted-case lookup every generated export carries is not the CSV's doing.
    #expect(danglingBeyondTheQuirk(report).count == dangling.count)
  }
}
