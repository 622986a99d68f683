import ExportGate
import ExportGateTestSupport
import Testing

@Suite struct CSVParserTests {
  @Test func readsAnExportStyleFile() {
    let text =
      "\"Id\",\"Name\",\"Description\"\n\"001\",\"Acme, Inc.\",\"Line 1\nLine \"\"2\"\"\"\n\"002\",\"Zoë\",\"\"\n"
    let (collected, invalid) = parseCSV(Array(text.utf8))
    #expect(
      collected.records == [
        ["Id", "Name", "Description"], ["001", "Acme, Inc.", "Line 1\nLine \"2\""],
        ["002", "Zoë", ""],
      ])
    #expect(collected.malformations.isEmpty)
    #expect(invalid == nil)
  }

  @Test func knowsWhereEachRecordStarts() {
    let text = "\"a\",\"b\"\r\n\"1\",\"x\ny\"\r\n\"2\",\"z\"\r\n"
    let (collected, _) = parseCSV(Array(text.utf8), chunkSize: 1)
    #expect(collected.positions.map(\.line) == [1, 2, 4])
    #expect(collected.positions.map(\.offset) == [0, 9, 20])
  }

  @Test(arguments: ["\n", "\r\n", "\r"])
  func everyTerminatorEndsARecord(terminator: String) {
    let text = "a,b" + terminator + "c,d" + terminator + "e,f"
    let (collected, _) = parseCSV(Array(text.utf8))
    #expect(collected.records == [["a", "b"], ["c", "d"], ["e", "f"]])
    #expect(collected.positions.map(\.line) == [1, 2, 3])
  }

  @Test func skipsAUTF8ByteOrderMark() {
    let (collected, _) = parseCSV([0xEF, 0xBB, 0xBF] + Array("\"Id\"\n\"1\"\n".utf8), chunkSize: 1)
    #expect(collected.records == [["Id"], ["1"]])
  }

  @Test func anUnterminatedQuoteAtTheEndIsReported() {
    let text = "\"Id\",\"Name\"\n\"001\",\"Acme\n"
    let (collected, _) = parseCSV(Array(text.utf8))
    #expect(collected.malformations.map(\.kind) == [.unterminatedQuotedField])
    #expect(collected.malformations.first?.line == 2)
    #expect(collected.malformations.first?.record == 2)
    #expect(collected.malformations.first?.byteOffset == 12)
  }

  @Test func damageIsReportedAndParsingResynchronises() {
    let text = "a,b\nx\"y,z\n\"p\"q,r\n1,2,3\n4,5\n"
    let (collected, _) = parseCSV(Array(text.utf8))
    #expect(
      collected.malformations.map(\.kind) == [
        .quoteInUnquotedField, .textAfterClosingQuote, .wrongFieldCount(expected: 2, found: 3),
      ])
    #expect(collected.malformations.map(\.line) == [2, 3, 4])
    #expect(
      collected.records == [
        ["a", "b"], ["x\"y", "z"], ["pq", "r"], ["1", "2", "3"], ["4", "5"],
      ])
  }

  @Test func nulBytesAreDataAndCounted() {
    // Real exports hold rich-text values that begin with NUL: the value keeps it, nothing is
    // reported, and the parser counts it.
    var parser = CSVParser()
    var collected = RecordCollector()
    let input = Array("a,b\n\"\u{0}<p>x</p>\",y\nz\u{0},w\n".utf8)
    input.withUnsafeBytes { parser.parse($0, into: &collected) }
    parser.finish(into: &collected)
    #expect(collected.malformations.isEmpty)
    #expect(collected.records == [["a", "b"], ["\u{0}<p>x</p>", "y"], ["z\u{0}", "w"]])
    #expect(parser.nulByteCount == 2)
  }

  @Test func fieldsPerRecordAreBoundedAndTheRestIsKept() {
    var options = CSVParser.Options()
    options.maxFieldsPerRecord = 4
    var parser = CSVParser(options: options)
    var collected = RecordCollector()
    let input = Array("a,b,c,d\n1,2,3,4,5,6\n7,8,9,10\n".utf8)
    input.withUnsafeBytes { parser.parse($0, into: &collected) }
    parser.finish(into: &collected)
    #expect(collected.malformations.map(\.kind) == [.tooManyFields(limit: 4)])
    #expect(collected.malformations.first?.line == 2)
    // The extra fields' bytes stay in the last kept field; the next record reads normally.
    #expect(
      collected.records == [["a", "b", "c", "d"], ["1", "2", "3", "456"], ["7", "8", "9", "10"]])
  }

  @Test func emptyAndDuplicateHeaderNamesAreReported() {
    let (collected, _) = parseCSV(Array("Id,,Name,Id\n1,2,3,4\n".utf8))
    #expect(
      collected.malformations.map(\.kind) == [
        .emptyHeaderName(column: 2), .duplicateHeaderName("Id", column: 4),
      ])
    #expect(collected.malformations.allSatisfy { $0.record == 1 && $0.line == 1 })
  }

  @Test func reportingStopsAtTheLimitButCountingGoesOn() {
    var options = CSVParser.Options()
    options.maxReportedMalformations = 3
    let text = "a,b\n" + String(repeating: "1\n", count: 10)
    let (collected, _) = parseCSV(Array(text.utf8), options: options)
    #expect(collected.malformations.count == 3)
    #expect(collected.records.count == 11)
  }

  @Test func invalidUTF8IsLocatedToTheByte() {
    var bytes = Array("\"Id\",\"Name\"\n\"1\",\"M".utf8)
    let offset = bytes.count
    bytes += [0xFC] + Array("ller\"\n".utf8)
    let (_, invalid) = parseCSV(bytes, chunkSize: 3)
    #expect(invalid == Int64(offset))
  }

  @Test func aFieldMaySpanManyChunks() {
    let long = String(repeating: "x\"\"y,\n", count: 50_000)
    let text = "\"a\",\"b\"\n\"" + long + "\",\"2\"\n"
    let (collected, _) = parseCSV(Array(text.utf8), chunkSize: 4093)
    #expect(collected.records.count == 2)
    #expect(collected.records[1][0] == long.replacingOccurrences(of: "\"\"", with: "\""))
    #expect(collected.records[1][1] == "2")
  }

  @Test func emptyInputHasNoRecords() {
    #expect(parseCSV([]).collected.records.isEmpty)
  }

  @Test func aPartialByteOrderMarkIsData() {
    let (collected, _) = parseCSV([0xEF, 0xBB, 0x41], chunkSize: 1, encoding: .windows1252)
    #expect(collected.records.count == 1)
  }
}

@Suite struct CSVRecordLimitTests {
  @Test func anUnterminatedQuoteCannotTakeUnboundedMemory() {
    var options = CSVParser.Options()
    options.maxRecordBytes = 1 << 10
    let text = "\"Id\",\"Body\"\n\"1\",\"" + String(repeating: "never closed, ", count: 5_000)
    let (collected, _) = parseCSV(Array(text.utf8), chunkSize: 333, options: options)
    #expect(collected.records.count == 2)
    #expect(collected.records[1].joined().utf8.count <= 1 << 10)
    #expect(collected.malformations.map(\.kind).contains(.recordTooLarge(limit: 1 << 10)))
    #expect(collected.malformations.map(\.kind).contains(.unterminatedQuotedField))
  }

  @Test func recordsUnderTheLimitAreWhole() {
    var options = CSVParser.Options()
    options.maxRecordBytes = 1 << 10
    let value = String(repeating: "x", count: 1000)
    let (collected, _) = parseCSV(
      Array("\"a\"\n\"\(value)\"\n".utf8), chunkSize: 7, options: options)
    #expect(collected.records == [["a"], [value]])
    #expect(collected.malformations.isEmpty)
  }
}
