/// A Salesforce record Id (15-character case-sensitive or 18-character case-safe form),
/// validated, and packed into 12 bytes so that millions of them fit in a set.
///
/// Two Ids are equal when their first 15 characters are, which is how Salesforce compares them.
/// Each character is kept as its base-62 digit in six bits: packing is shifts, not a chain of
/// multiplications, and ordering by (`head`, `tail`) is the order of the Ids' text.
public struct RecordId: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Digits of characters 0..<5, six bits each (30 bits).
  let head: UInt32
  /// Digits of characters 5..<15, six bits each (60 bits).
  let tail: UInt64

  /// Why a string is not a valid Id.
  public enum Problem: Error, Sendable, Equatable {
    case wrongLength(Int)
    case invalidCharacter(offset: Int)
    case badChecksum(expected: String)
  }

  /// Parses an Id from raw bytes (as read from a CSV field), checking characters and, for
  /// 18-character Ids, the checksum suffix.
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<RecordId, Problem> {
    if let id = RecordId(validating: bytes) { return .success(id) }
    let count = bytes.count
    guard count == 15 || count == 18 else { return .failure(.wrongLength(count)) }
    if let offset = (0..<15).first(where: { digit(bytes[$0]) & 0x80 != 0 }) {
      return .failure(.invalidCharacter(offset: offset))
    }
    return .failure(.badChecksum(expected: suffix(upperMask: decode(bytes).upperMask)))
  }

  /// Parses an Id from raw bytes; nil when they are not a valid Id (``parse(_:)`` says why).
  /// The lookup and Id columns of every row come here: nothing is allocated.
  @inline(__always)
  public init?(validating bytes: UnsafeRawBufferPointer) {
    let count = bytes.count
    guard count == 15 || count == 18 else { return nil }
    let decoded = RecordId.decode(bytes)
    guard decoded.isValid else { return nil }
    if count == 18 {
      let mask = decoded.upperMask
      guard
        bytes[15] == RecordId.suffixCharacter(mask & 0x1F),
        bytes[16] == RecordId.suffixCharacter((mask >> 5) & 0x1F),
        bytes[17] == RecordId.suffixCharacter((mask >> 10) & 0x1F)
      else { return nil }
    }
    self.init(head: decoded.head, tail: decoded.tail)
  }

  /// The digits of the first 15 characters packed, which of them are capitals, and whether
  /// all are base-62. Every Id and lookup of every row comes here, so the characters are
  /// taken eight at a time (characters 0..<8 and 7..<15), each byte a lane of one word.
  @inline(__always)
  private static func decode(_ bytes: UnsafeRawBufferPointer) -> (
    head: UInt32, tail: UInt64, upperMask: UInt32, isValid: Bool
  ) {
    let first = decodeLanes(bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    let second = decodeLanes(bytes.loadUnaligned(fromByteOffset: 7, as: UInt64.self))
    // Characters 0..<5 are the top 30 of the first word's 48 bits, 5 and 6 the next 12 (its
    // last six bits are character 7, which the second word holds too).
    let head = UInt32(truncatingIfNeeded: first.digits >> 18)
    let tail = (first.digits >> 6 & 0xFFF) << 48 | second.digits
    let upperMask = UInt32(truncatingIfNeeded: first.capitals | second.capitals << 7)
    return (head, tail, upperMask, first.isValid && second.isValid)
  }

  /// Eight characters (little-endian: the first in the low byte) as eight six-bit digits,
  /// the first most significant; which are capitals (bit i for character i); whether all
  /// eight are base-62.
  @inline(__always)
  private static func decodeLanes(_ raw: UInt64) -> (
    digits: UInt64, capitals: UInt64, isValid: Bool
  ) {
    let word = UInt64(littleEndian: raw)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    // With each lane's high bit set, subtracting c leaves it set exactly when the ASCII
    // byte is >= c, and never borrows from the next lane.
    let raised = word | highs
    let digit = (raised &- 0x30 &* ones) & ~(raised &- 0x3A &* ones) & highs
    let upper = (raised &- 0x41 &* ones) & ~(raised &- 0x5B &* ones) & highs
    let lower = (raised &- 0x61 &* ones) & ~(raised &- 0x7B &* ones) & highs
    let isValid = word & highs == 0 && digit | upper | lower == highs
    // '0' -> 0, 'A' -> 10, 'a' -> 36: subtract 0x30, 0x37 or 0x3D by lane.
    let offsets =
      ((digit >> 7) &* 0x30) | ((upper >> 7) &* 0x37) | ((lower >> 7) &* 0x3D)
    let lanes = word &- offsets
    // Pack the lanes' six-bit values: pairs, then fours, then all eight.
    let pairs =
      (lanes & 0x00FF_00FF_00FF_00FF) << 6 | (lanes >> 8) & 0x00FF_00FF_00FF_00FF
    let fours = (pairs & 0x0000_FFFF_0000_FFFF) << 12 | (pairs >> 16) & 0x0000_FFFF_0000_FFFF
    let digits = (fours & 0xFFFF_FFFF) << 24 | fours >> 32
    // Gathers each lane's flag into one bit per character.
    let capitals = ((upper >> 7) &* 0x0102_0408_1020_4080) >> 56
    return (digits, capitals, isValid)
  }

  /// The suffix character for five bits of the capitals mask: A-Z, then 0-5.
  @inline(__always)
  static func suffixCharacter(_ bits: UInt32) -> UInt8 {
    bits < 26 ? UInt8(truncatingIfNeeded: bits) &+ 0x41 : UInt8(truncatingIfNeeded: bits) &+ 0x16
  }

  /// Parses an Id from a string; nil when it is not a valid Id.
  public init?(_ text: String) {
    var text = text
    let result = text.withUTF8 { RecordId.parse(UnsafeRawBufferPointer($0)) }
    guard case .success(let id) = result else { return nil }
    self = id
  }

  init(head: UInt32, tail: UInt64) {
    self.head = head
    self.tail = tail
  }

  /// Ids in the order of their 15-character text (digits, then capitals, then small letters).
  public static func < (lhs: RecordId, rhs: RecordId) -> Bool {
    (lhs.head, lhs.tail) < (rhs.head, rhs.tail)
  }

  /// The 15-character case-sensitive form.
  public var fifteen: String {
    var chars = [UInt8](repeating: 0, count: 15)
    for index in 0..<5 {
      chars[index] = RecordId.base62Character(Int((head >> UInt32(6 * (4 - index))) & 63))
    }
    for index in 0..<10 {
      chars[5 + index] = RecordId.base62Character(Int((tail >> UInt64(6 * (9 - index))) & 63))
    }
    return String(decoding: chars, as: UTF8.self)
  }

  /// The 18-character case-safe form that exports write.
  public var description: String {
    let short = fifteen
    var mask: UInt32 = 0
    for (index, byte) in short.utf8.enumerated() where byte >= 0x41 && byte <= 0x5A {
      mask |= 1 << UInt32(index)
    }
    return short + RecordId.suffix(upperMask: mask)
  }

  /// The object's key prefix (first three characters).
  public var keyPrefix: KeyPrefix {
    // head holds five six-bit digits; the prefix is the top three.
    KeyPrefix(packed: head >> 12)
  }

  /// Makes the 18-character Id whose 15-character form is `fifteen`; nil if it is not valid.
  public static func withChecksum(_ fifteen: String) -> String? {
    guard fifteen.utf8.count == 15, RecordId(fifteen) != nil else { return nil }
    var mask: UInt32 = 0
    for (index, byte) in fifteen.utf8.enumerated() where byte >= 0x41 && byte <= 0x5A {
      mask |= 1 << UInt32(index)
    }
    return fifteen + suffix(upperMask: mask)
  }

  /// The checksum suffix of 15 bytes that form an Id; nil when they do not.
  static func suffix(ofFifteen bytes: UnsafeRawBufferPointer) -> (UInt8, UInt8, UInt8)? {
    guard bytes.count == 15 else { return nil }
    let decoded = decode(bytes)
    guard decoded.isValid else { return nil }
    let mask = decoded.upperMask
    return (
      suffixCharacter(mask & 0x1F), suffixCharacter((mask >> 5) & 0x1F),
      suffixCharacter((mask >> 10) & 0x1F)
    )
  }

  static func suffix(upperMask: UInt32) -> String {
    var out: [UInt8] = []
    for chunk in 0..<3 {
      out.append(suffixCharacter((upperMask >> UInt32(chunk * 5)) & 0x1F))
    }
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always)
  static func base62Digit(_ byte: UInt8) -> UInt8? {
    let value = digit(byte)
    return value & 0x80 == 0 ? value : nil
  }

  /// The base-62 digit of a character, or 0xFF when it is not one.
  @inline(__always)
  static func digit(_ byte: UInt8) -> UInt8 {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x5A: byte - 0x41 + 10
    case 0x61...0x7A: byte - 0x61 + 36
    default: 0xFF
    }
  }

  static func base62Character(_ digit: Int) -> UInt8 {
    switch digit {
    case 0..<10: UInt8(0x30 + digit)
    case 10..<36: UInt8(0x41 + digit - 10)
    default: UInt8(0x61 + digit - 36)
    }
  }
}
