import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct ReportFormatTests {
  func refusedReport() throws -> VerificationReport {
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" || $0.folder == "Documents" }
    var table = try #require(export.table("Lead"))
    table.rows[0][0] = "bad<&>\"id"
    export.setTable(table)
    return try verifyFixture(export)
  }

  @Test(.enabled(if: ExportGateBinary.path != nil, "needs python3"))
  func junitIsReadByAJUnitConsumer() throws {
    let directory = TemporaryDirectory()
    let report = try refusedReport()
    let path = directory.file("junit.xml")
    try AtomicFile.write(JUnitReportRenderer.render(report), to: path)
    let script = """
      import sys, xml.etree.ElementTree as ET
      root = ET.parse(sys.argv[1]).getroot()
      assert root.tag == "testsuites", root.tag
      suites = root.findall("testsuite")
      names = [s.get("name") for s in suites]
      assert names == ["parts", "objects", "files", "references", "policy"], names
      total = failed = 0
      for s in suites:
          cases = s.findall("testcase")
          assert int(s.get("tests")) == len(cases), s.get("name")
          fails = [c for c in cases if c.find("failure") is not None]
          assert int(s.get("failures")) == len(fails), s.get("name")
          total += len(cases); failed += len(fails)
      assert int(root.get("tests")) == total and int(root.get("failures")) == failed
      objects = {c.get("name"): c for c in root.find("testsuite[@name='objects']")}
      assert "id-invalid" in objects["Lead"].find("failure").get("message")
      files = {c.get("name"): c for c in root.find("testsuite[@name='files']")}
      assert files["Attachments"].find("failure") is not None
      assert files["Documents"].find("failure") is not None
      assert files["ContentVersion"].find("failure") is None
      print(total, failed)
      """
    let run = try ExportGateBinary.run(["python3", "-c", script, path], binary: "/usr/bin/env")
    #expect(run.status == 0, "\(run.standardError)")
  }

  /// A list cut short says where the rest is: the JSON report lists every finding kept.
  @Test func aCutListSaysHowToListTheRest() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.path)
    try FileManager.default.removeItem(atPath: paths[1])
    let report = try ExportVerifier().verify(paths: [directory.path])
    let text = TextReportRenderer(colour: false).render(report)
    let missing = try #require(report.summary.countsByCode["file-missing"])
    #expect(missing > 5)
    #expect(text.contains("... and \(missing - 5) more (--format json lists them"), "\(text)")
    #expect(report.summary.infos > 3)
    #expect(text.contains("; and \(report.summary.infos - 3) more (--format json lists them"))
    // And the JSON report does list them.
    let json = try JSONSerialization.jsonObject(
      with: Data(try JSONReportRenderer.render(report).utf8))
    let listed = ((json as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
    #expect(listed.filter { $0["code"] as? String == "file-missing" }.count == missing)
    #expect(listed.filter { $0["severity"] as? String == "info" }.count == report.summary.infos)
  }

  /// Every report names what was required and when the export was made, not only the JSON.
  @Test func reportsNameTheRequiredObjectsAndTheExportDate() throws {
    let directory = TemporaryDirectory()
    _ = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.path)
    var options = VerificationOptions()
    options.requiredObjects = ["Account", "Invoice__c", "Quote"]
    let report = try ExportVerifier(options: options).verify(paths: [directory.path])
    let newest = try #require(report.export.newestEntry)
    let text = TextReportRenderer(colour: false).render(report)
    #expect(text.contains("Exported: \(newest)"))
    #expect(
      text.contains("Required objects: Account, Invoice__c, Quote (missing: Quote)"), "\(text)")
    let html = HTMLReportRenderer.render(report)
    #expect(html.contains("exported \(newest)"))
    #expect(html.contains("Required objects: <code>Account</code> <code>Invoice__c</code>"))
    let json = try JSONSerialization.jsonObject(
      with: Data(try JSONReportRenderer.render(report).utf8))
    #expect(
      (json as? [String: Any])?["requiredObjects"] as? [String] == [
        "Account", "Invoice__c", "Quote",
      ])
  }

  @Test func markdownIsATicketReadySummary() throws {
    let markdown = MarkdownReportRenderer.render(try refusedReport())
    #expect(markdown.hasPrefix("## ExportGate: ❌ not certified"))
    #expect(markdown.contains("| Attachments/ |"))
    #expect(markdown.contains("`files-not-included`"))
  }

  @Test(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
  func oneRunWritesEveryReport() throws {
    let directory = TemporaryDirectory()
    let example = SharedCorpus.projectRoot + "/Fixtures/example"
    let run = try ExportGateBinary.run([
      "verify", example, "--format", "markdown", "--report", "json:" + directory.file("r.json"),
      "--report", "junit:" + directory.file("r.xml"), "--report", "text:" + directory.file("r.txt"),
      "--report", "markdown:" + directory.file("r.md"),
    ])
    #expect(run.status == 0)
    #expect(run.standardOutput.hasPrefix("## ExportGate"))
    for name in ["r.json", "r.xml", "r.txt", "r.md"] {
      #expect(FileManager.default.fileExists(atPath: directory.file(name)), "\(name)")
    }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty)
    let bad = try ExportGateBinary.run(["verify", example, "--report", "pdf:x.pdf"])
    #expect(bad.status == 64)
  }

  @Test(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
  func theGateEndToEnd() throws {
    let directory = TemporaryDirectory()
    let example = SharedCorpus.projectRoot + "/Fixtures/example"
    let key = directory.file("signer")
    #expect(try ExportGateBinary.run(["key", "generate", key]).status == 0)
    #expect(
      try ExportGateBinary.run(["key", "generate", key]).status == 2, "never overwrites a key")
    let certificate = directory.file("cert.json")
    let verify = try ExportGateBinary.run([
      "verify", example, "--certificate", certificate, "--sign-key", key,
    ])
    #expect(verify.status == 0)
    let check = try ExportGateBinary.run([
      "certificate", "check", certificate, example, "--public-key", key + ".pub",
    ])
    #expect(check.status == 0, "\(check.standardOutput)")
    let folder = directory.file("extracted")
    try FixtureWriter.writeFolder(smallExport(), to: folder)
    let none = try ExportGateBinary.run([
      "verify", folder, "--certificate", directory.file("x.json"),
    ])
    #expect(none.status == 0 && none.standardError.contains("extracted folder has none"))
    #expect(!FileManager.default.fileExists(atPath: directory.file("x.json")))
    let policy = directory.file("policy.yaml")
    #expect(try ExportGateBinary.run(["policy", "init", policy]).status == 0)
    #expect(try ExportGateBinary.run(["policy", "init", policy]).status == 2)
    #expect(try ExportGateBinary.run(["policy", "check", policy]).status == 0)
  }
}

