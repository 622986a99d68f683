import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The HTML reports in a real browser (headless Chromium, 1280x900): no console message, and
/// the verdict, its counts and what to do in the first screenful. Screenshots are kept under
/// `.build/screenshots/` for a person to look at.
@Suite(
  .serialized,
  .enabled(
    if: HeadlessBrowser.path != nil || SharedCorpus.isRequired,
    "needs chromium (apt-get install chromium; make test installs it)"))
struct BrowserRenderingTests {
  static let screenshots = SharedCorpus.projectRoot + "/.build/screenshots"

  func render(_ html: String, named name: String) throws -> HeadlessBrowser.Rendering {
    _ = try #require(HeadlessBrowser.path, "CI installs chromium (scripts/ensure-test-tools)")
    try FileManager.default.createDirectory(
      atPath: Self.screenshots, withIntermediateDirectories: true)
    let screenshot = Self.screenshots + "/\(name).png"
    try? FileManager.default.removeItem(atPath: screenshot)
    let rendering = try HeadlessBrowser.render(
      html: html, ids: ["verdict", "what-to-do"], screenshot: screenshot)
    let attributes = try? FileManager.default.attributesOfItem(atPath: screenshot)
    let size = (attributes?[.size] as? Int) ?? 0
    #expect(size > 10_000, "a screenshot of \(name) was saved")
    #expect(rendering.console.isEmpty, "\(rendering.console)")
    #expect(rendering.placement["verdict"] == "visible", "\(rendering.placement)")
    #expect(rendering.placement["what-to-do"] == "visible", "\(rendering.placement)")
    return rendering
  }

  @Test func aRefusedReportShowsVerdictCauseAndWhatToDoAtOnce() throws {
    let report = try HTMLScenarios.refusedWithUnreadablePart()
    let rendering = try render(HTMLReportRenderer.render(report), named: "verify-refused")
    let cause = try #require(report.typedFindings.first { $0.severity == .error })
    let text = rendering.text
    #expect(text.contains("NOT CERTIFIED"))
    #expect(text.contains("\(report.summary.errors) error"))
    #expect(text.contains(try #require(cause.location.part)))
  }

  /// The example with its second part cut, as an admin sees it: the Parts chart draws only
  /// the cut part in red, and no label or note of any chart is cut at its edge.
  @Test func theCutPartAloneIsRedAndEveryChartLabelFits() throws {
    let directory = TemporaryDirectory()
    let paths = try ExampleExport.writeWithSecondPartCut(to: directory.path)
    let report = try ExportVerifier().verify(paths: [directory.path])
    let rendering = try render(HTMLReportRenderer.render(report), named: "verify-part-cut")
    #expect(rendering.clipped.isEmpty, "\(rendering.clipped)")
    let (intact, cut) = (
      (paths[0] as NSString).lastPathComponent, (paths[1] as NSString).lastPathComponent
    )
    let red = "rgb(207, 34, 46)"
    let bars = rendering.partBars
    #expect(bars.contains { $0.hasPrefix(cut) && $0.hasSuffix(red) }, "\(bars)")
    #expect(bars.contains { $0.hasPrefix(intact) && !$0.hasSuffix(red) }, "\(bars)")
    #expect(!bars.contains { $0.hasPrefix(intact) && $0.hasSuffix(red) }, "\(bars)")
  }

  @Test func aCertifiedReportWithWarningsSaysSo() throws {
    let report = try HTMLScenarios.certifiedWithWarnings()
    let rendering = try render(HTMLReportRenderer.render(report), named: "verify-certified")
    #expect(rendering.text.contains("CERTIFIED with \(report.summary.warnings) warning"))
    #expect(rendering.text.contains("Records per object"))
  }

  @Test func aReportAgainstTheOrgLeadsWithWhatTheOrgHoldsAndNamesItsInventory() throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    let folder = directory.file("parts")
    _ = try FixtureWriter.writeParts(export, to: folder)
    // The org held 4 more Accounts than the export has, and an object it left out.
    var objects = export.tables.map { table in
      OrgInventory.Object(
        name: table.name, keyPrefix: nil, custom: table.name.hasSuffix("__c"),
        count: .init(asOf: table.rows.count + (table.name == "Account" ? 4 : 0)))
    }
    objects.append(
      OrgInventory.Object(
        name: "Project__c", keyPrefix: "a0P", custom: true, count: .init(asOf: 12)))
    let inventory = OrgInventory(
      takenAt: "2026-12-05T09:00:00Z", asOf: "2026-12-04T10:00:00Z", asOfSource: "test",
      instance: "https://acme.my.salesforce.com", apiVersion: "v62.0",
      user: .init(username: "admin@acme.com", organizationId: export.orgId),
      permissions: .init(viewAllData: true, queryAllFiles: true), objects: objects,
      contentFiles: [])
    let path = directory.file(OrgInventory.fileName)
    try inventory.save(to: path)
    var options = VerificationOptions()
    options.inventory = inventory
    options.inventoryPath = path
    let report = try ExportVerifier(options: options).verify(paths: [folder])
    let rendering = try render(HTMLReportRenderer.render(report), named: "verify-against-org")
    let text = rendering.text
    #expect(text.contains("NOT CERTIFIED"))
    #expect(text.contains("org-object-not-exported"))
    #expect(text.contains("Project__c"))
    #expect(text.contains("In the org (by T)") || text.contains("IN THE ORG (BY T)"))
    #expect(text.contains("Org inventory") || text.contains("ORG INVENTORY"))
    #expect(text.contains("admin@acme.com"))
  }

  @Test func theDiffReportShowsWhatWasLost() throws {
    let rendering = try render(DiffRenderer.html(try HTMLScenarios.diff()), named: "diff")
    #expect(rendering.text.contains("DIFFERENT: 2 records removed"))
    #expect(rendering.text.contains("Contact lost 2 records"))
  }
}
