/// The three-character key prefix that starts every record Id and names its object type.
public struct KeyPrefix: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The three base-62 digits, six bits each (as in ``RecordId``).
  let packed: UInt32

  init(packed: UInt32) { self.packed = packed }

  /// Makes a prefix from three characters; nil unless they are base-62.
  public init?(_ text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count == 3 else { return nil }
    var value: UInt32 = 0
    for byte in bytes {
      guard let digit = RecordId.base62Digit(byte) else { return nil }
      value = value << 6 | UInt32(digit)
    }
    packed = value
  }

  public var description: String {
    var chars = [UInt8](repeating: 0, count: 3)
    for index in 0..<3 {
      chars[index] = RecordId.base62Character(Int((packed >> UInt32(6 * (2 - index))) & 63))
    }
    return String(decoding: chars, as: UTF8.self)
  }

  public static func < (lhs: KeyPrefix, rhs: KeyPrefix) -> Bool { lhs.packed < rhs.packed }

  /// The prefix of the "empty key" `000000000000000AAA`, which exports write for a null lookup.
  public static let emptyKey = KeyPrefix(packed: 0)
}
