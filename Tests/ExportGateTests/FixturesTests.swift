import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// `Fixtures/example` is exactly what `swift run exportgate-fixtures example` writes.
@Suite struct FixturesTests {
  @Test func theBundledExampleRegeneratesByteIdentically() throws {
    let directory = TemporaryDirectory()
    let written = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.path)
    #expect(written.count == 2)
    for path in written {
      let name = (path as NSString).lastPathComponent
      let bundled = try Data(
        contentsOf: URL(fileURLWithPath: SharedCorpus.projectRoot + "/Fixtures/example/" + name))
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: path)) == bundled,
        "\(name) differs: run `swift run exportgate-fixtures example Fixtures/example`")
    }
  }

  @Test func theExampleHasWhatItsReadmePromises() throws {
    let export = ExampleExport.make()
    let records = export.tables.reduce(0) { $0 + $1.rows.count }
    #expect(records >= 200 && records <= 500)
    let values = export.tables.flatMap { $0.rows.flatMap { $0 } }
    #expect(values.contains { $0.contains("\n") })
    #expect(values.contains { $0.contains("\"") })
    #expect(values.contains { $0.unicodeScalars.contains { $0.value > 0x7F } })
    #expect(values.contains("000000000000000AAA"))
    let versions = try #require(export.table("ContentVersion"))
    #expect(versions.rows.contains { $0[versions.column("IsLatest")] == "0" })
    #expect(export.tables.contains { $0.rows.isEmpty })
    #expect(
      Set(export.files.map(\.folder)) == [
        "Attachments", "Documents", "ContentVersion", "Other Uploaded Collateral",
      ])
  }
}
