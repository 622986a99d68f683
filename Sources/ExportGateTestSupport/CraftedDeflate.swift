import CArchive

/// Raw Deflate streams written bit by bit, for the streams no compressor makes: dynamic blocks
/// whose code sets are incomplete or over-subscribed, repeats that overrun, symbols no stream
/// may use. With ``inflate(_:limit:)``, zlib's verdict on any stream, the oracle ExportGate's
/// own decoder is held to.
public enum CraftedDeflate {
  /// One symbol of a block.
  public enum Symbol: Sendable {
    case literal(UInt8)
    /// A match, by the symbols and extra-bit values themselves (so that invalid ones can be
    /// written): length symbol 257-287 and distance symbol 0-31.
    case match(lengthSymbol: Int, lengthExtra: Int = 0, distanceSymbol: Int, distanceExtra: Int = 0)
  }

  /// One block of a crafted stream.
  public enum Block: Sendable {
    /// A dynamic block (type 2). The code lengths are sent as plain lengths 0-15 with a
    /// code-length code of `codeLengthLengths` (19, in symbol order; nil: symbols 0-15 four
    /// bits each, a complete code), then `symbols` and the end-of-block code.
    case dynamic(
      literalLengths: [UInt8], distanceLengths: [UInt8], codeLengthLengths: [UInt8]?,
      symbols: [Symbol])
    /// A fixed-code block (type 1) holding `symbols`.
    case fixed(symbols: [Symbol])
  }

  /// The blocks one after another, the last one final.
  public static func stream(_ blocks: [Block]) -> [UInt8] {
    var writer = BitWriter()
    for (index, block) in blocks.enumerated() {
      writer.write(index == blocks.count - 1 ? 1 : 0, bits: 1)
      switch block {
      case .dynamic(let literalLengths, let distanceLengths, let codeLengthLengths, let symbols):
        writer.write(2, bits: 2)
        writeCodeLengths(literalLengths, distanceLengths, codeLengthLengths, to: &writer)
        writeSymbols(symbols, literals: literalLengths, distances: distanceLengths, to: &writer)
      case .fixed(let symbols):
        writer.write(1, bits: 2)
        let literals =
          [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
          + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)
        writeSymbols(
          symbols, literals: literals, distances: [UInt8](repeating: 5, count: 32), to: &writer)
      }
    }
    return writer.bytes
  }

  /// A stream of one dynamic block (see ``Block/dynamic(literalLengths:distanceLengths:codeLengthLengths:symbols:)``).
  public static func dynamicBlock(
    literalLengths: [UInt8], distanceLengths: [UInt8], codeLengthLengths: [UInt8]? = nil,
    symbols: [Symbol]
  ) -> [UInt8] {
    stream([
      .dynamic(
        literalLengths: literalLengths, distanceLengths: distanceLengths,
        codeLengthLengths: codeLengthLengths, symbols: symbols)
    ])
  }

  /// A stream of one fixed-code block.
  public static func fixedBlock(symbols: [Symbol]) -> [UInt8] { stream([.fixed(symbols: symbols)]) }

  private static func writeCodeLengths(
    _ literalLengths: [UInt8], _ distanceLengths: [UInt8], _ codeLengthLengths: [UInt8]?,
    to writer: inout BitWriter
  ) {
    writer.write(literalLengths.count - 257, bits: 5)
    writer.write(distanceLengths.count - 1, bits: 5)
    writer.write(15, bits: 4)
    let lengthsCode = codeLengthLengths ?? ([UInt8](repeating: 4, count: 16) + [0, 0, 0])
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    for symbol in order { writer.write(Int(lengthsCode[symbol]), bits: 3) }
    let lengthCodes = codes(lengthsCode)
    for length in literalLengths + distanceLengths {
      writer.writeCode(lengthCodes[Int(length)], length: Int(lengthsCode[Int(length)]))
    }
  }

