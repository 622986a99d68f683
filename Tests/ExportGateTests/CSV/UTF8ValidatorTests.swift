import Foundation
import Testing

@testable import ExportGate

/// The resumable validator agrees with Foundation's UTF-8 decoding on every input, whole or
/// fed a byte at a time, and names the offset of the first invalid sequence.
@Suite struct UTF8ValidatorTests {
  func validate(_ bytes: [UInt8], chunk: Int) -> UTF8Validator {
    var validator = UTF8Validator()
    var start = 0
    while start < bytes.count {
      let end = min(start + chunk, bytes.count)
      bytes[start..<end].withUnsafeBytes { validator.feed($0) }
      start = end
    }
    validator.finish()
    return validator
  }

  @Test(
    arguments: [
      ([0x41, 0x42], nil), ([0xC3, 0xA9], nil), ([0xE6, 0x9D, 0xB1], nil),
      ([0xF0, 0x9F, 0x98, 0x80], nil),
      // A lone continuation byte, an overlong encoding, a surrogate, past U+10FFFF, cut short.
      ([0x41, 0x80], 1), ([0xC0, 0xAF], 0), ([0x41, 0xED, 0xA0, 0x80], 1),
      ([0xF4, 0x90, 0x80, 0x80], 0), ([0x41, 0x42, 0xE6, 0x9D], 2),
    ] as [([UInt8], Int64?)])
  func knownSequencesWholeAndByteByByte(_ bytes: [UInt8], invalidAt offset: Int64?) {
    for chunk in [bytes.count, 1] {
      let validator = validate(bytes, chunk: max(chunk, 1))
      #expect(validator.firstInvalidOffset == offset, "\(bytes) in chunks of \(chunk)")
    }
  }

  @Test func agreesWithTheStandardLibraryOnSeededText() {
    var state: UInt64 = 29
    func next() -> UInt8 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    }
    for _ in 0..<5000 {
      // Mostly ASCII, with lead and continuation bytes mixed in: the text exports hold.
      let bytes = (0..<(Int(next()) % 40 + 1)).map { _ in
        let value = next()
        return value % 3 == 0 ? 0x80 | (value & 0x7F) : value & 0x7F
      }
      let expected = String(validating: bytes, as: UTF8.self) != nil
      for chunk in [bytes.count, 3, 1] {
        let validator = validate(bytes, chunk: chunk)
        #expect(validator.isValidSoFar == expected, "\(bytes) in chunks of \(chunk)")
        #expect(validator.sawNonASCII == bytes.contains { $0 >= 0x80 })
      }
    }
  }
}
