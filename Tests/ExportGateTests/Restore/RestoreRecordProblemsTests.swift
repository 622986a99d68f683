import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// What keeps restore's records from being whole comes back as findings with verify's codes,
/// located by object, with advice: never as bare strings.
@Suite struct RestoreRecordProblemsTests {
  @Test func aDamagedPieceIsACSVFindingOfItsObject() throws {
    let directory = TemporaryDirectory()
    let id = IdFactory.make(prefix: "001", serial: 1)
    let part = directory.path + "/WE_\(ExportGenerator.orgId)_1.ZIP"
    try RawZip.write(
      [RawZip.Entry("Account.csv", Array("Id,Name\n\(id),\"ACME\nno end".utf8))], to: part)
    let report = try BackupRestorer(options: RestoreOptions(destination: directory.path + "/out"))
      .restore(paths: [part])
    let problem = try #require(report.recordProblems.first)
    #expect(problem.code == .csvMalformed)
    #expect(problem.location.object == "Account")
    #expect(!report.isComplete)
  }

  /// A folder planted where a records file goes: the file is not moved through or over it,
  /// and the restore says which file was not written and why.
  @Test func aRecordsFileThatCannotBePutInPlaceIsNamed() throws {
    let directory = TemporaryDirectory()
    let parts = try FixtureWriter.writeParts(smallExport(), to: directory.path + "/parts")
    let out = directory.path + "/out"
    _ = try BackupRestorer(options: RestoreOptions(destination: out)).restore(paths: parts)
    try FileManager.default.removeItem(atPath: out + "/records/Account.csv")
    try FileManager.default.createDirectory(
      atPath: out + "/records/Account.csv/planted", withIntermediateDirectories: true)
    var options = RestoreOptions(destination: out)
    options.resume = true
    let report = try BackupRestorer(options: options).restore(paths: parts)
    let problem = try #require(report.recordProblems.first { $0.code == .recordsNotWritten })
    #expect(problem.location.object == "Account")
    #expect(problem.location.entry == "records/Account.csv")
    #expect(problem.message.contains("cannot move it into place"))
    #expect(!report.isComplete)
    #expect(FileManager.default.fileExists(atPath: out + "/records/Account.csv/planted"))
  }
}
