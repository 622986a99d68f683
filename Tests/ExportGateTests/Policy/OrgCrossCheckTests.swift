import Crypto
import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct OrgCrossCheckTests {
  func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> String {
    let path = directory.file(name)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func countsThatDifferAreExplained() throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    let accounts = try #require(export.table("Account")).rows.count
    let contacts = try #require(export.table("Contact")).rows.count
    let path = try write(
      "Object,Count\nAccount,\(accounts)\nContact,\(contacts + 3)\nProduct2,4\n", "counts.csv",
      in: directory)
    var options = VerificationOptions()
    options.expectedCounts = try ExpectedCounts.load(path: path)
    let report = try verifyFixture(export, options: options)
    let mismatches = findings(report, .countMismatch)
    #expect(mismatches.map(\.location.object) == ["Contact", "Product2"])
    let contact = try #require(mismatches.first)
    #expect(contact.message.contains("\(contacts + 3)") && contact.message.contains("\(contacts)"))
    #expect(contact.message.contains("visibility"))
    #expect(!report.isCertified)
  }

  @Test func aBadCountsFileIsRejectedWithItsLine() throws {
    let directory = TemporaryDirectory()
    let path = try write("Object,Count\nAccount,12\nContact,many\n", "counts.csv", in: directory)
    do {
      _ = try ExpectedCounts.load(path: path)
      Issue.record("accepted a bad count")
    } catch let error as OrgFileError {
      #expect(error.line == 3)
      #expect(error.description.hasPrefix("counts file \(path) line 3:"))
    }
  }

  func checksums(_ export: FixtureExport, tamper: Set<String> = [], extra: [String] = []) -> String
  {
    var text = "\"Id\",\"Checksum\",\"ContentSize\"\n"
    for file in export.files where file.folder == "ContentVersion" {
      var md5 = Insecure.MD5.hash(data: file.content).map { String(format: "%02x", $0) }.joined()
      if tamper.contains(file.name) { md5 = String(repeating: "0", count: 32) }
      text += "\"\(file.name)\",\"\(md5)\",\"\(file.content.count)\"\n"
    }
    for id in extra { text += "\"\(id)\",\"\(String(repeating: "a", count: 32))\",\"10\"\n" }
    return text
  }

  @Test func contentVersionFilesAreMD5VerifiedAgainstTheOrg() throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    var options = VerificationOptions()
    options.expectedChecksums = try ExpectedChecksums.load(
      path: try write(checksums(export), "cv.csv", in: directory))
    #expect(try verifyFixture(export, options: options).isCertified)

    let victim = try #require(export.files.first { $0.folder == "ContentVersion" }).name
    let absent = IdFactory.make(prefix: "068", serial: 5555)
    options.expectedChecksums = try ExpectedChecksums.load(
      path: try write(
        checksums(export, tamper: [victim], extra: [absent]), "cv2.csv", in: directory))
    let report = try verifyFixture(export, options: options)
    #expect(findings(report, .fileChecksumMismatch).map(\.location.recordId) == [victim])
    #expect(findings(report, .fileChecksumMismatch).first?.message.contains("cv2.csv") == true)
    #expect(findings(report, .fileMissing).map(\.location.recordId) == [absent])
    #expect(!report.isCertified)
  }
}
