import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Reports whose HTML the tests look at: certified with warnings, refused because a part is
/// unreadable, and a diff.
enum HTMLScenarios {
  /// A healthy export with an extra, unclaimed file: certified, with warnings.
  static func certifiedWithWarnings() throws -> VerificationReport {
    try verifyFixture(
      smallExport(),
      extraEntries: [
        FixtureWriter.ExtraEntry(
          name: "Attachments/00P000000000999AAA", content: Array("stray".utf8))
      ])
  }

  /// The second part replaced by the login page a browser saved instead of the ZIP.
  static func refusedWithUnreadablePart() throws -> VerificationReport {
    var export = smallExport()
    export.maxPartBytes = 15_000
    return try verifyFixture(export) { paths, _ in
      try Data("<!DOCTYPE html><html><title>Login | Salesforce</title></html>".utf8).write(
        to: URL(fileURLWithPath: paths[1]))
    }
  }

  static func diff() throws -> DiffReport {
    let directory = TemporaryDirectory()
    let old = smallExport()
    var new = old
    var contacts = try #require(new.table("Contact"))
    contacts.rows.removeLast(2)
    contacts.rows[0][contacts.header.firstIndex(of: "LastName") ?? 1] = "Changed"
    new.setTable(contacts)
    let oldPaths = try FixtureWriter.writeParts(old, to: directory.file("old"))
    let newPaths = try FixtureWriter.writeParts(new, to: directory.file("new"))
    var options = ExportDiffer.Options()
    options.examples = 3
    return try ExportDiffer(options: options).diff(old: oldPaths, new: newPaths)
  }
}

@Suite struct HTMLReportRendererTests {
  @Test func theBannerSaysVerdictCountsAndWhatToDoFromTheCause() throws {
    let report = try HTMLScenarios.refusedWithUnreadablePart()
    #expect(!report.isCertified)
    let html = HTMLReportRenderer.render(report)
    let banner = try #require(section(html, from: "<header", to: "</header>"))
    #expect(banner.contains("NOT CERTIFIED"))
    #expect(banner.contains("\(report.summary.errors) error"))
    #expect(banner.contains("\(report.summary.warnings) warning"))
    // The first thing to do is about the cause, the unreadable part, not its consequences.
    let actions = try #require(section(banner, from: "<ol", to: "</ol>"))
    let damaged = try #require(report.typedFindings.first { $0.severity == .error })
    #expect(damaged.location.part != nil)
    let firstAction = try #require(section(actions, from: "<li>", to: "</li>"))
    #expect(firstAction.contains(damaged.code.rawValue), "\(firstAction)")
    #expect(firstAction.contains(try #require(damaged.location.part)))
    // The damaged part stands out in the parts chart and its table row.
    let partsChart = try #require(section(html, from: "id=\"parts-chart\"", to: "</section>"))
    #expect(partsChart.contains("s-bad"))
    #expect(html.contains("<tr class=\"fail\"><td>\(try #require(damaged.location.part))"))
  }

  /// The example with its second part cut in half, as admins break it: only the cut part is
  /// damaged (part 1 lists rows whose files were in part 2, which is no damage to part 1), and
  /// the example's own dangling lookup (into Case, read whole from part 1) is not explained by
  /// the cut part, since the healthy export shows it too.
  @Test func onlyTheCutPartIsDrawnDamagedAndOnlyWhatItCanCauseIsLinkedToIt() throws {
    let directory = TemporaryDirectory()
    let paths = try ExampleExport.writeWithSecondPartCut(to: directory.path)
    let report = try ExportVerifier().verify(paths: [directory.path])
    let cut = try #require(findings(report, .partTruncated).first)
    let (intact, damaged) = (
      (paths[0] as NSString).lastPathComponent, (paths[1] as NSString).lastPathComponent
    )
    // Files listed by part 1's CSVs are missing: errors located in part 1, explained by part 2.
    #expect(findings(report, .fileMissing).contains { $0.location.part == intact })
    #expect(findings(report, .fileMissing).allSatisfy { $0.causedBy == cut.id })
    let dangling = try #require(findings(report, .referenceDangling).first)
    #expect(dangling.causedBy == nil)
    #expect(!cut.explains.contains { $0.code == .referenceDangling })

    let html = HTMLReportRenderer.render(report)
    #expect(html.contains("<tr class=\"fail\"><td>\(damaged)"))
    #expect(html.contains("<tr><td>\(intact)"), "part 1's row is not failing")
    let partsChart = try #require(section(html, from: "id=\"parts-chart\"", to: "</section>"))
    #expect(partsChart.components(separatedBy: "s-bad").count - 1 == 1, "\(partsChart)")
  }

