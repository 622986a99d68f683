import Testing

@testable import ExportGate

/// Entry names are searched for NUL and backslash with `memchr`: held to the plain search.
@Suite struct NameBytesTests {
  @Test func theSearchFindsWhatThePlainSearchFinds() {
    let names = [
      "", "\u{0}", "Account.csv", "Account.csv\u{0}.txt", "\u{0}Account.csv", "Account.csv\u{0}",
      "Attachments\\00P5g00000AbCdE", "Ünïcode\\name", "a",
      String(repeating: "x", count: 100) + "\\",
      String(Substring("prefix/Account.csv\u{0}".dropFirst(7))),
    ]
    for name in names {
      for byte: UInt8 in [0, 0x5C, 0x2F, 0x78, 0xC3] {
        #expect(
          name.utf8Contains(byte) == name.utf8.contains(byte), "\(name.debugDescription) \(byte)")
      }
    }
  }
}
