import ExportGateTestSupport
import Foundation
import Testing

/// `diff --report csv:FILE` writes every change as `--format csv` prints it, beside any other
/// report, as the changes come.
@Suite struct DiffCSVReportTests {
  @Test func aCSVReportHoldsWhatFormatCSVPrints() throws {
    let directory = TemporaryDirectory()
    let old = smallExport()
    var new = old
    var accounts = try #require(new.table("Account"))
    accounts.rows[0][accounts.column("Name")] = "Renamed Ltd"
    accounts.rows.removeLast()
    new.setTable(accounts)
    _ = try FixtureWriter.writeParts(old, to: directory.file("old"))
    _ = try FixtureWriter.writeParts(new, to: directory.file("new"))
    let csv = directory.file("changes.csv")
    let json = directory.file("diff.json")
    let written = try ExportGateBinary.run([
      "diff", directory.file("old"), directory.file("new"), "--report", "csv:\(csv)",
      "--report", json,
    ])
    #expect(written.status == 1, "\(written.standardError)")
    let printed = try ExportGateBinary.run([
      "diff", directory.file("old"), directory.file("new"), "--format", "csv",
    ])
    let file = try String(contentsOfFile: csv, encoding: .utf8)
    #expect(file == printed.standardOutput)
    #expect(file.contains("Renamed Ltd"))
    #expect(file.split(whereSeparator: \.isNewline).count >= 3)
    #expect(FileManager.default.fileExists(atPath: json))
  }
}
