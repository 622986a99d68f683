import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The third-party CSV corpora in `../shared/conformance/csv/`: every file that comes with an
/// expected result for a dialect ExportGate reads (comma or another single-byte delimiter,
/// double quotes, doubled-quote escaping) parses to exactly it. Expectations that need features
/// Salesforce exports never use (comment lines, backslash escapes, trimming, another quote
/// character) are listed in `notApplicable` with the reason.
@Suite(.enabled(if: SharedCorpus.shouldRun, "needs ../shared/conformance (absent in this clone)"))
struct CSVConformanceTests {
  static func bytes(_ relative: String) throws -> [UInt8] {
    let path = try #require(SharedCorpus.path("conformance/csv/" + relative))
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func options(delimiter: Character = ",", header: Bool = true) -> CSVParser.Options {
    var options = CSVParser.Options()
    options.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
    options.hasHeader = header
    return options
  }

  // MARK: csv-spectrum

  static let spectrum = [
    "comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "newlines",
    "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8",
  ]

  @Test(arguments: spectrum)
  func csvSpectrum(name: String) throws {
    let parsed = parseCSV(try Self.bytes("csv-spectrum/csvs/\(name).csv")).collected
    let json = try Self.bytes("csv-spectrum/json/\(name).json")
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(json)) as? [[String: String]])
    let header = try #require(parsed.records.first)
    let rows = parsed.records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    #expect(Array(rows) == expected)
    #expect(parsed.malformations.isEmpty)
  }

  /// The upstream JSON for this file is inconsistent (see SOURCES.md): checked against what the
  /// CSV says instead. The bare quote inside an unquoted field is kept and reported.
  @Test func csvSpectrumLocationCoordinates() throws {
    let parsed = parseCSV(try Self.bytes("csv-spectrum/csvs/location_coordinates.csv")).collected
    #expect(parsed.records.count == 2)
    #expect(parsed.records[1].contains { $0.contains("\"N") })
    #expect(parsed.malformations.map(\.kind).contains(.quoteInUnquotedField))
  }

  // MARK: FastCSV specification vectors

  static let notApplicable: [String: String] = [
    "comments-read.yaml": "comment lines: Salesforce exports have none, so '#' is data",
    "comments-skip.yaml": "comment lines: Salesforce exports have none, so '#' is data",
  ]

  static let fastCSVFiles = [
    "comments-none.yaml", "different-field-count.yaml", "empty-file.yaml",
    "escape-quotation.yaml", "line-breaks-within-fields.yaml", "line-breaks.yaml",
    "open-quotation.yaml", "quotation.yaml", "single-line.yaml", "skip-empty-lines.yaml",
    "spaces-around-quotes.yaml", "spaces-unquoted.yaml", "trailing-field-separator.yaml",
  ]

  @Test func everyFastCSVSpecFileIsCoveredOrExplained() throws {
    let directory = try #require(SharedCorpus.path("conformance/csv/fastcsv-spec/spec"))
    let all = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
      $0.hasSuffix(".yaml")
    }
    #expect(Set(all) == Set(Self.fastCSVFiles).union(Self.notApplicable.keys))
  }

  @Test(arguments: fastCSVFiles)
  func fastCSVSpec(file: String) throws {
    let text = String(decoding: try Self.bytes("fastcsv-spec/spec/" + file), as: UTF8.self)
    let spec = FastCSVSpec.parse(text)
    #expect(!spec.checks.isEmpty)
    var options = Self.options(header: false)
    options.skipEmptyLines = spec.skipEmptyLines
    for check in spec.checks {
      for variant in check.variants() {
        let parsed = parseCSV(Array(variant.input.utf8), options: options).collected
        #expect(
          parsed.records == variant.records,
          "\(check.id) input \(variant.input.debugDescription)")
        if !spec.exceptionAllowed {
          // Varying widths are part of some vectors; the width check is validation, not syntax.
          let syntax = parsed.malformations.filter {
            if case .wrongFieldCount = $0.kind { return false }
            return true
          }
          #expect(syntax.isEmpty, "\(check.id)")
        }
      }
    }
  }

  @Test(arguments: [
    "utf8_nobom.csv", "utf8_bom.csv", "utf16le_bom.csv", "utf16be_bom.csv", "utf32le_bom.csv",
    "utf32be_bom.csv",
  ])
  func fastCSVByteOrderMarks(file: String) throws {
    let parsed = parseCSV(try Self.bytes("fastcsv-spec/" + file), chunkSize: 3).collected
    #expect(parsed.records == [["foo", "üÜß"], ["123", "456"]])
  }

  // MARK: frictionless-py

  @Test func frictionlessStructuralErrors() throws {
    let invalid = parseCSV(try Self.bytes("frictionless-py/invalid.csv")).collected
    let kinds = invalid.malformations.map(\.kind)
    #expect(kinds.contains(.emptyHeaderName(column: 3)))
    #expect(kinds.contains(.duplicateHeaderName("name", column: 4)))
    #expect(invalid.malformations.contains { $0.line == 2 })

    let defective = parseCSV(try Self.bytes("frictionless-py/defective-rows.csv")).collected
    #expect(defective.malformations.map(\.line) == [2, 3])
    #expect(
      defective.malformations.map(\.kind) == [
        .wrongFieldCount(expected: 3, found: 2), .wrongFieldCount(expected: 3, found: 4),
      ])

    let structure = parseCSV(try Self.bytes("frictionless-py/structure-errors.csv")).collected
    #expect(
      structure.malformations.contains {
        $0.line == 5 && $0.kind == .wrongFieldCount(expected: 3, found: 6)
      })

    let blank = parseCSV(try Self.bytes("frictionless-py/blank-headers.csv")).collected
    #expect(blank.malformations.map(\.kind) == [.emptyHeaderName(column: 2)])

    let duplicate = parseCSV(try Self.bytes("frictionless-py/duplicate-headers.csv")).collected
    #expect(
      duplicate.malformations.map(\.kind) == [
        .duplicateHeaderName("id", column: 3), .duplicateHeaderName("id", column: 5),
      ])
  }

  @Test func frictionlessCleanFiles() throws {
    let table = parseCSV(try Self.bytes("frictionless-py/table.csv")).collected
    #expect(table.records == [["id", "name"], ["1", "english"], ["2", "中国人"]])
    let bom = parseCSV(try Self.bytes("frictionless-py/bom.csv")).collected
    #expect(bom.records == [["id", "name"], ["1", "english"], ["2", "中国人"]])
    #expect(
      parseCSV(try Self.bytes("frictionless-py/without-rows.csv")).collected.records == [
        ["id", "name"]
      ])
    #expect(parseCSV(try Self.bytes("frictionless-py/empty.csv")).collected.records.isEmpty)
    let doublequote = parseCSV(try Self.bytes("frictionless-py/doublequote.csv")).collected
    #expect(doublequote.records.count == 6)
    #expect(doublequote.records.allSatisfy { $0.count == 17 })
    #expect(doublequote.malformations.isEmpty)
    let delimited = parseCSV(
      try Self.bytes("frictionless-py/delimiter.csv"), options: Self.options(delimiter: ";")
    ).collected
    #expect(delimited.records == [["id", "name"], ["1", "english"], ["2", "中国人"]])
    let blankCells = parseCSV(try Self.bytes("frictionless-py/blank-cells.csv")).collected
    #expect(blankCells.malformations.isEmpty)
  }

  @Test func frictionlessLatin1IsInvalidUTF8AtTheRightByte() throws {
    let (parsed, invalid) = parseCSV(try Self.bytes("frictionless-py/latin1.csv"))
    #expect(invalid == 20)
    let decoded = parseCSV(try Self.bytes("frictionless-py/latin1.csv"), encoding: .iso88591)
    #expect(decoded.collected.records.first == ["id", "name"])
    #expect(parsed.records.count == decoded.collected.records.count)
  }

  // MARK: Salesforce Data Loader

  static let csvtext = [
    ["column1", "column2", "column3"], ["row1-1", "row1-2", "row1-3"],
    ["row2-1", "row2-2", "row2-3"],
  ]

  @Test(arguments: [
    ("csvtext.csv", "auto"), ("csvtext_BOM_UTF8.csv", "auto"), ("csvtext_BOM_UTF16LE.csv", "auto"),
    ("csvtext_BOM_UTF16BE.csv", "auto"), ("csvtext_BOM_UTF16LE.csv", "UTF-16LE"),
    ("csvtext_BOM_UTF32LE.csv", "UTF-32LE"), ("csvtext_BOM_UTF32BE.csv", "UTF-32BE"),
  ])
  func dataLoaderEncodings(file: String, encoding: String) throws {
    let parsed = parseCSV(
      try Self.bytes("forcedotcom-dataloader/" + file), chunkSize: 5,
      encoding: try TextEncoding(name: encoding)
    ).collected
    #expect(parsed.records == Self.csvtext)
  }

  @Test func dataLoaderQuotingAndSize() throws {
    let escaped = parseCSV(try Self.bytes("forcedotcom-dataloader/csvEscapedQuotes.csv")).collected
    #expect(escaped.records[1][0] == "\"The Best\" Account")
    let rows = parseCSV(try Self.bytes("forcedotcom-dataloader/20kRows.csv"), chunkSize: 4096)
    #expect(rows.collected.records.count == 20_001)
    let headerOnly = parseCSV(
      try Self.bytes("forcedotcom-dataloader/hardDeleteEmptyCsvFileTemplate.csv"))
    #expect(headerOnly.collected.records == [["ID"]])
    let template = parseCSV(
      try Self.bytes("forcedotcom-dataloader/emptyFirstRowFieldValueInCsvTemplate.csv"))
    #expect(template.collected.records.count == 3)
    #expect(template.collected.records[1].last == "")
    let accounts = parseCSV(try Self.bytes("forcedotcom-dataloader/accountsForInsert.csv"))
      .collected
    #expect(accounts.records.count == 5 && accounts.records.allSatisfy { $0.count == 4 })
    #expect(accounts.malformations.isEmpty)
  }

  @Test(arguments: [
    ("comma.csv", ","), ("comma_wrapped_values.csv", ","), ("semicolon.csv", ";"),
    ("pipe.csv", "|"),
    ("caret.csv", "^"), ("backquote.csv", "`"), ("tab.csv", "\t"),
  ])
  func salesforceCLIDelimiters(file: String, delimiter: Character) throws {
    let parsed = parseCSV(
      try Self.bytes("salesforcecli-plugin-data/" + file),
      options: Self.options(delimiter: delimiter)
    ).collected
    let reference = parseCSV(try Self.bytes("salesforcecli-plugin-data/comma.csv")).collected
    #expect(parsed.records.count == 11)
    #expect(parsed.records.allSatisfy { $0.count == 5 })
    #expect(parsed.records == reference.records)
  }

  // MARK: rust-csv and commons-csv

  @Test func rustCSVExamples() throws {
    let small = parseCSV(try Self.bytes("rust-csv/smallpop.csv")).collected
    #expect(small.records.count == 11)
    let colon = parseCSV(
      try Self.bytes("rust-csv/smallpop-colon.csv"), options: Self.options(delimiter: ":")
    ).collected
    #expect(colon.records == small.records)
    let us = parseCSV(try Self.bytes("rust-csv/uspop.csv")).collected
    #expect(us.records.count == 101 && us.records.allSatisfy { $0.count == 5 })
    let latin1 = try Self.bytes("rust-csv/uspop-latin1.csv")
    let (parsed, invalid) = parseCSV(latin1)
    // rust-csv: "record 3 (line 4, field: 0, byte: 125): invalid utf-8".
    let offset = try #require(invalid)
    #expect(latin1[Int(offset)] == 0xD5)
    #expect(parsed.positions[3].offset == 125 && parsed.positions[3].line == 4)
  }

  @Test func commonsCSVCases() throws {
    #expect(parseCSV(try Self.bytes("commons-csv/empty.txt")).collected.records.isEmpty)
    let malformed = parseCSV(try Self.bytes("commons-csv/CSV-141/csv-141.csv")).collected
    #expect(malformed.records.count >= 3)
    #expect(
      malformed.malformations.contains { $0.record == 3 || $0.kind == .unterminatedQuotedField })
    let bom = parseCSV(try Self.bytes("commons-csv/CSVFileParser/bom.csv")).collected
    #expect(bom.records.first?.first == "Date")
    let semicolon = parseCSV(
      try Self.bytes("commons-csv/CSV-213/999751170.patch.csv"),
      options: Self.options(delimiter: ";")
    ).collected
    #expect(semicolon.records.last == ["27", ""])
    let nulls = parseCSV(
      try Self.bytes("commons-csv/CSV-254/csv-254.csv"), options: Self.options(header: false)
    ).collected
    #expect(nulls.records == [["AA", "33", ""], ["AA", "", ""], ["", "33", "CC"]])
    let japanese = parseCSV(try Self.bytes("commons-csv/CSV-196/japanese.csv")).collected
    #expect(japanese.malformations.isEmpty)
  }

  /// CR-only terminators; SOURCES.md: 302 records, 209 of 11 fields then 93 of 8 (ragged).
  @Test func w3cManifestWithCROnlyTerminators() throws {
    let manifest = parseCSV(try Self.bytes("w3c-csvw/manifest.csv"), chunkSize: 1000).collected
    #expect(manifest.records.count == 302)
    #expect(manifest.records.filter { $0.count == 11 }.count == 209)
    #expect(manifest.malformations.count == 93)
    #expect(
      manifest.malformations.allSatisfy { $0.kind == .wrongFieldCount(expected: 11, found: 8) })
    #expect(manifest.positions.last?.line == 302)
  }
}

