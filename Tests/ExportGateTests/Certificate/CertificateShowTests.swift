import ExportGateTestSupport
import Foundation
import Testing

/// `exportgate certificate show`: a certificate read by a person, as text or JSON, its
/// signature checked when a key is given.
@Suite struct CertificateShowTests {
  let example = SharedCorpus.projectRoot + "/Fixtures/example"

  @Test func aCertificateIsShownInPlainWordsAndItsSignatureChecked() throws {
    let directory = TemporaryDirectory()
    let key = directory.file("signer")
    let other = directory.file("other")
    for path in [key, other] {
      #expect(try ExportGateBinary.run(["key", "generate", path]).status == 0)
    }
    let certificate = directory.file("cert.json")
    let verify = try ExportGateBinary.run([
      "verify", example, "--certificate", certificate, "--sign-key", key,
    ])
    #expect(verify.status == 0, "\(verify.standardError)")
    let shown = try ExportGateBinary.run([
      "certificate", "show", certificate, "--public-key", key + ".pub",
    ])
    #expect(shown.status == 0, "\(shown.standardError)")
    #expect(shown.standardOutput.hasPrefix("ExportGate certificate: CERTIFIED"))
    #expect(shown.standardOutput.contains("WE_00D5g000004ExAmEAK_1.ZIP  "))
    #expect(shown.standardOutput.contains("org: 00D5g000004ExAmEAK"))
    #expect(shown.standardOutput.contains("): verified"))
    let unchecked = try ExportGateBinary.run(["certificate", "show", certificate])
    #expect(unchecked.standardOutput.contains("not checked (give --public-key"))
    let wrongKey = try ExportGateBinary.run([
      "certificate", "show", certificate, "--public-key", other + ".pub",
    ])
    #expect(wrongKey.status == 1)
    #expect(wrongKey.standardOutput.contains("does NOT verify"))
    let json = try ExportGateBinary.run(["certificate", "show", certificate, "--format", "json"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
    #expect(object["signed"] as? Bool == true)
    let statement = try #require(object["statement"] as? [String: Any])
    #expect((statement["subject"] as? [[String: Any]])?.count == 2)
    let garbage = directory.file("garbage.json")
    try Data("{\"x\": 1}".utf8).write(to: URL(fileURLWithPath: garbage))
    #expect(try ExportGateBinary.run(["certificate", "show", garbage]).status == 2)
  }
}
