import ExportGateTestSupport
import Testing

@testable import ExportGate

/// Every entry name's extraction key is hashed before any part is read, without building the
/// key for ASCII names: held here to the key itself.
@Suite struct ExtractionAliasesTests {
  static let id = "00P5g00000AbCdEfGhIJ"
  static let fifteen = "00P5g00000AbCdE"

  static let crafted: [String] = [
    "Account.csv", "./Account.csv", "ACCOUNT.csv", "Account.csv\u{0}.txt", "", "/", ".", "..",
    "./", "a//b", "a/./b", "a/../b", "\\Attachments\\\(fifteen)", "Attachments\\\(fifteen)",
    "Attachments/\(fifteen)", "attachments/\(fifteen)", "Attachments//\(fifteen)/",
    "Attachments/./\(fifteen)", "ATTACHMENTS/\(fifteen.lowercased())", "Documents/\(fifteen)",
    "ContentVersion/\(fifteen)", "Other Uploaded Collateral/\(fifteen)",
    "Notes/\(fifteen)", "Attachments/\(fifteen)/x", "x/Attachments/\(fifteen)",
    "Attachments/00P5g00000AbCd!", "Attachments/00P5g00000AbCd", "Attachments/\(fifteen)A",
    "Attachments/\(fifteen)AAA", "Attachments/\(fifteen)\u{0}", "Attachments/\u{0}\(fifteen)",
    "Attachments/\(fifteen)\u{0}é", "Attachments/é\(fifteen)", "Ünïcode/\(fifteen)",
    "Attachments/" + (RecordId.withChecksum(fifteen) ?? ""), "Attachments/\(fifteen)ZZZ",
  ]

  @Test func theHashOfEveryCraftedNameIsTheHashOfItsKey() {
    for name in Self.crafted {
      #expect(
        ExtractionAliases.keyHash(name) == ExtractionAliases.hash(ExtractionAliases.key(name)),
        "\(name.debugDescription)")
    }
  }

  @Test func aFifteenCharacterIdInABinaryFolderHashesAsItsEighteenCharacterForm() throws {
    let eighteen = try #require(RecordId.withChecksum(Self.fifteen))
    #expect(
      ExtractionAliases.keyHash("Attachments/\(Self.fifteen)")
        == ExtractionAliases.keyHash("attachments/\(eighteen)"))
    #expect(
      ExtractionAliases.keyHash("Notes/\(Self.fifteen)")
        != ExtractionAliases.keyHash("Notes/\(eighteen)"))
  }

  @Test func theHashOfRandomNamesIsTheHashOfTheirKeys() {
    // Names made of what changes keys: separators, dots, NUL, capitals, Id characters,
    // folder names, and now and then a byte beyond ASCII.
    let pieces = [
      "/", "\\", ".", "./", "\u{0}", "Attachments", "attachments", "Documents",
      "Other Uploaded Collateral", "a", "Z", "0", "00P5g00000AbCdE", "00P5g00000AbC", "é", "x.csv",
    ]
    var generator = SeededRandom(seed: 15)
    for _ in 0..<20_000 {
      let count = Int.random(in: 1...5, using: &generator)
      let name = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
      #expect(
        ExtractionAliases.keyHash(name) == ExtractionAliases.hash(ExtractionAliases.key(name)),
        "\(name.debugDescription)")
    }
  }
}