@Suite struct HTMLReportTests {
  @Test(.enabled(if: PythonJSONSchema.available, "needs python3"))
  func htmlIsWellFormedAndSaysTheVerdict() throws {
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" || $0.folder == "Documents" }
    var table = try #require(export.table("Lead"))
    table.rows[0][0] = "<script>alert(1)</script>"
    export.setTable(table)
    let report = try verifyFixture(export)
    let html = HTMLReportRenderer.render(report)
    #expect(html.contains("NOT CERTIFIED"))
    #expect(!html.contains("<script>alert"), "values are escaped")
    #expect(html.contains("&lt;script&gt;"))
    let directory = TemporaryDirectory()
    let path = directory.file("report.html")
    try AtomicFile.write(html, to: path)
    let script = """
      import sys
      from html.parser import HTMLParser
      VOID = {"meta", "br", "img", "link", "input", "hr"}
      class Check(HTMLParser):
          def __init__(self):
              super().__init__(); self.stack = []; self.text = []
          def handle_starttag(self, tag, attrs):
              if tag not in VOID: self.stack.append(tag)
          def handle_endtag(self, tag):
              assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
              self.stack.pop()
          def handle_data(self, data): self.text.append(data)
      checker = Check(); checker.feed(open(sys.argv[1]).read()); checker.close()
      assert checker.stack == [], checker.stack
      text = "".join(checker.text)
      assert "files-not-included" in text and "Attachments/" in text
      """
    let run = try ExportGateBinary.run(["python3", "-c", script, path], binary: "/usr/bin/env")
    #expect(run.status == 0, "\(run.standardError)")
  }
}
