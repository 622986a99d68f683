import ExportGate

/// Makes valid 18-character record Ids for a key prefix, in a stable sequence.
public struct IdFactory: Sendable {
  private var counters: [String: Int] = [:]

  public init() {}

  /// The next Id for `prefix` (three characters).
  public mutating func next(_ prefix: String) -> String {
    let value = counters[prefix, default: 0] + 1
    counters[prefix] = value
    return IdFactory.make(prefix: prefix, serial: value)
  }

  /// The Id with this prefix and serial number.
  public static func make(prefix: String, serial: Int) -> String {
    let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    var digits: [Character] = []
    var rest = serial
    for _ in 0..<6 {
      digits.append(alphabet[rest % 62])
      rest /= 62
    }
    let fifteen = prefix + "Dn0000" + String(digits.reversed())
    return RecordId.withChecksum(fifteen) ?? fifteen
  }
}
