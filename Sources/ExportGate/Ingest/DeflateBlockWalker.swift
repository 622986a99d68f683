/// Walks a raw Deflate stream's blocks the way zlib reads them, without producing output, and
/// refuses every stream zlib refuses before ISA-L sees it: ISA-L decodes with codes zlib
/// rejects (incomplete or over-subscribed code sets whose missing codes the data never uses),
/// and what ExportGate certifies must open in unzip, Python and every zlib-based extractor.
///
/// It is resumable (fed the stream in whatever pieces the part's reads give) and allocates its
/// tables once; every step that needs more bits than a piece holds is retried with the next.
final class DeflateBlockWalker {
  /// How walking a piece ended.
  enum Status: Equatable {
    case needsInput
    /// The final block ended.
    case finished
    /// The stream is one zlib refuses, with zlib's reason.
    case invalid(String)
  }

  private enum Phase {
    case header
    case storedLength
    case storedData(remaining: Int)
    case dynamicCounts
    case codeLengthCodes(next: Int)
    case codeLengths
    case symbols
    case ended
  }

  /// The order code-length code lengths come in (RFC 1951, 3.2.7).
  private static let codeLengthOrder = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
  ]

  private var hold: UInt64 = 0
  private var bits = 0
  private var phase = Phase.header
  private var isFinal = false
  private var literalCount = 0
  private var distanceCount = 0
  private var codeLengthCodeCount = 0
  /// Code lengths read so far: the code-length code's 19, then the block's literal/length and
  /// distance lengths (`have` of them).
  private let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: 320)
  private var have = 0
  private let codeLengthCode = HuffmanLookup(.codeLengths, rootBits: 7)
  private let dynamicLiterals = HuffmanLookup(.literalsAndLengths, rootBits: 11)
  private let dynamicDistances = HuffmanLookup(.distances, rootBits: 8)
  private let fixedLiterals = HuffmanLookup(.literalsAndLengths, rootBits: 11)
  private let fixedDistances = HuffmanLookup(.distances, rootBits: 8)
  private var literals: HuffmanLookup
  private var distances: HuffmanLookup

  init() {
    literals = fixedLiterals
    distances = fixedDistances
    for table in [fixedLiterals, fixedDistances] {
      let fixed = HuffmanLookup.fixedLengths(table.alphabet)
      // The fixed codes are complete by definition (RFC 1951): building them cannot fail.
      fixed.withUnsafeBufferPointer {
        guard let base = $0.baseAddress else { return }
        try? table.build(base, count: $0.count)
      }
    }
  }

  deinit { lengths.deallocate() }

  /// Starts a new stream.
  func reset() {
    hold = 0
    bits = 0
    phase = .header
  }

  /// Walks `input`, the stream's next bytes.
  func walk(_ input: UnsafeRawBufferPointer) -> Status {
    var position = 0
    while true {
      let step: Step
      switch phase {
      case .symbols: step = walkSymbols(input, &position)
      case .storedData(let remaining): step = skipStored(remaining, input, &position)
      case .ended: return .finished
      default:
        refill(input, &position)
        step = readHeaderField()
      }
      switch step {
      case .progress: continue
      case .needsBits:
        if position < input.count { continue }
        return .needsInput
      case .finished: return .finished
      case .invalid(let reason):
        return .invalid(reason)
      }
    }
  }

  private enum Step {
    case progress, needsBits, finished
    case invalid(String)
  }

  /// Tops the bit buffer up to at least 56 bits, or with all the input there is. Bits above
  /// `bits` are zero or the stream's own next bits, so loading a byte twice is harmless.
  @inline(__always)
  private func refill(_ input: UnsafeRawBufferPointer, _ position: inout Int) {
    if input.count - position >= 8 {
      hold |= input.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian &<< bits
      position += (63 - bits) >> 3
      bits |= 56
      return
    }
    while bits < 56 && position < input.count {
      hold |= UInt64(input[position]) &<< bits
      position += 1
      bits += 8
    }
  }

  @inline(__always)
  private func consume(_ count: Int) {
    hold >>= UInt64(count)
    bits -= count
  }

  private func field(_ count: Int) -> Int { Int(hold & ((1 << UInt64(count)) - 1)) }

  /// One step of a block's header: its type, a stored block's lengths, or a dynamic block's
  /// counts and code lengths.
  private func readHeaderField() -> Step {
    switch phase {
    case .header:
      guard bits >= 3 else { return .needsBits }
      isFinal = field(1) == 1
      let type = field(3) >> 1
      consume(3)
      switch type {
      case 0:
        consume(bits & 7)
        phase = .storedLength
      case 1:
        literals = fixedLiterals
        distances = fixedDistances
        phase = .symbols
      case 2: phase = .dynamicCounts
      default: return .invalid("invalid block type")
      }
    case .storedLength:
      guard bits >= 32 else { return .needsBits }
      let length = field(16)
      guard length == ~field(32) >> 16 & 0xFFFF else {
        return .invalid("invalid stored block lengths")
      }
      consume(32)
      phase = .storedData(remaining: length)
    case .dynamicCounts:
      guard bits >= 14 else { return .needsBits }
      literalCount = field(5) + 257
      distanceCount = (field(10) >> 5) + 1
      codeLengthCodeCount = (field(14) >> 10) + 4
      consume(14)
      guard literalCount <= 286, distanceCount <= 30 else {
        return .invalid("too many length or distance symbols")
      }
      lengths.update(repeating: 0, count: 19)
      phase = .codeLengthCodes(next: 0)
    case .codeLengthCodes(var next):
      while next < codeLengthCodeCount {
        guard bits >= 3 else {
          phase = .codeLengthCodes(next: next)
          return .needsBits
        }
        lengths[Self.codeLengthOrder[next]] = UInt8(field(3))
        consume(3)
        next += 1
      }
      do { try codeLengthCode.build(lengths, count: 19) } catch {
        return .invalid("invalid code lengths set")
      }
      have = 0
      phase = .codeLengths
    case .codeLengths: return readCodeLength()
    case .storedData, .symbols, .ended: break
    }
    return .progress
  }

  /// One code length of a dynamic block (a length, or a repeat of one), and the block's codes
  /// once all are read.
  private func readCodeLength() -> Step {
    let total = literalCount + distanceCount
    guard have < total else { return buildBlockCodes() }
    let entry = codeLengthCode.root[Int(hold & 0x7F)]
    guard entry.codeLength > 0, entry.codeLength <= bits else {
      return bits >= 7 ? .invalid("invalid code lengths set") : .needsBits
    }
    let symbol = entry.symbol
    let (extra, base): (Int, Int) =
      switch symbol {
      case 16: (2, 3)
      case 17: (3, 3)
      case 18: (7, 11)
      default: (0, 0)
      }
    guard entry.codeLength + extra <= bits else { return .needsBits }
    let count = base + Int((hold >> UInt64(entry.codeLength)) & ((1 << UInt64(extra)) - 1))
    consume(entry.codeLength + extra)
    guard symbol >= 16 else {
      lengths[have] = UInt8(symbol)
      have += 1
      return .progress
    }
    guard symbol != 16 || have > 0, have + count <= total else {
      return .invalid("invalid bit length repeat")
    }
    let value = symbol == 16 ? lengths[have - 1] : 0
    (lengths + have).update(repeating: value, count: count)
    have += count
    return .progress
  }

  private func buildBlockCodes() -> Step {
    guard lengths[256] != 0 else { return .invalid("invalid code -- missing end-of-block") }
    do { try dynamicLiterals.build(lengths, count: literalCount) } catch {
      return .invalid("invalid literal/lengths set")
    }
    do { try dynamicDistances.build(lengths + literalCount, count: distanceCount) } catch {
      return .invalid("invalid distances set")
    }
    literals = dynamicLiterals
    distances = dynamicDistances
    phase = .symbols
    return .progress
  }

  private func skipStored(
    _ remaining: Int, _ input: UnsafeRawBufferPointer, _ position: inout Int
  ) -> Step {
    // After the lengths the buffer holds whole bytes only: the block's first ones.
    let buffered = min(remaining, bits / 8)
    consume(buffered * 8)
    var left = remaining - buffered
    if bits == 0 {
      hold = 0
      let skipped = min(left, input.count - position)
      position += skipped
      left -= skipped
    }
    guard left == 0 else {
      phase = .storedData(remaining: left)
      return .needsBits
    }
    return endBlock()
  }

  private func endBlock() -> Step {
    guard !isFinal else {
      phase = .ended
      return .finished
    }
    phase = .header
    return .progress
  }

  /// The block's symbols, up to its end-of-block code or the end of the input: the common
  /// symbols (short codes, eight bytes of input ahead) in ``walkShortCodes``, the rest here.
  private func walkSymbols(_ input: UnsafeRawBufferPointer, _ position: inout Int) -> Step {
    while true {
      walkShortCodes(input, &position)
      refill(input, &position)
      guard let literal = decode(literals) else { return .needsBits }
      switch literal.kind {
      case .plain:
        consume(literal.codeLength)
      case .endOfBlock:
        consume(literal.codeLength)
        return endBlock()
      case .invalid:
        return .invalid("invalid literal/length code")
      case .length:
        let lengthBits = literal.codeLength + literal.extraBits
        guard lengthBits <= bits else { return .needsBits }
        // Decode the distance from the bits after the length, consuming both only together.
        let saved = (hold, bits)
        consume(lengthBits)
        guard let distance = decode(distances) else {
          (hold, bits) = saved
          return .needsBits
        }
        guard distance.kind != .invalid else { return .invalid("invalid distance code") }
        guard distance.codeLength + distance.extraBits <= bits else {
          (hold, bits) = saved
          return .needsBits
        }
        consume(distance.codeLength + distance.extraBits)
      }
    }
  }

  /// The hot loop, on local copies of the bit buffer: while eight bytes of input are ahead
  /// (enough for a length, a distance and their extra bits, 48 bits at most) it walks literals
  /// and matches whose codes fit the root tables. It stops, with nothing half consumed, at
  /// anything else (a long code, an invalid one, the block's end) for ``walkSymbols``.
  @inline(__always)
  private func walkShortCodes(_ input: UnsafeRawBufferPointer, _ position: inout Int) {
    var hold = self.hold
    var bits = self.bits
    var at = position
    defer {
      self.hold = hold
      self.bits = bits
      position = at
    }
    let literalRoot = literals.root
    let literalMask = UInt64(1) << UInt64(literals.rootBits) - 1
    let distanceRoot = distances.root
    let distanceMask = UInt64(1) << UInt64(distances.rootBits) - 1
    let plain = HuffmanLookup.Kind.plain.rawValue
    let length = HuffmanLookup.Kind.length.rawValue
    while input.count - at >= 8 {
      hold |= input.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian &<< bits
      at += (63 - bits) >> 3
      bits |= 56
      let literal = literalRoot[Int(hold & literalMask)].packed
      let literalBits = Int(literal & 0xF)
      let kind = literal >> 9 & 3
      if kind == plain && literalBits > 0 {
        hold >>= UInt64(literalBits)
        bits -= literalBits
        continue
      }
      guard kind == length && literalBits > 0 else { return }
      let lengthBits = literalBits + Int(literal >> 4 & 0x1F)
      let distance = distanceRoot[Int((hold >> UInt64(lengthBits)) & distanceMask)].packed
      let distanceBits = Int(distance & 0xF)
      guard distanceBits > 0, distance >> 9 & 3 == plain else { return }
      let total = lengthBits + distanceBits + Int(distance >> 4 & 0x1F)
      hold >>= UInt64(total)
      bits -= total
    }
  }

  /// The symbol the buffer starts with (its code's length filled in for long codes), or nil
  /// when the buffer holds too few bits to tell.
  @inline(__always)
  private func decode(_ code: HuffmanLookup) -> HuffmanLookup.Entry? {
    let entry = code.root[Int(hold & ((1 << UInt64(code.rootBits)) - 1))]
    let length = entry.codeLength
    if length > 0 { return length <= bits ? entry : nil }
    if entry.kind == .invalid { return bits >= code.rootBits ? entry : nil }
    return code.decodeLong(hold, available: bits)
  }
}
