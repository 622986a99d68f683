import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The verify run as a runbook gates on it, driven without the command line.
@Suite struct VerificationGateTests {
  struct Bundle {
    let directory = TemporaryDirectory()
    let parts: [String]
    let folder: String

    init() throws {
      folder = directory.file("parts")
      parts = try FixtureWriter.writeParts(smallExport(), to: folder)
    }
  }

  @Test func writesEveryReportAndTheCertificateAndSaysWhere() throws {
    let bundle = try Bundle()
    var request = VerificationGate.Request(paths: [bundle.folder])
    request.reports = [
      .init(format: .json, path: bundle.directory.file("r.json")),
      .init(format: .html, path: bundle.directory.file("r.html")),
    ]
    request.certificatePath = bundle.directory.file("cert.json")
    let outcome = try VerificationGate().run(request)
    #expect(outcome.report.isCertified)
    #expect(outcome.notes.isEmpty)
    #expect(outcome.report.certificate?.path == request.certificatePath)
    #expect(outcome.report.certificate?.subjects == bundle.parts.count)
    let json = try Data(contentsOf: URL(fileURLWithPath: bundle.directory.file("r.json")))
    #expect(try JSONDecoder().decode(VerificationReport.self, from: json).verdict == .certified)
    #expect(FileManager.default.fileExists(atPath: bundle.directory.file("r.html")))
  }

  @Test func anOutputThatWouldReplaceAnInputIsRefusedBeforeAnythingIsWritten() throws {
    let bundle = try Bundle()
    let part = try #require(bundle.parts.first)
    let before = try Data(contentsOf: URL(fileURLWithPath: part))
    var request = VerificationGate.Request(paths: [bundle.folder])
    request.reports = [.init(format: .json, path: part)]
    #expect {
      try VerificationGate().run(request)
    } throws: { error in
      (error as? VerificationGate.Failure)?.kind == .cannotRun
        && "\(error)".contains("one of the inputs")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: part)) == before)

    // The inventory is an input too.
    let inventory = bundle.directory.file("inventory.json")
    try OrgInventory(
      takenAt: "2026-12-02T00:00:00Z", asOf: "2026-12-01T00:00:00Z", asOfSource: "test",
      instance: "https://example.my.salesforce.com", apiVersion: "v62.0",
      user: .init(), permissions: .init(), objects: []
    ).save(to: inventory)
    var overInventory = VerificationGate.Request(paths: [bundle.folder])
    overInventory.inventoryPath = inventory
    overInventory.certificatePath = inventory
    #expect(throws: VerificationGate.Failure.self) { try VerificationGate().run(overInventory) }
  }

  @Test func aTypoInAFlagIsTheUsersAndInAFileIsTheFiles() throws {
    let bundle = try Bundle()
    var request = VerificationGate.Request(paths: [bundle.folder])
    request.requiredObjects = ["Acount"]
    #expect {
      try VerificationGate().run(request)
    } throws: { error in
      (error as? VerificationGate.Failure)?.kind == .usage && "\(error)".contains("Account")
    }
    let counts = bundle.directory.file("counts.csv")
    try "Object,Count\nContcat,3\n".write(toFile: counts, atomically: true, encoding: .utf8)
    var fromFile = VerificationGate.Request(paths: [bundle.folder])
    fromFile.expectedCountsPath = counts
    #expect {
      try VerificationGate().run(fromFile)
    } throws: { error in
      (error as? VerificationGate.Failure)?.kind == .cannotRun && "\(error)".contains("Contact")
    }
  }

  @Test func anUnreadableInventoryIsAnUnusableInputNotAnIgnoredOne() throws {
    let bundle = try Bundle()
    let inventory = bundle.directory.file("inventory.json")
    try "[]".write(toFile: inventory, atomically: true, encoding: .utf8)
    var request = VerificationGate.Request(paths: [bundle.folder])
    request.inventoryPath = inventory
    #expect {
      try VerificationGate().run(request)
    } throws: { error in
      (error as? VerificationGate.Failure)?.kind == .cannotRun
        && "\(error)".contains("not an org inventory")
    }
  }

  @Test func aRefusedExportGetsNoCertificateAndANoteSaysSo() throws {
    let bundle = try Bundle()
    var request = VerificationGate.Request(paths: [bundle.folder])
    request.requiredObjects = ["Account", "Solution"]
    request.certificatePath = bundle.directory.file("cert.json")
    let outcome = try VerificationGate().run(request)
    #expect(!outcome.report.isCertified)
    #expect(outcome.notes == ["not certified: no certificate written"])
    #expect(!FileManager.default.fileExists(atPath: bundle.directory.file("cert.json")))
  }
}
