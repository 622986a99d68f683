import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Reports are byte-identical for every `--jobs` (minus the time they were made).
@Suite struct ConcurrencyTests {
  func json(_ paths: [String], jobs: Int, maxFindings: Int = 20) throws -> String {
    var options = VerificationOptions()
    options.jobs = jobs
    options.maxFindingsPerCode = maxFindings
    options.now = Date(timeIntervalSince1970: 1_800_000_000)
    return try JSONReportRenderer.render(try ExportVerifier(options: options).verify(paths: paths))
  }

  /// A multi-part export with faults spread over every part, so that the merge has work to do.
  func faultyExport(in directory: TemporaryDirectory) throws -> [String] {
    var export = smallExport(seed: 11)
    export.maxPartBytes = 9_000
    export.splitObjects = ["Contact", "Account"]
    var contacts = try #require(export.table("Contact"))
    contacts.rows.append(contacts.rows[0])  // a duplicate across the split
    contacts.rows.append(contacts.rows[1])
    for index in 2..<15 {
      contacts.rows[index][contacts.column("AccountId")] = IdFactory.make(
        prefix: "001", serial: 50_000 + index)
    }
    for index in 15..<22 { contacts.rows[index][0] = "bad\(index)" }
    export.setTable(contacts)
    export.files.removeFirst(3)
    export.files.append(
      FixtureExport.File(
        folder: "Attachments", name: IdFactory.make(prefix: "00P", serial: 888), content: [1]))
    return try FixtureWriter.writeParts(export, to: directory.path)
  }

  @Test(arguments: [1, 3, 5])
  func reportsAreIdenticalForEveryJobs(maxFindings: Int) throws {
    let directory = TemporaryDirectory()
    let paths = try faultyExport(in: directory)
    #expect(paths.count >= 4)
    let one = try json(paths, jobs: 1, maxFindings: maxFindings)
    #expect(
      one.contains("id-duplicate") && one.contains("reference-dangling")
        && one.contains("file-missing"))
    for jobs in [2, 3, 8] {
      #expect(try json(paths, jobs: jobs, maxFindings: maxFindings) == one, "--jobs \(jobs)")
    }
  }

  @Test func theScenarioSuiteCertifiesAlikeWithTwoJobs() throws {
    var export = smallExport()
    export.maxPartBytes = 12_000
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    #expect(try json(paths, jobs: 2) == json(paths, jobs: 1))
    #expect(try json(paths, jobs: 2).contains("\"verdict\" : \"certified\""))
  }
}
