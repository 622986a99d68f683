import ExportGate
import ExportGateTestSupport
import Testing

@Suite struct FieldDecoderTests {
  func decode(_ bytes: [UInt8], _ name: String) throws -> String {
    let decoder = FieldDecoder(encoding: try TextEncoding(name: name))
    return bytes.withUnsafeBytes { decoder.string($0) }
  }

  @Test(arguments: [
    ([0x93, 0xFA, 0x96, 0x7B] as [UInt8], "SHIFT_JIS", "日本"),
    ([0x93, 0xFA, 0x96, 0x7B], "shift_jis", "日本"),
    ([0xC6, 0xFC, 0xCB, 0xDC], "EUC-JP", "日本"),
    ([0xD6, 0xD0, 0xCE, 0xC4], "GB18030", "中文"),
    ([0xA4, 0xA4, 0xA4, 0xE5], "BIG5", "中文"),
    ([0xC7, 0xD1, 0xB1, 0xB9], "EUC-KR", "한국"),
    ([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72], "iso-8859-1", "Müller"),
    ([0x80, 0x20, 0x93, 0x71, 0x94], "WINDOWS-1252", "€ “q”"),
    ([0xC3, 0xA9], "UTF-8", "é"),
  ])
  func decodesTheExportPagesEncodings(bytes: [UInt8], encoding: String, expected: String) throws {
    #expect(try decode(bytes, encoding) == expected)
  }

  @Test func unknownEncodingsAreRejected() {
    #expect(throws: TextEncoding.UnknownEncoding.self) { _ = try TextEncoding(name: "KLINGON-8") }
  }

  @Test func multiByteEncodingsParseOnBytes() throws {
    // Shift_JIS: "名前","日本" with the structure bytes all ASCII.
    let bytes: [UInt8] = [
      0x22, 0x96, 0xBC, 0x91, 0x4F, 0x22, 0x0A, 0x22, 0x93, 0xFA, 0x96, 0x7B, 0x22, 0x0A,
    ]
    let parsed = parseCSV(bytes, chunkSize: 1, encoding: try TextEncoding(name: "SHIFT_JIS"))
    #expect(parsed.collected.records.count == 2)
    let decoder = FieldDecoder(encoding: try TextEncoding(name: "SHIFT_JIS"))
    let field: [UInt8] = [0x93, 0xFA, 0x96, 0x7B]
    #expect(field.withUnsafeBytes { decoder.string($0) } == "日本")
  }

  @Test func utf16BigEndianWithoutAMarkIsReadAsSalesforceWritesIt() throws {
    let text = "\"Id\",\"Name\"\n\"1\",\"Zoë\"\n"
    var bytes: [UInt8] = []
    for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
    let parsed = parseCSV(bytes, chunkSize: 3, encoding: try TextEncoding(name: "UTF-16"))
    #expect(parsed.collected.records == [["Id", "Name"], ["1", "Zoë"]])
  }
}
