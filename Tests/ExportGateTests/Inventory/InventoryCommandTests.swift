import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// `exportgate inventory` and `fetch` taking the inventory, run as a user runs them, against a
/// fake org on loopback whose token holds the characters real ones hold.
@Suite(
  .serialized, .enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct InventoryCommandTests {
  /// A token with `!`, `.`, `%`, `/` and a quote: every form it could leak in is searched.
  static let token = "00D5g000004ExAm!AQ4AQ.fa%2Fke/to\"ken"

  /// Every form of the token that must never appear in output or files.
  static func leaks(of token: String, in text: String) -> [String] {
    var forms = [token, token.replacingOccurrences(of: "/", with: "\\/")]
    for allowed in [CharacterSet.alphanumerics, .urlQueryAllowed] {
      if let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) {
        forms.append(encoded)
      }
    }
    // The token's distinctive middle, in case it was cut or re-encoded around it.
    forms.append("AQ4AQ.fa")
    return forms.filter { text.contains($0) }
  }

  struct Org {
    let directory = TemporaryDirectory()
    let parts: String
    let org: FakeOrg

    init(change: (inout FakeOrgModel) -> Void = { _ in }) throws {
      let export = smallExport()
      parts = directory.file("served")
      _ = try FixtureWriter.writeParts(export, to: parts)
      var model = FakeOrgModel.matching(export)
      change(&model)
      org = try FakeOrg(serving: parts, token: InventoryCommandTests.token, model: model)
    }

    func run(_ arguments: [String], token: String = InventoryCommandTests.token) throws
      -> ExportGateBinary.Run
    {
      let binary = try #require(ExportGateBinary.path)
      return try ExportGateBinary.run(
        ["SF_ACCESS_TOKEN=\(token)", "EXPORTGATE_RETRY_DELAY=0.01", binary] + arguments,
        binary: "/usr/bin/env")
    }
  }

  @Test func fetchTakesTheInventoryAndVerifyCertifiesAgainstIt() throws {
    let setup = try Org()
    defer { setup.org.stop() }
    let folder = setup.directory.file("fetched")
    let fetch = try setup.run([
      "fetch", "--to", folder, "--instance-url", setup.org.instanceURL.absoluteString,
    ])
    #expect(fetch.status == 0, "\(fetch.standardOutput)\(fetch.standardError)")
    #expect(fetch.standardOutput.contains("inventory of"))
    let path = (folder as NSString).appendingPathComponent(OrgInventory.fileName)
    let inventory = try OrgInventory.load(path: path)
    #expect(inventory.asOfSource.contains("Data Export page"))
    let certificate = setup.directory.file("cert.json")
    let report = setup.directory.file("report.html")
    let verify = try setup.run([
      "verify", folder, "--certificate", certificate, "--report", "html:\(report)",
    ])
    #expect(verify.status == 0, "\(verify.standardOutput)")
    #expect(verify.standardOutput.contains("complete against the org's inventory of"))
    let check = try setup.run(["certificate", "check", certificate, folder])
    #expect(check.status == 0, "\(check.standardOutput)")
    #expect(check.standardOutput.contains("the export was certified against"))
    // The token is in no output and no file fetch or verify wrote.
    var written =
      fetch.standardOutput + fetch.standardError + verify.standardOutput
      + verify.standardError + check.standardOutput
    for name in try FileManager.default.contentsOfDirectory(atPath: folder)
    where !name.hasSuffix(".ZIP") {
      written += try String(
        contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
    }
    written += try String(contentsOfFile: certificate, encoding: .utf8)
    written += try String(contentsOfFile: report, encoding: .utf8)
    #expect(Self.leaks(of: Self.token, in: written).isEmpty)
  }

  @Test func inventoryExitCodesAndNothingLeftBehindOnFailure() throws {
    let setup = try Org()
    defer { setup.org.stop() }
    let target = setup.directory.file("inv.json")
    let instance = setup.org.instanceURL.absoluteString
    let taken = try setup.run([
      "inventory", "--to", target, "--instance-url", instance, "--as-of", "2026-12-01T00:00:00Z",
    ])
    #expect(taken.status == 0, "\(taken.standardError)")
    #expect(try OrgInventory.load(path: target).asOfSource == "--as-of")

    // A session the org refuses: exit 2, no file, no token.
    let refusedTarget = setup.directory.file("refused.json")
    let refused = try setup.run(
      [
        "inventory", "--to", refusedTarget, "--instance-url", instance, "--as-of",
        "2026-12-01T00:00:00Z",
      ],
      token: "00D5g000004ExAm!other.token")
    #expect(refused.status == 2)
    #expect(refused.standardError.contains("log in again"))
    #expect(!FileManager.default.fileExists(atPath: refusedTarget))
    #expect(!refused.standardError.contains("other.token"))

    // Bad flags: 64.
    let badDate = try setup.run([
      "inventory", "--to", target, "--instance-url", instance, "--as-of", "yesterday",
    ])
    #expect(badDate.status == 64)
    let plainHTTP = try setup.run([
      "inventory", "--to", target, "--instance-url", "http://127.evil.example",
    ])
    #expect(plainHTTP.status == 64)
    #expect(plainHTTP.standardError.contains("https"))
  }

  @Test func aTokenWithALineBreakIsNeverSent() throws {
    let setup = try Org()
    defer { setup.org.stop() }
    let run = try setup.run(
      [
        "inventory", "--to", setup.directory.file("x.json"), "--instance-url",
        setup.org.instanceURL.absoluteString, "--as-of", "2026-12-01T00:00:00Z",
      ],
      token: "00D5g000004ExAm!abc\r\nX-Injected: 1")
    #expect(run.status == 2)
    #expect(run.standardError.contains("not a plausible session id"))
    #expect(setup.org.apiRequests.isEmpty)
  }
}
