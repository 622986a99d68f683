import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct ObjectCatTests {
  func run(
    _ body: (ObjectCat) throws -> Void, format: RecordOutputFormat = .jsonl,
    encoding: TextEncoding = .auto
  ) rethrows -> (output: String, diagnostics: [ObjectCat.Diagnostic], cat: ObjectCat) {
    var output: [UInt8] = []
    var diagnostics: [ObjectCat.Diagnostic] = []
    let cat = ObjectCat(
      format: format, encoding: encoding, write: { output += $0 },
      diagnose: { diagnostics.append($0) })
    try body(cat)
    return (String(decoding: output, as: UTF8.self), diagnostics, cat)
  }

  @Test func aSplitObjectPrintsItsHeaderOnceAndEveryRow() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.splitObjects = ["Contact"]
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    #expect(paths.count >= 2)
    let table = try #require(export.table("Contact"))
    let (output, diagnostics, cat) = try run { try $0.catObject("Contact", paths: paths) }
    #expect(diagnostics.isEmpty)
    #expect(!cat.hadErrors)
    let lines = output.split(separator: "\n")
    #expect(lines.count == table.rows.count + 1)
    let decoded = try lines.map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String])
    }
    #expect(decoded == [table.header] + table.rows)
  }

  @Test func csvOutputParsesBackToTheSameTable() throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let (output, _, _) = try run({ try $0.catObject("Account", paths: paths) }, format: .csv)
    let reparsed = parseCSV(Array(output.utf8)).collected
    let table = try #require(export.table("Account"))
    #expect(reparsed.records == [table.header] + table.rows)
    #expect(output.contains("\r\n"))
  }

  @Test func isoEncodedExportsAreReencodedAsUTF8() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.encoding = .iso88591
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let (output, _, _) = try run(
      { try $0.catObject("Contact", paths: paths) }, encoding: .iso88591)
    let table = try #require(export.table("Contact"))
    let expected = table.rows.flatMap { $0 }.first {
      $0.contains("ü") || $0.contains("é") || $0.contains("ø") || $0.contains("Ø")
    }
    if let expected { #expect(output.contains(expected)) }
    #expect(!output.contains("\u{FFFD}"))
  }

  @Test func autoFallsBackToWindows1252AndSaysSo() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("latin.csv")
    try Data([
      0x22, 0x61, 0x22, 0x0A, 0x22, 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x20, 0x80, 0x22, 0x0A,
    ])
    .write(to: URL(fileURLWithPath: path))
    let (output, diagnostics, cat) = try run { try $0.catFile(at: path) }
    #expect(output == "[\"a\"]\n[\"Müller €\"]\n")
    #expect(diagnostics.count == 1 && !diagnostics[0].isError)
    #expect(diagnostics[0].description.contains("offset 6"))
    #expect(!cat.hadErrors)
  }

  @Test func malformedInputIsLocatedAndFlagged() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("cut.csv")
    try Data("\"Id\",\"Name\"\n\"001\",\"Acme\"\n\"002\",\"Trunc".utf8).write(
      to: URL(fileURLWithPath: path))
    let (output, diagnostics, cat) = try run { try $0.catFile(at: path) }
    #expect(cat.hadErrors)
    #expect(output.split(separator: "\n").count == 3)
    let message = try #require(diagnostics.first { $0.isError }).description
    // Numbered as verify numbers it: the header is record 0, the cut record is record 2.
    #expect(
      message.contains("line 3") && message.contains("record 2,") && message.contains("byte 25"))
  }

  @Test func anAbsentObjectIsAFailureNamingWhatExists() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    #expect(throws: ObjectCat.Failure.self) {
      _ = try run { try $0.catObject("Nope", paths: paths) }
    }
  }

  @Test(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
  func theCommandLineExitsOneOnMalformedInput() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("cut.csv")
    try Data("\"Id\"\n\"001".utf8).write(to: URL(fileURLWithPath: path))
    let run = try ExportGateBinary.run(["cat", path])
    #expect(run.status == 1)
    #expect(run.standardError.contains("line 2"))
    #expect(run.standardOutput == "[\"Id\"]\n[\"001\"]\n")
    let bundle = try ExportGateBinary.run([
      "cat", SharedCorpus.projectRoot + "/Fixtures/example", "--object", "Lead", "--format", "csv",
    ])
    #expect(bundle.status == 0)
    #expect(bundle.standardOutput.hasPrefix("Id,IsDeleted,LastName"))
  }
}
