import ExportGate
import Testing

/// Record Ids are parsed from every Id and lookup field of every row, eight characters at a
/// time: held here to a plain character-by-character reading of Salesforce's rules.
@Suite struct RecordIdTests {
  static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

  /// The case-safe suffix as Salesforce documents it: per five characters, a bit for each
  /// capital, read as an index into A-Z then 0-5.
  static func referenceSuffix(_ fifteen: [UInt8]) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)
    return (0..<3).map { chunk in
      var bits = 0
      for offset in 0..<5 where (0x41...0x5A).contains(fifteen[chunk * 5 + offset]) {
        bits |= 1 << offset
      }
      return alphabet[bits]
    }
  }

  static func parse(_ bytes: [UInt8]) -> Result<RecordId, RecordId.Problem> {
    bytes.withUnsafeBytes { RecordId.parse($0) }
  }

  static func randomFifteen<G: RandomNumberGenerator>(using generator: inout G) -> [UInt8] {
    (0..<15).map { _ in base62.randomElement(using: &generator) ?? 0x30 }
  }

  @Test func everyCharacterAtEveryPositionReadsBackAndGetsTheDocumentedSuffix() throws {
    var generator = SystemRandomNumberGenerator()
    var cases = (0..<2_000).map { _ in Self.randomFifteen(using: &generator) }
    // Each base-62 character at each position, so every lane of both words sees all 62.
    for position in 0..<15 {
      for character in Self.base62 {
        var id = Array("001Dn00000AbCdE".utf8)
        id[position] = character
        cases.append(id)
      }
    }
    for fifteen in cases {
      let text = String(decoding: fifteen, as: UTF8.self)
      let eighteen = fifteen + Self.referenceSuffix(fifteen)
      let short = try Self.parse(fifteen).get()
      let long = try Self.parse(eighteen).get()
      #expect(short == long, "\(text)")
      #expect(short.fifteen == text)
      #expect(short.description == String(decoding: eighteen, as: UTF8.self))
      #expect(short.keyPrefix.description == String(text.prefix(3)))
      #expect(short.keyPrefix == KeyPrefix(String(text.prefix(3))))
      #expect(RecordId.withChecksum(text) == short.description)
    }
  }

  @Test func aWrongSuffixNamesTheRightOne() {
    let fifteen = Array("003Dn0000000001".utf8)
    let right = Self.referenceSuffix(fifteen)
    for position in 0..<3 {
      var eighteen = fifteen + right
      eighteen[15 + position] = right[position] == 0x41 ? 0x42 : 0x41
      #expect(
        Self.parse(eighteen)
          == .failure(.badChecksum(expected: String(decoding: right, as: UTF8.self))))
    }
  }

  @Test func aCharacterOutsideBase62IsNamedWhereverItIs() {
    // The neighbours of each range, a space, a quote, NUL and bytes that are not ASCII.
    let outside: [UInt8] = [
      0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x20, 0x22, 0x00, 0x7F, 0x80, 0xC3, 0xFF,
    ]
    for position in 0..<15 {
      for byte in outside {
        var id = Array("001Dn00000AbCdE".utf8)
        id[position] = byte
        #expect(Self.parse(id) == .failure(.invalidCharacter(offset: position)))
        #expect(
          Self.parse(id + Self.referenceSuffix(id)) == .failure(.invalidCharacter(offset: position))
        )
      }
    }
  }

  @Test func onlyFifteenOrEighteenCharactersAreIds() {
    for length in [0, 1, 3, 14, 16, 17, 19, 36] {
      let bytes = [UInt8](repeating: 0x41, count: length)
      #expect(Self.parse(bytes) == .failure(.wrongLength(length)))
    }
    #expect(RecordId("") == nil)
  }

  @Test func idsSortAsTheirText() throws {
    var generator = SystemRandomNumberGenerator()
    let texts = (0..<1_000).map { _ in
      String(decoding: Self.randomFifteen(using: &generator), as: UTF8.self)
    }
    let ids = try texts.map { try #require(RecordId($0)) }
    #expect(
      ids.sorted().map(\.fifteen)
        == texts.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
  }

  @Test func theEmptyKeyHasTheEmptyKeyPrefix() throws {
    let empty = try #require(RecordId("000000000000000AAA"))
    #expect(empty.keyPrefix == .emptyKey)
    #expect(try #require(RecordId("001000000000000AAA")).keyPrefix != .emptyKey)
  }
}
