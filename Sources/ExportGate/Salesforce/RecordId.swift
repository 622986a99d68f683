/// A Salesforce record Id (15-character case-sensitive or 18-character case-safe form),
/// validated, and packed into 12 bytes so that millions of them fit in a set.
///
/// Two Ids are equal when their first 15 characters are, which is how Salesforce compares them.
public struct RecordId: Hashable, Sendable, CustomStringConvertible {
  /// Base-62 value of characters 0..<5 (fits in 30 bits).
  let head: UInt32
  /// Base-62 value of characters 5..<15 (fits in 60 bits).
  let tail: UInt64

  /// Why a string is not a valid Id.
  public enum Problem: Error, Sendable, Equatable {
    case wrongLength(Int)
    case invalidCharacter(offset: Int)
    case badChecksum(expected: String)
  }

  /// The three characters of the case-safe suffix, in order.
  static let suffixAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)

  /// Parses an Id from raw bytes (as read from a CSV field), checking characters and, for
  /// 18-character Ids, the checksum suffix.
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<RecordId, Problem> {
    let count = bytes.count
    guard count == 15 || count == 18 else { return .failure(.wrongLength(count)) }
    var head: UInt32 = 0
    var tail: UInt64 = 0
    var upperMask: UInt32 = 0
    for index in 0..<15 {
      let byte = bytes[index]
      guard let digit = base62Digit(byte) else { return .failure(.invalidCharacter(offset: index)) }
      if byte >= 0x41 && byte <= 0x5A { upperMask |= 1 << UInt32(index) }
      if index < 5 {
        head = head &* 62 &+ UInt32(digit)
      } else {
        tail = tail &* 62 &+ UInt64(digit)
      }
    }
    if count == 18 {
      for chunk in 0..<3 {
        let expected = suffixAlphabet[Int((upperMask >> UInt32(chunk * 5)) & 0x1F)]
        if bytes[15 + chunk] != expected {
          return .failure(.badChecksum(expected: suffix(upperMask: upperMask)))
        }
      }
    }
    return .success(RecordId(head: head, tail: tail))
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

  /// The 15-character case-sensitive form.
  public var fifteen: String {
    var chars = [UInt8](repeating: 0, count: 15)
    var h = head
    var t = tail
    for index in stride(from: 14, through: 5, by: -1) {
      chars[index] = RecordId.base62Character(Int(t % 62))
      t /= 62
    }
    for index in stride(from: 4, through: 0, by: -1) {
      chars[index] = RecordId.base62Character(Int(h % 62))
      h /= 62
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
    // head holds 5 base-62 digits; the prefix is the top three.
    KeyPrefix(packed: UInt32(head / (62 * 62)))
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

  static func suffix(upperMask: UInt32) -> String {
    var out: [UInt8] = []
    for chunk in 0..<3 {
      out.append(suffixAlphabet[Int((upperMask >> UInt32(chunk * 5)) & 0x1F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always)
  static func base62Digit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x5A: byte - 0x41 + 10
    case 0x61...0x7A: byte - 0x61 + 36
    default: nil
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
