import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// A CSV re-saved by a spreadsheet is no longer the backup: the export quotes every field and
/// writes full datetimes; Excel does neither.
@Suite struct ResaveEvidenceTests {
  func verify(_ export: FixtureExport) throws -> VerificationReport {
    let directory = TemporaryDirectory()
    let folder = directory.file("parts")
    _ = try FixtureWriter.writeParts(export, to: folder)
    return try ExportVerifier().verify(paths: [folder])
  }

  @Test func aCSVReSavedByExcelIsAnErrorWithTheChangedValue() throws {
    var export = smallExport()
    export.resavedBySpreadsheet = ["Account"]
    let report = try verify(export)
    let found = report.typedFindings.filter { $0.code == .csvNotAsExported }
    #expect(found.count == 1)
    let finding = try #require(found.first)
    #expect(finding.severity == .error)
    #expect(finding.location.entry == "Account.csv")
    #expect(ResaveEvidence.datetimeColumns.contains(finding.location.field ?? ""))
    #expect(finding.message.contains("unquoted"))
    #expect(finding.message.contains("CR LF"))
    #expect(finding.message.contains("seconds or the day/month order were lost"))
    #expect(finding.code.advice.contains("original part"))
    #expect(!report.isCertified)
  }

  @Test func unquotedFieldsWithIntactValuesAreAWarning() throws {
    var export = smallExport()
    var notes = try #require(export.table("Account"))
    let kept = notes.header.indices.filter {
      !ResaveEvidence.datetimeColumns.contains(notes.header[$0])
    }
    notes.header = kept.map { notes.header[$0] }
    notes.rows = notes.rows.map { row in kept.map { row[$0] } }
    export.setTable(notes)
    export.resavedBySpreadsheet = ["Account"]
    let report = try verify(export)
    let found = report.typedFindings.filter { $0.code == .csvNotAsExported }
    #expect(found.map(\.severity) == [.warning])
    #expect(report.isCertified)
  }

  @Test func aHealthyExportShowsNoTraceOfAReSave() throws {
    var export = smallExport()
    export.lineEnding = .crlf
    let report = try verify(export)
    #expect(!report.typedFindings.contains { $0.code == .csvNotAsExported })
  }

  @Test func theExportsDatetimeShapesAndSpreadsheetOnes() {
    func datetime(_ text: String) -> Bool {
      Array(text.utf8).withUnsafeBytes { ResaveEvidence.isExportDatetime($0) }
    }
    #expect(datetime("2026-06-09 16:12:25"))
    #expect(datetime("2026-06-09"))
    #expect(datetime("2026-06-09T16:12:25.000Z"))
    #expect(!datetime("09-06-2026 16:14"))
    #expect(!datetime("2026-06-09 16:12"))
    #expect(!datetime("6/9/2026 16:12"))
    #expect(!datetime("2026-06-09 16:12:25 extra"))
    func scientific(_ text: String) -> Bool {
      Array(text.utf8).withUnsafeBytes { ResaveEvidence.isScientific($0) }
    }
    #expect(scientific("1.23E+15"))
    #expect(scientific("-4e-7"))
    #expect(!scientific("1.23E+"))
    #expect(!scientific("E+15"))
    #expect(!scientific("12E+5"))
    #expect(!scientific("1.2E15"))
    #expect(!scientific("1.23E+15x"))
  }
}
