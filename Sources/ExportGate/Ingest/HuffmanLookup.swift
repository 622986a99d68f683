/// One Deflate Huffman code (code lengths, literals/lengths or distances) as a lookup table for
/// ``DeflateBlockWalker``: built from a block's code lengths with zlib's acceptance rules, and
/// read back as, for each symbol, how many bits it takes with its extra bits and what it is.
/// A literal/length slot may stand for two literals (``codeLength`` then covers both).
final class HuffmanLookup {
  /// Which of Deflate's three alphabets the code is for: it decides what a symbol means and
  /// which incomplete codes zlib lets through.
  enum Alphabet {
    case codeLengths, literalsAndLengths, distances
  }

  /// Why a set of code lengths is refused, in zlib's own words.
  enum Refusal: Error {
    case overSubscribed, incomplete
  }

  /// What a decoded symbol is, for walking past it.
  enum Kind: UInt32 {
    /// A literal byte, or (code lengths) a length or repeat symbol.
    case plain = 0
    /// A match length: a distance follows.
    case length = 1
    /// The end of the block.
    case endOfBlock = 2
    /// A symbol no valid stream uses (literal/length 286-287, distance 30-31, or a code an
    /// incomplete set leaves unassigned).
    case invalid = 3
  }

  /// A symbol, packed in one word: bits 0-3 its code's length (0: longer than the root table,
  /// decode slowly), 4-8 its extra bits, 9-10 its ``Kind``, 16-31 the symbol.
  struct Entry {
    let packed: UInt32

    init(symbol: Int, codeLength: Int, extra: Int, kind: Kind) {
      packed = UInt32(symbol) << 16 | kind.rawValue << 9 | UInt32(extra) << 4 | UInt32(codeLength)
    }

    /// The code's own length in bits (0: look it up with ``HuffmanLookup/decodeLong``).
    var codeLength: Int { Int(packed & 0xF) }
    /// The extra bits that follow the code.
    var extraBits: Int { Int(packed >> 4 & 0x1F) }
    var kind: Kind { Kind(rawValue: packed >> 9 & 3) ?? .invalid }
    var symbol: Int { Int(packed >> 16) }
  }

  static let maximumCodeLength = 15
  let alphabet: Alphabet
  let rootBits: Int
  let root: UnsafeMutablePointer<Entry>
  private var counts = [Int](repeating: 0, count: maximumCodeLength + 1)
  /// The symbols in canonical order (by code length, then symbol), for codes past the root.
  private let sorted: UnsafeMutablePointer<UInt16>

  init(_ alphabet: Alphabet, rootBits: Int) {
    self.alphabet = alphabet
    self.rootBits = rootBits
    root = .allocate(capacity: 1 << rootBits)
    sorted = .allocate(capacity: 320)
  }

  deinit {
    root.deallocate()
    sorted.deallocate()
  }

  /// The lengths of fixed-code blocks (RFC 1951, 3.2.6).
  static func fixedLengths(_ alphabet: Alphabet) -> [UInt8] {
    switch alphabet {
    case .distances: [UInt8](repeating: 5, count: 32)
    default:
      [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
        + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)
    }
  }

  /// Builds the code from `count` code lengths, refusing what zlib's `inflate_table` refuses:
  /// an over-subscribed set always, an incomplete one except a single code of one bit for
  /// literals/lengths or distances (and no distance codes at all). A code-length code without
  /// any code is refused too: zlib takes it but every stream using it then fails.
  func build(_ lengths: UnsafePointer<UInt8>, count: Int) throws(Refusal) {
    for index in counts.indices { counts[index] = 0 }
    for symbol in 0..<count { counts[Int(lengths[symbol])] += 1 }
    counts[0] = 0
    let longest = (0...Self.maximumCodeLength).last { counts[$0] > 0 } ?? 0
    let invalid = Entry(symbol: 0, codeLength: 0, extra: 0, kind: .invalid)
    root.update(repeating: invalid, count: 1 << rootBits)
    if longest == 0 {
      if alphabet == .distances { return }
      throw .incomplete
    }
    var left = 1
    for length in 1...Self.maximumCodeLength {
      left = (left << 1) - counts[length]
      if left < 0 { throw .overSubscribed }
    }
    if left > 0 && (alphabet == .codeLengths || longest != 1) { throw .incomplete }
    fill(lengths, count: count)
    if alphabet == .literalsAndLengths { pairLiterals() }
  }