  private static func writeSymbols(
    _ symbols: [Symbol], literals: [UInt8], distances: [UInt8], to writer: inout BitWriter
  ) {
    let literalCodes = codes(literals)
    let distanceCodes = codes(distances)
    for symbol in symbols {
      switch symbol {
      case .literal(let byte):
        writer.writeCode(literalCodes[Int(byte)], length: Int(literals[Int(byte)]))
      case .match(let lengthSymbol, let lengthExtra, let distanceSymbol, let distanceExtra):
        writer.writeCode(literalCodes[lengthSymbol], length: Int(literals[lengthSymbol]))
        writer.write(lengthExtra, bits: lengthExtraBits(lengthSymbol))
        writer.writeCode(distanceCodes[distanceSymbol], length: Int(distances[distanceSymbol]))
        writer.write(distanceExtra, bits: distanceSymbol < 4 ? 0 : min(distanceSymbol / 2 - 1, 13))
      }
    }
    writer.writeCode(literalCodes[256], length: Int(literals[256]))
  }

  private static func lengthExtraBits(_ symbol: Int) -> Int {
    symbol < 265 || symbol >= 285 ? 0 : (symbol - 261) / 4
  }

  /// Canonical codes for `lengths` (RFC 1951, 3.2.2), assigned whether or not the set is
  /// complete: an over-subscribed set gets codes too long for their length, cut to it.
  static func codes(_ lengths: [UInt8]) -> [Int] {
    var counts = [Int](repeating: 0, count: 16)
    for length in lengths where length > 0 { counts[Int(length)] += 1 }
    var next = [Int](repeating: 0, count: 16)
    var code = 0
    for length in 1..<16 {
      code = (code + counts[length - 1]) << 1
      next[length] = code
    }
    return lengths.map { length in
      guard length > 0 else { return 0 }
      defer { next[Int(length)] += 1 }
      return next[Int(length)] & ((1 << Int(length)) - 1)
    }
  }

  /// zlib's reading of a raw Deflate stream: its bytes when the stream ends, or zlib's message
  /// (or "ends early" when it wants more input). Output past `limit` bytes is "too long".
  public static func inflate(_ stream: [UInt8], limit: Int = 1 << 24) -> Result<
    [UInt8], ZlibRefusal
  > {
    var z = z_stream()
    guard inflateInit2_(&z, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      return .failure(ZlibRefusal(message: "inflateInit2 failed"))
    }
    defer { inflateEnd(&z) }
    var input = stream
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    return input.withUnsafeMutableBufferPointer { source in
      z.next_in = source.baseAddress
      z.avail_in = uInt(source.count)
      while true {
        let code = buffer.withUnsafeMutableBufferPointer { target -> Int32 in
          z.next_out = target.baseAddress
          z.avail_out = uInt(target.count)
          return CArchive.inflate(&z, Z_NO_FLUSH)
        }
        output += buffer.prefix(buffer.count - Int(z.avail_out))
        if output.count > limit { return .failure(ZlibRefusal(message: "too long")) }
        switch code {
        case Z_STREAM_END: return .success(output)
        case Z_OK: continue
        case Z_BUF_ERROR: return .failure(ZlibRefusal(message: "ends early"))
        default:
          return .failure(
            ZlibRefusal(message: z.msg.map { String(cString: $0) } ?? "error \(code)"))
        }
      }
    }
  }

  /// Why zlib refused a stream.
  public struct ZlibRefusal: Error, Equatable {
    public let message: String

    public init(message: String) { self.message = message }
  }
}

/// Bits written least significant first, as Deflate packs them.
struct BitWriter {
  private(set) var bytes: [UInt8] = []
  private var used = 8

  mutating func write(_ value: Int, bits: Int) {
    for index in 0..<bits {
      if used == 8 {
        bytes.append(0)
        used = 0
      }
      bytes[bytes.count - 1] |= UInt8((value >> index) & 1) << used
      used += 1
    }
  }

  /// A Huffman code, its most significant bit first.
  mutating func writeCode(_ code: Int, length: Int) {
    for index in stride(from: length - 1, through: 0, by: -1) { write(code >> index, bits: 1) }
  }
}
