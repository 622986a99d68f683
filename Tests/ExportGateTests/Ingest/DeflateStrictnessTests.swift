import CISAL
import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// ExportGate's Deflate decoder is exactly as strict as zlib: ISA-L alone decodes streams whose
/// code sets zlib refuses (incomplete or over-subscribed), and what ExportGate certifies must
/// open in unzip, Python and every other zlib-based extractor. zlib is the oracle.
@Suite struct DeflateStrictnessTests {
  typealias Symbol = CraftedDeflate.Symbol

  /// Lengths for `count` symbols, zero but where `set` says.
  static func lengths(_ count: Int, _ set: [Int: UInt8]) -> [UInt8] {
    (0..<count).map { set[$0] ?? 0 }
  }

  static let abc: [Symbol] = [.literal(97), .literal(98), .literal(97)]

  /// (label, stream, whether zlib takes it)
  static let crafted: [(String, [UInt8], Bool)] = [
    (
      "an incomplete literal/length code",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(257, [97: 2, 98: 2, 256: 2]), distanceLengths: [1], symbols: abc),
      false
    ),
    (
      "an incomplete distance code",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(258, [97: 2, 256: 2, 257: 1]), distanceLengths: [2, 2],
        symbols: [.literal(97), .match(lengthSymbol: 257, distanceSymbol: 0)]),
      false
    ),
    (
      "an incomplete code-length code",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(257, [97: 2, 98: 2, 99: 2, 256: 2]), distanceLengths: [1],
        codeLengthLengths: [UInt8](repeating: 5, count: 16) + [0, 0, 0], symbols: abc),
      false
    ),
    (
      "an over-subscribed literal/length code",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(257, [97: 1, 98: 2, 99: 2, 256: 2]), distanceLengths: [1],
        symbols: [.literal(97)]),
      false
    ),
    (
      "no end-of-block code",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(257, [97: 1, 98: 1]), distanceLengths: [1], symbols: abc),
      false
    ),
    (
      "a single one-bit distance code (zlib allows it)",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(258, [97: 2, 256: 2, 257: 1]), distanceLengths: [1],
        symbols: [.literal(97), .match(lengthSymbol: 257, distanceSymbol: 0), .literal(97)]),
      true
    ),
    (
      "no distance codes at all, literals only",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(257, [97: 2, 98: 2, 99: 2, 256: 2]), distanceLengths: [0],
        symbols: abc),
      true
    ),
    (
      "only an end-of-block code of one bit",
      CraftedDeflate.dynamicBlock(
        literalLengths: lengths(257, [256: 1]), distanceLengths: [0], symbols: []),
      true
    ),
    (
      "a fixed block with literal/length symbol 286",
      CraftedDeflate.fixedBlock(
        symbols: [.literal(97), .match(lengthSymbol: 286, distanceSymbol: 0)]),
      false
    ),
    (
      "a fixed block with distance symbol 30",
      CraftedDeflate.fixedBlock(
        symbols: [.literal(97), .match(lengthSymbol: 257, distanceSymbol: 30)]),
      false
    ),
    (
      "a fixed block reaching back past the start",
      CraftedDeflate.fixedBlock(
        symbols: [.literal(97), .match(lengthSymbol: 257, distanceSymbol: 1)]),
      false
    ),
    (
      "a fixed block of matches",
      CraftedDeflate.fixedBlock(
        symbols: [
          .literal(97), .literal(98), .match(lengthSymbol: 284, lengthExtra: 30, distanceSymbol: 1),
          .match(lengthSymbol: 285, distanceSymbol: 0),
        ]),
      true
    ),
    (
      "a non-final dynamic block, then a fixed one",
      CraftedDeflate.stream([
        .dynamic(
          literalLengths: lengths(257, [97: 2, 98: 2, 99: 2, 256: 2]), distanceLengths: [0],
          codeLengthLengths: nil, symbols: abc),
        .fixed(symbols: [.literal(99), .match(lengthSymbol: 258, distanceSymbol: 2)]),
      ]),
      true
    ),
  ]

  /// Our decoder's reading, fed in pieces of `size`: the bytes when the stream finished, else
  /// why not.
  static func ours(_ stream: [UInt8], pieces size: Int) -> Result<
    [UInt8], CraftedDeflate.ZlibRefusal
  > {
    let decoder = DeflateDecoder(outputSize: 4096)
    decoder.reset()
    var output: [UInt8] = []
    var status = DeflateDecoder.Status.needsInput
    var start = 0
    while start < stream.count && status == .needsInput {
      let end = min(start + size, stream.count)
      status = stream[start..<end].withUnsafeBytes { piece in
        decoder.decode(piece) {
          output += $0
          return output.count <= 1 << 24
        }
      }
      start = end
    }
    switch status {
    case .finished: return .success(output)
    case .invalid(let reason): return .failure(.init(message: reason))
    case .stopped: return .failure(.init(message: "too long"))
    case .needsInput: return .failure(.init(message: "ends early"))
    }
  }

  /// ISA-L on its own, the whole stream at once: whether it decodes it.
  static func isalAlone(_ stream: [UInt8]) -> Bool {
    var state = inflate_state()
    isal_inflate_init(&state)
    var input = stream
    var output = [UInt8](repeating: 0, count: 1 << 20)
    return input.withUnsafeMutableBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        state.next_in = source.baseAddress
        state.avail_in = UInt32(source.count)
        state.next_out = target.baseAddress
        state.avail_out = UInt32(target.count)
        return isal_inflate(&state) == ISAL_DECOMP_OK && state.block_state == ISAL_BLOCK_FINISH
      }
    }
  }

  @Test func zlibsVerdictOnEachCraftedStreamIsTheOneExpected() {
    for (label, stream, accepted) in Self.crafted {
      let zlib = CraftedDeflate.inflate(stream)
      #expect(((try? zlib.get()) != nil) == accepted, "\(label): zlib says \(zlib)")
    }
  }

  /// The leniency this defends against is real: ISA-L alone decodes the incomplete sets.
  @Test func isalAloneDecodesIncompleteCodeSetsZlibRefuses() {
    for (label, stream, _) in Self.crafted.prefix(3) {
      #expect(Self.isalAlone(stream), "\(label)")
      #expect((try? CraftedDeflate.inflate(stream).get()) == nil, "\(label)")
    }
  }

  @Test func ourDecoderAgreesWithZlibOnEveryCraftedStreamHoweverItIsCut() {
    for (label, stream, _) in Self.crafted {
      let zlib = CraftedDeflate.inflate(stream)
      for size in [1, 2, 3, stream.count] {
        let mine = Self.ours(stream, pieces: size)
        switch (zlib, mine) {
        case (.success(let theirs), .success(let bytes)):
          #expect(theirs == bytes, "\(label), pieces of \(size)")
        case (.failure, .failure): break
        default: Issue.record("\(label), pieces of \(size): zlib \(zlib), ours \(mine)")
        }
      }
    }
  }

  @Test func aRefusalSaysItIsZlibsAndWhichToolsFail() throws {
    let refusal = try #require(
      Self.ours(Self.crafted[0].1, pieces: 64).failure?.message)
    #expect(refusal.contains("invalid literal/lengths set"))
    #expect(refusal.contains("unzip") && refusal.contains("Python"))
  }

  /// Seeds: zlib's own streams at several levels and the crafted ones; each mutated by seeded
  /// bit flips (mostly in the headers, where the code sets are), byte changes and cuts. Every
  /// mutant is read by zlib and by ours, cut at random: both take it with the same bytes, or
  /// both refuse it.
  @Test func ourDecoderAgreesWithZlibOnMutatedStreams() {
    var random = SeededRandom(seed: 26)
    let text = Array(DeflateDecoderTests.text.prefix(20_000))
    let noisy = (0..<6_000).map { _ in UInt8(truncatingIfNeeded: random.next() % 7) }
    let seeds =
      [RawZip.deflate(text, level: 1), RawZip.deflate(text, level: 9), RawZip.deflate(noisy)]
      + Self.crafted.map(\.1)
    var disagreements: [String] = []
    var compared = 0
    for (index, seed) in seeds.enumerated() {
      for round in 0..<400 {
        var mutant = seed
        let header = min(mutant.count, 80)
        for _ in 0...(random.next() % 3) {
          let anywhere = random.next() % 4 == 0
          let byte = Int(random.next() % UInt64(anywhere ? mutant.count : header))
          switch random.next() % 5 {
          case 0: mutant[byte] = UInt8(truncatingIfNeeded: random.next())
          default: mutant[byte] ^= 1 << UInt8(random.next() % 8)
          }
        }
        if random.next() % 8 == 0 {
          mutant = Array(mutant.prefix(Int(random.next() % UInt64(mutant.count))))
        }
        let zlib = CraftedDeflate.inflate(mutant)
        if zlib.failure?.message == "too long" { continue }
        let mine = Self.ours(mutant, pieces: 1 + Int(random.next() % 97))
        compared += 1
        switch (zlib, mine) {
        case (.success(let theirs), .success(let bytes)) where theirs == bytes: continue
        case (.failure, .failure): continue
        default:
          disagreements.append(
            "seed \(index) round \(round): zlib \(zlib.failure?.message ?? "ok"), ours \(mine.failure?.message ?? "ok") \(mutant.prefix(24).map { String($0, radix: 16) })"
          )
        }
      }
    }
    #expect(compared > 4000)
    #expect(disagreements.isEmpty, "\(disagreements.prefix(5).joined(separator: "\n"))")
  }

  /// In a part: the entry is damaged (the direct read agrees with libarchive, itself zlib), and
  /// verify names zlib's reason and the tools.
  @Test func anEntryWithAnIncompleteCodeIsDamagedInAPart() throws {
    let directory = TemporaryDirectory()
    let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
    var entry = RawZip.Entry("Attachments/00P5g00000AbCdEAAV", Array("aba".utf8))
    entry.centralMethod = 8
    entry.localMethod = 8
    entry.data = Self.crafted[0].1
    let plain = RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8))
    try RawZip.write([plain, entry], to: path)
    let decoders = try DirectReadTests.expectAlike([path], "incomplete code")
    #expect(decoders == ["exportgate"])
    var scanner = BundleScanner(bundle: try BundleLocator.locate([path]), jobs: 1)
    scanner.allowsDirectRead = true
    let result = scanner.scan(visitor: CollectingVisitor())
    let corrupt = result.findings.filter { $0.code == .entryCorrupt }
    #expect(corrupt.count == 1)
    #expect(corrupt.first?.message.contains("zlib") == true)
  }
}

extension Result {
  fileprivate var failure: Failure? {
    if case .failure(let error) = self { return error }
    return nil
  }
}
