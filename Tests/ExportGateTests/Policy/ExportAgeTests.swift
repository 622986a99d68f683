import ExportGateTestSupport
import Foundation
import Testing

/// `maxExportAgeDays` (which `policy init` sets to 2) judges the export's age as of its
/// certification or a day given, so that a certified archive re-checked months later is not
/// refused for having grown old.
@Suite struct ExportAgeTests {
  let example = SharedCorpus.projectRoot + "/Fixtures/example"

  /// The example's parts in a folder, with `policy init`'s policy.
  func bundle() throws -> (TemporaryDirectory, String) {
    let directory = TemporaryDirectory()
    let folder = directory.file("parts")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: example)
    where name.hasSuffix(".ZIP") {
      try FileManager.default.copyItem(atPath: example + "/" + name, toPath: folder + "/" + name)
    }
    let policy = directory.file("policy.yaml")
    #expect(try ExportGateBinary.run(["policy", "init", policy]).status == 0)
    return (directory, policy)
  }

  func ageFinding(_ run: ExportGateBinary.Run) throws -> (severity: String, message: String)? {
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    let findings = try #require(report["findings"] as? [[String: Any]])
    return findings.first { $0["code"] as? String == "export-too-old" }.map {
      ($0["severity"] as? String ?? "", $0["message"] as? String ?? "")
    }
  }

  @Test func anOldExportIsRefusedTodayButNotAsOfTheDayAfterItWasMade() throws {
    let (directory, policy) = try bundle()
    let parts = directory.file("parts")
    let today = try ExportGateBinary.run(["verify", parts, "--policy", policy, "--format", "json"])
    #expect(today.status == 1)
    #expect(try ageFinding(today)?.severity == "error")
    #expect(try ageFinding(today)?.message.contains("--as-of") == true)
    let newest = try #require(
      ((try JSONSerialization.jsonObject(with: Data(today.standardOutput.utf8)) as? [String: Any])?[
        "export"] as? [String: Any])?["newestEntry"] as? String)
    let dayAfter = String(newest.prefix(10))
    let then = try ExportGateBinary.run([
      "verify", parts, "--policy", policy, "--format", "json", "--as-of", dayAfter,
    ])
    #expect(try ageFinding(then) == nil, "\(then.standardError)")
    #expect(then.status == 0)
    #expect(try ExportGateBinary.run(["verify", parts, "--as-of", "yesterday"]).status == 64)
  }

  /// A certificate of exactly these parts, made when the export was fresh, beside them: the
  /// re-check says when it was certified instead of failing; a certificate of other parts
  /// changes nothing.
  @Test func aCertifiedArchiveIsJudgedAsOfItsCertification() throws {
    let (directory, policy) = try bundle()
    let parts = directory.file("parts")
    let certificate = parts + "/exportgate-certificate.json"
    let made = try ExportGateBinary.run(["verify", parts, "--certificate", certificate])
    #expect(made.status == 0, "\(made.standardError)")
    // Certified the day the export was made (the run's own time is today).
    var statement = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: certificate)))
        as? [String: Any])
    var predicate = try #require(statement["predicate"] as? [String: Any])
    predicate["verifiedAt"] = "2025-11-26T00:00:00Z"
    statement["predicate"] = predicate
    try JSONSerialization.data(withJSONObject: statement).write(
      to: URL(fileURLWithPath: certificate))
    let recheck = try ExportGateBinary.run([
      "verify", parts, "--policy", policy, "--format", "json",
    ])
    let finding = try #require(try ageFinding(recheck))
    #expect(finding.severity == "info")
    #expect(finding.message.contains("when these parts were certified at 2025-11-26"))
    #expect(recheck.status == 0)
    // The same certificate naming other bytes: the age is an error again.
    var subjects = try #require(statement["subject"] as? [[String: Any]])
    subjects[0]["digest"] = ["sha256": String(repeating: "0", count: 64)]
    statement["subject"] = subjects
    try JSONSerialization.data(withJSONObject: statement).write(
      to: URL(fileURLWithPath: certificate))
    let other = try ExportGateBinary.run(["verify", parts, "--policy", policy, "--format", "json"])
    #expect(try ageFinding(other)?.severity == "error")
  }
}
