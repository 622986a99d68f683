import ExportGateTestSupport
import Testing

@testable import ExportGate

/// Leading stored blocks are handed on from the input and ISA-L takes over at the first block
/// of another kind: held to the bytes zlib deflated, fed in pieces split at every size.
@Suite struct DeflateDecoderTests {
  static func random(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededRandom(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
  }

  static let text = Array(
    String(
      repeating: "\"001\",\"Acme \\\"Widgets\\\"\",\"0\",\"2026-11-27T10:00:00.000Z\"\n",
      count: 3000
    )
    .utf8)

  /// Stored blocks, each with the final flag only on the last when `final`; `padding` fills
  /// the header byte's unused bits (decoders ignore them).
  static func stored(_ blocks: [[UInt8]], final: Bool = true, padding: UInt8 = 0) -> [UInt8] {
    var stream: [UInt8] = []
    for (index, block) in blocks.enumerated() {
      let isFinal = final && index == blocks.count - 1
      let length = UInt16(block.count)
      stream += [(isFinal ? 1 : 0) | (padding & 0xF8)]
      stream += [
        UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8),
      ]
      stream += block
    }
    return stream
  }

  /// (label, Deflate stream, the bytes it holds)
  static func streams() -> [(String, [UInt8], [UInt8])] {
    let noise = random(300_000, seed: 1)
    let history = random(40_000, seed: 2)
    let laterPart = Array(history[20_000..<40_000]) + Array(history[0..<10_000]) + text
    let long = random(100_000, seed: 3)
    let longTail = Array(long[70_000..<100_000]) + text
    return [
      ("zlib on incompressible bytes", RawZip.deflate(noise), noise),
      ("zlib level 0", RawZip.deflate(text, level: 0), text),
      ("text", RawZip.deflate(text), text),
      (
        "stored, then blocks that refer back into them",
        stored([Array(history[0..<1000]), [], Array(history[1000..<40_000])], final: false)
          + RawZip.deflate(laterPart, dictionary: history),
        history + laterPart
      ),
      (
        "more than 32 KiB stored, then back-references",
        stored(
          stride(from: 0, to: long.count, by: 65_535).map {
            Array(long[$0..<min($0 + 65_535, long.count)])
          }, final: false) + RawZip.deflate(longTail, dictionary: Array(long.suffix(32_768))),
        long + longTail
      ),
      ("one empty final stored block", stored([[]]), []),
      (
        "padding bits set",
        stored([Array(text.prefix(5000)), Array(text.prefix(7))], padding: 0xF8),
        Array(text.prefix(5000)) + Array(text.prefix(7))
      ),
    ]
  }

  /// Feeds `stream` (then `trailing`) in pieces of `size`; returns the output, the last status
  /// and the input bytes the stream used.
  static func decode(_ stream: [UInt8], trailing: [UInt8] = [], pieces size: Int) -> (
    output: [UInt8], status: DeflateDecoder.Status, used: Int
  ) {
    let decoder = DeflateDecoder(outputSize: 4096)
    decoder.reset()
    let input = stream + trailing
    var output: [UInt8] = []
    var status = DeflateDecoder.Status.needsInput
    var used = 0
    var start = 0
    while start < input.count && status == .needsInput {
      let end = min(start + size, input.count)
      status = input[start..<end].withUnsafeBytes { piece in
        decoder.decode(piece) {
          output += $0
          return true
        }
      }
      used += (end - start) - (status == .finished ? decoder.unusedInput : 0)
      start = end
    }
    return (output, status, used)
  }

  @Test func everyStreamDecodesToItsBytesHoweverItIsCut() {
    for (label, stream, content) in Self.streams() {
      for size in [1, 2, 3, 5, 7, 13, 64, 4096, 65_537, stream.count + 3] {
        let result = Self.decode(stream, trailing: [9, 9, 9], pieces: size)
        #expect(result.status == .finished, "\(label), pieces of \(size)")
        // A Bool, not the arrays: a failed comparison of 300 KB arrays would be diffed.
        let decodedAll = result.output == content
        #expect(decodedAll, "\(label), pieces of \(size): \(result.output.count) bytes")
        #expect(result.used == stream.count, "\(label), pieces of \(size)")
      }
    }
  }

  @Test func theStoredStreamsReallyBeginWithStoredBlocks() {
    for (label, stream, _) in Self.streams() where label != "text" {
      #expect(stream[0] & 0b110 == 0, "\(label)")
    }
    #expect(Self.streams()[2].1[0] & 0b110 != 0)
  }

  @Test func aLengthThatDoesNotMatchItsComplementIsInvalid() {
    var stream = Self.stored([Array(Self.text.prefix(300))])
    stream[3] ^= 1
    for size in [1, 4, stream.count] {
      guard case .invalid = Self.decode(stream, pieces: size).status else {
        Issue.record("pieces of \(size): not found invalid")
        continue
      }
    }
  }

  @Test func aCutStreamNeverFinishes() {
    for (label, stream, _) in Self.streams() where stream.count > 10 {
      let result = Self.decode(Array(stream.dropLast(3)), pieces: 1000)
      #expect(result.status == .needsInput, "\(label)")
    }
  }

  /// A back-reference further back than the stored output goes: the history given to ISA-L
  /// is the output's, no more.
  @Test func aReferenceBeforeTheStreamsStartIsInvalid() {
    let dictionary = Self.random(10_000, seed: 4)
    let stream =
      Self.stored([Array(dictionary.suffix(1000))], final: false)
      + RawZip.deflate(Array(dictionary.prefix(5000)), dictionary: dictionary)
    guard case .invalid = Self.decode(stream, pieces: 4096).status else {
      Issue.record("a reference to bytes the stream never held was decoded")
      return
    }
  }

  @Test func aReceiverThatStopsStopsTheStoredRun() {
    let stream = Self.stored([Array(Self.text.prefix(300))])
    let decoder = DeflateDecoder()
    decoder.reset()
    let status = stream.withUnsafeBytes { decoder.decode($0) { _ in false } }
    #expect(status == .stopped)
  }
}
