import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

enum PythonJSONSchema {
  /// Whether `python3` with the `jsonschema` package is available to validate reports.
  static let available: Bool = {
    guard
      let run = try? ExportGateBinary.run(
        ["python3", "-c", "import jsonschema"], binary: "/usr/bin/env")
    else { return false }
    return run.status == 0
  }()
}

@Suite(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct VerifyCommandTests {
  let example = SharedCorpus.projectRoot + "/Fixtures/example"

  @Test func theBundledExampleCertifiesWithExitZero() throws {
    let run = try ExportGateBinary.run(["verify", example])
    #expect(run.status == 0)
    #expect(run.standardOutput.contains("CERTIFIED"))
    #expect(!run.standardOutput.contains("\u{1B}["), "no colour when stdout is not a terminal")
  }

  @Test func aRefusedExportExitsOneAndJSONIsAloneOnStdout() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.files.removeAll { $0.folder == "Attachments" || $0.folder == "Documents" }
    try FixtureWriter.writeParts(export, to: directory.path)
    let run = try ExportGateBinary.run(["verify", directory.path, "--format", "json"])
    #expect(run.status == 1)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    #expect(json["verdict"] as? String == "not-certified")
    let findings = try #require(json["findings"] as? [[String: Any]])
    #expect(findings.contains { $0["code"] as? String == "files-not-included" })
  }

  @Test func unreadableInputExitsTwo() throws {
    let run = try ExportGateBinary.run(["verify", "/nonexistent/WE_1.ZIP"])
    #expect(run.status == 2)
    #expect(run.standardError.contains("no such file"))
    #expect(run.standardOutput.isEmpty)
  }

  @Test func badFlagsExitWithTheUsageCode() throws {
    let run = try ExportGateBinary.run(["verify", example, "--format", "yaml"])
    #expect(run.status == 64)
    let encoding = try ExportGateBinary.run(["verify", example, "--encoding", "KLINGON"])
    #expect(encoding.status == 64)
    // Every command reads --encoding once, as an encoding, and says why a name is refused.
    for command in [
      ["verify", example], ["diff", example, example],
      ["restore", example, "--to", "/nonexistent/x"], ["cat", example, "--object", "Account"],
    ] {
      let run = try ExportGateBinary.run(command + ["--encoding", "KLINGON"])
      #expect(run.status == 64, "\(command[0])")
      #expect(run.standardError.contains("unknown encoding 'KLINGON'"), "\(command[0])")
    }
  }

  @Test func requireReplacesTheRequiredObjects() throws {
    let run = try ExportGateBinary.run(["verify", example, "--require", "Account,Product2"])
    #expect(run.status == 1)
    #expect(run.standardOutput.contains("object-missing"))
    #expect(run.standardOutput.contains("Product2"))
  }

  @Test(.enabled(if: PythonJSONSchema.available, "needs python3 with jsonschema"))
  func reportsValidateAgainstTheSchema() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.files.removeLast()
    var table = try #require(export.table("Lead"))
    table.rows[0][0] = "bad"
    export.setTable(table)
    try FixtureWriter.writeParts(export, to: directory.path)
    // And a bundle whose last part is a login page: a root cause with consequences linked.
    let caused = TemporaryDirectory()
    var multiPart = smallExport()
    multiPart.maxPartBytes = 15_000
    let parts = try FixtureWriter.writeParts(multiPart, to: caused.path)
    try FaultInjector.replaceWithLoginPage(parts[parts.count - 1])
    for (index, input) in [example, directory.path, caused.path].enumerated() {
      let report = try ExportGateBinary.run(["verify", input, "--format", "json"])
      if index == 2 { #expect(report.standardOutput.contains("\"causedBy\" : \"F1\"")) }
      let reportPath = directory.file("report-\(index).json")
      try Data(report.standardOutput.utf8).write(to: URL(fileURLWithPath: reportPath))
      let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); report = json.load(open(sys.argv[2]))
        jsonschema.Draft202012Validator(schema).validate(report)
        """
      let check = try ExportGateBinary.run(
        [
          "python3", "-c", script, SharedCorpus.projectRoot + "/docs/report.schema.json",
          reportPath,
        ],
        binary: "/usr/bin/env")
      #expect(check.status == 0, "\(check.standardError)")
    }
  }
}