/// The FastCSV YAML test vectors, read with just enough YAML for their fixed layout.
struct FastCSVSpec {
  struct Check {
    var id: String
    var input: String
    var records: [[String]]

    /// Expands `⏎` into CR, LF and CRLF variants and the other symbols into their bytes.
    func variants() -> [(input: String, records: [[String]])] {
      let endings =
        input.contains("⏎") || records.joined().contains { $0.contains("⏎") }
        ? ["\r", "\n", "\r\n"] : [""]
      return endings.map { ending in
        func expand(_ text: String) -> String {
          text.replacingOccurrences(of: "␍", with: "\r").replacingOccurrences(of: "␊", with: "\n")
            .replacingOccurrences(of: "␤", with: "\r\n").replacingOccurrences(of: "⏎", with: ending)
        }
        return (expand(input), records.map { $0.map(expand) })
      }
    }
  }

  var checks: [Check] = []
  var exceptionAllowed = false
  var skipEmptyLines = false

  static func parse(_ text: String) -> FastCSVSpec {
    var spec = FastCSVSpec()
    var current: Check?
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("exceptionAllowed: true") { spec.exceptionAllowed = true }
      if line.hasPrefix("skipEmptyLines: true") { spec.skipEmptyLines = true }
      if line.hasPrefix("- id:") {
        if let current { spec.checks.append(current) }
        current = Check(
          id: String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces), input: "", records: []
        )
      } else if line.hasPrefix("input:"), current != nil {
        current?.input = scalar(String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces))
      } else if line.hasPrefix("- ["), current != nil {
        current?.records.append(quotedItems(line))
      }
    }
    if let current { spec.checks.append(current) }
    return spec
  }

  /// A YAML single- or double-quoted scalar.
  static func scalar(_ text: String) -> String {
    if text.hasPrefix("'") && text.hasSuffix("'") && text.count >= 2 {
      return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
    }
    if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 {
      return String(text.dropFirst().dropLast())
    }
    return text
  }

  /// The single-quoted items of a flow sequence such as `[ 'A', 'B''s' ]`.
  static func quotedItems(_ line: String) -> [String] {
    var items: [String] = []
    var current = ""
    var inQuote = false
    let characters = Array(line)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if inQuote {
        if character == "'" {
          if index + 1 < characters.count && characters[index + 1] == "'" {
            current.append("'")
            index += 1
          } else {
            inQuote = false
            items.append(current)
            current = ""
          }
        } else {
          current.append(character)
        }
      } else if character == "'" {
        inQuote = true
      }
      index += 1
    }
    return items
  }
}