  @Test func certifiedWithWarningsShowsChartsAndHeaderOnlyObjects() throws {
    let report = try HTMLScenarios.certifiedWithWarnings()
    #expect(report.isCertified)
    #expect(report.summary.warnings > 0)
    let html = HTMLReportRenderer.render(report)
    #expect(html.contains("CERTIFIED with \(report.summary.warnings) warning"))
    #expect(html.contains("class=\"banner pass\""))
    for chart in ["records-chart", "files-chart", "parts-chart"] {
      let card = try #require(section(html, from: "id=\"\(chart)\"", to: "</section>"), "\(chart)")
      #expect(card.contains("<svg class=\"chart\""), "\(chart)")
    }
    // One bar per object with records, and every header-only object named.
    let records = try #require(section(html, from: "id=\"records-chart\"", to: "</section>"))
    for object in report.objects.filter({ $0.records > 0 }).prefix(25) {
      #expect(records.contains(">\(object.name)</text>"), "\(object.name)")
    }
    for object in report.objects where object.records == 0 {
      #expect(records.contains("<span class=\"chip\">\(object.name)</span>"), "\(object.name)")
    }
    #expect(!html.contains("http://") && !html.contains("https://"), "nothing from the network")
  }

  @Test func everyFindingIsReachableOrSaysHowToListIt() throws {
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" }
    var options = VerificationOptions()
    options.maxFindingsPerCode = 1
    let report = try verifyFixture(export, options: options)
    let html = HTMLReportRenderer.render(report)
    for finding in report.typedFindings {
      #expect(html.contains(HTMLPage.escape(finding.message)), "\(finding.code)")
    }
    let capped = FindingOutline(report, includeInfo: true).groups.filter {
      $0.total > $0.findings.count
    }
    for group in capped {
      #expect(html.contains("run <code>exportgate verify --max-findings \(group.total)</code>"))
    }
    #expect(!html.contains("... and"), "no dead end")
    #expect(html.contains("id=\"finding-search\""))
  }

  @Test func expectedCountsPolicyAndCertificateAreShownWhenUsed() throws {
    let plain = HTMLReportRenderer.render(try verifyFixture(smallExport()))
    #expect(!plain.contains("id=\"evidence\""), "nothing to show when none is used")
    var options = VerificationOptions()
    options.expectedCounts = ExpectedCounts(counts: ["account": 999], source: "counts.csv")
    var report = try verifyFixture(smallExport(), options: options)
    let account = try #require(report.objects.first { $0.name == "Account" })
    #expect(account.expectedRecords == 999)
    report.certificate = VerificationReport.CertificateInfo(
      path: "cert.json", signed: true, subjects: 3)
    let html = HTMLReportRenderer.render(report)
    #expect(html.contains("<th class=\"n\">Expected</th>"))
    #expect(html.contains("<tr class=\"fail\"><td>Account</td>"), "fewer records than expected")
    let evidence = try #require(section(html, from: "id=\"evidence\"", to: "</section>"))
    #expect(evidence.contains("Expected counts"))
    #expect(evidence.contains("<code>cert.json</code>: signed (DSSE, Ed25519), naming 3 parts"))
  }

  @Test func valuesAreEscapedEverywhere() throws {
    var export = smallExport()
    var table = try #require(export.table("Lead"))
    table.rows[0][0] = "<img src=x onerror=alert(1)>"
    export.setTable(table)
    let html = HTMLReportRenderer.render(try verifyFixture(export))
    #expect(!html.contains("<img src=x"))
    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
  }

