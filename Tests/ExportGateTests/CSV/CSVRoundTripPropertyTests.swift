import ExportGate
import ExportGateTestSupport
import Testing

/// Random tables written by a reference writer must parse back identically, fed whole, one byte
/// at a time, and split at every point.
@Suite struct CSVRoundTripPropertyTests {
  static let pieces = [
    "a", "Zoë", "東京", "🙂", ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "\t", "x,y", "", "0",
    "2024-01-01 00:00:00", "000000000000000AAA",
  ]

  static func randomTable(_ random: inout SeededRandom) -> [[String]] {
    let width = 1 + random.below(5)
    let height = 1 + random.below(6)
    return (0..<height).map { _ in
      (0..<width).map { _ in
        (0..<random.below(4)).map { _ in random.pick(pieces) }.joined()
      }
    }
  }

  @Test(arguments: 0..<40)
  func randomTablesRoundTrip(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &* 7919)
    let table = Self.randomTable(&random)
    let terminators = [["\n"], ["\r\n"], ["\r"], ["\n", "\r\n", "\r"], [""]][random.below(5)]
    let bytes = ReferenceCSVWriter.write(
      table, terminators: terminators, quoteAll: random.chance(50))
    // Random first rows are not headers: only the width check applies.
    var options = CSVParser.Options()
    options.hasHeader = false
    let whole = parseCSV(bytes, options: options).collected
    #expect(
      whole.records == table, "whole: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    #expect(whole.malformations.isEmpty)
    #expect(parseCSV(bytes, chunkSize: 1, options: options).collected.records == table)
    for split in 0...bytes.count {
      let parsed = parseCSV(bytes, splitAt: split, options: options).collected
      #expect(parsed.records == table, "split at \(split)")
      if parsed.records != table { break }
    }
  }
}