  /// Where a literal's code leaves room in the slot for a whole second literal's, the slot
  /// skips both: a walker only needs to know how far to go, and text is mostly literals.
  private func pairLiterals() {
    let plain = Kind.plain.rawValue
    for slot in 0..<(1 << rootBits) {
      let first = root[slot]
      let firstBits = first.codeLength
      guard first.packed >> 9 & 3 == plain, firstBits > 0, firstBits < rootBits else { continue }
      let second = root[slot >> firstBits]
      let secondBits = second.codeLength
      guard second.packed >> 9 & 3 == plain, secondBits > 0, firstBits + secondBits <= rootBits
      else { continue }
      root[slot] = Entry(
        symbol: first.symbol, codeLength: firstBits + secondBits, extra: 0, kind: .plain)
    }
  }

  /// Canonical codes in order; each short code fills every root slot it prefixes (codes are
  /// read least significant bit first, so a slot's index is the code reversed).
  private func fill(_ lengths: UnsafePointer<UInt8>, count: Int) {
    var offsets = [Int](repeating: 0, count: Self.maximumCodeLength + 2)
    for length in 1...Self.maximumCodeLength {
      offsets[length + 1] = offsets[length] + counts[length]
    }
    var next = [Int](repeating: 0, count: Self.maximumCodeLength + 1)
    var code = 0
    for length in 1...Self.maximumCodeLength {
      code = (code + counts[length - 1]) << 1
      next[length] = code
    }
    let slots = 1 << rootBits
    for symbol in 0..<count {
      let length = Int(lengths[symbol])
      guard length > 0 else { continue }
      sorted[offsets[length]] = UInt16(symbol)
      offsets[length] += 1
      let reversed = Self.reverse(next[length], bits: length)
      next[length] += 1
      if length <= rootBits {
        let entry = describe(symbol, codeLength: length)
        var slot = reversed
        while slot < slots {
          root[slot] = entry
          slot += 1 << length
        }
      } else {
        // Longer codes: the slot of their first `rootBits` bits says "decode slowly".
        root[reversed & (slots - 1)] = Entry(symbol: 0, codeLength: 0, extra: 0, kind: .plain)
      }
    }
  }

  /// The symbol the bits in `hold` (`available` of them valid) start with, for a code longer
  /// than the root table: canonical decoding one bit at a time. Nil when more bits are needed;
  /// an invalid entry when no code matches.
  func decodeLong(_ hold: UInt64, available: Int) -> Entry? {
    var code = 0
    var first = 0
    var index = 0
    for length in 1...Self.maximumCodeLength {
      guard length <= available else { return nil }
      code |= Int((hold >> UInt64(length - 1)) & 1)
      let count = counts[length]
      if code - first < count {
        return describe(Int(sorted[index + code - first]), codeLength: length)
      }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    return Entry(symbol: 0, codeLength: 0, extra: 0, kind: .invalid)
  }

  private func describe(_ symbol: Int, codeLength: Int) -> Entry {
    switch alphabet {
    case .codeLengths:
      return Entry(symbol: symbol, codeLength: codeLength, extra: 0, kind: .plain)
    case .literalsAndLengths:
      if symbol < 256 {
        return Entry(symbol: symbol, codeLength: codeLength, extra: 0, kind: .plain)
      }
      if symbol == 256 {
        return Entry(symbol: symbol, codeLength: codeLength, extra: 0, kind: .endOfBlock)
      }
      guard symbol < 286 else {
        return Entry(symbol: symbol, codeLength: codeLength, extra: 0, kind: .invalid)
      }
      let extra = symbol < 265 || symbol == 285 ? 0 : (symbol - 261) / 4
      return Entry(symbol: symbol, codeLength: codeLength, extra: extra, kind: .length)
    case .distances:
      guard symbol < 30 else {
        return Entry(symbol: symbol, codeLength: codeLength, extra: 0, kind: .invalid)
      }
      let extra = symbol < 4 ? 0 : symbol / 2 - 1
      return Entry(symbol: symbol, codeLength: codeLength, extra: extra, kind: .plain)
    }
  }

  private static func reverse(_ code: Int, bits: Int) -> Int {
    var reversed = 0
    var rest = code
    for _ in 0..<bits {
      reversed = reversed << 1 | rest & 1
      rest >>= 1
    }
    return reversed
  }
}