  @Test func theDiffReportDrawsWhatChanged() throws {
    let report = try HTMLScenarios.diff()
    let html = DiffRenderer.html(report)
    #expect(html.contains("DIFFERENT: 2 records removed"))
    #expect(html.contains("class=\"banner fail\""))
    let chart = try #require(section(html, from: "id=\"objects-chart\"", to: "</section>"))
    #expect(chart.contains(">Contact</text>"))
    #expect(chart.contains("s-remove") && chart.contains("s-change"))
    let fields = try #require(section(html, from: "id=\"fields-chart\"", to: "</section>"))
    #expect(fields.contains("Contact.LastName"))
    #expect(html.contains("<b>Contact</b> lost 2 records"))
  }

  @Test(.enabled(if: PythonJSONSchema.available, "needs python3"))
  func everyPageIsWellFormed() throws {
    let pages = [
      HTMLReportRenderer.render(try HTMLScenarios.certifiedWithWarnings()),
      HTMLReportRenderer.render(try HTMLScenarios.refusedWithUnreadablePart()),
      DiffRenderer.html(try HTMLScenarios.diff()),
    ]
    let directory = TemporaryDirectory()
    for (index, html) in pages.enumerated() {
      let path = directory.file("page\(index).html")
      try AtomicFile.write(html, to: path)
      let run = try ExportGateBinary.run(
        ["python3", "-c", HTMLValidity.script, path], binary: "/usr/bin/env")
      #expect(run.status == 0, "page \(index): \(run.standardError)")
    }
  }

  /// `tidy` (Debian's HTML checker), when installed: no error, no warning but the ones HTML5
  /// pages always get from it.
  @Test(
    .enabled(
      if: tidyPath != nil || SharedCorpus.isRequired,
      "needs tidy (apt-get install tidy; make test installs it)"))
  func tidyFindsNoErrors() throws {
    let tidy = try #require(tidyPath, "CI installs tidy (scripts/ensure-test-tools)")
    let directory = TemporaryDirectory()
    for (index, html) in [
      HTMLReportRenderer.render(try HTMLScenarios.refusedWithUnreadablePart()),
      DiffRenderer.html(try HTMLScenarios.diff()),
    ].enumerated() {
      let path = directory.file("page\(index).html")
      try AtomicFile.write(html, to: path)
      let run = try ExportGateBinary.run(["-errors", "-quiet", path], binary: tidy)
      // tidy exits 2 on errors, 1 on warnings only.
      let errors = run.standardError.split(separator: "\n").filter { $0.contains("Error:") }
      #expect(run.status != 2 && errors.isEmpty, "page \(index): \(run.standardError)")
    }
  }

  private func section(_ text: String, from start: String, to end: String) -> String? {
    guard let open = text.range(of: start),
      let close = text.range(of: end, range: open.upperBound..<text.endIndex)
    else { return nil }
    return String(text[open.lowerBound..<close.upperBound])
  }
}

let tidyPath = ["/usr/bin/tidy", "/usr/local/bin/tidy"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// A plain well-formedness check with Python's HTML parser: every element closed in order,
/// ids unique, the document declares its language, charset and title.
enum HTMLValidity {
  static let script = """
    import sys
    from html.parser import HTMLParser
    VOID = {"meta", "br", "img", "link", "input", "hr"}
    class Check(HTMLParser):
        def __init__(self):
            super().__init__(); self.stack = []; self.ids = set(); self.seen = set()
        def handle_starttag(self, tag, attrs):
            self.seen.add(tag)
            for name, value in attrs:
                if name == "id":
                    assert value not in self.ids, "duplicate id " + value
                    self.ids.add(value)
            if tag not in VOID: self.stack.append(tag)
        def handle_startendtag(self, tag, attrs):
            self.seen.add(tag)
        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
            self.stack.pop()
    text = open(sys.argv[1]).read()
    assert text.startswith("<!DOCTYPE html>")
    checker = Check(); checker.feed(text); checker.close()
    assert checker.stack == [], checker.stack
    assert {"html", "head", "meta", "title", "body", "main"} <= checker.seen, checker.seen
    assert '<html lang="en">' in text and '<meta charset="utf-8">' in text
    """
}
