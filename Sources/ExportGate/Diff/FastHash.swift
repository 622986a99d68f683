/// A fast 64-bit hash for telling contents apart (rows, fields, files), eight bytes per step.
/// Not cryptographic: diff uses it to compare exports it was given, not to resist an attacker.
public struct FastHash: Sendable {
  private static let k1: UInt64 = 0x9E37_79B9_7F4A_7C15
  private static let k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
  private static let k3: UInt64 = 0x1656_67B1_9E37_79F9
  private var state: UInt64
  private var length: UInt64 = 0
  private var pending: UInt64 = 0
  private var pendingCount = 0

  public init(seed: UInt64 = 0) { state = seed ^ FastHash.k3 }

  @inline(__always)
  private static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
    let folded = (state ^ (word &* k2))
    return ((folded << 31) | (folded >> 33)) &* k1
  }

  /// Hashes more bytes (chunks may split anywhere).
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    var index = 0
    let count = bytes.count
    length &+= UInt64(count)
    while pendingCount > 0 && pendingCount < 8 && index < count {
      pending |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << (8 * pendingCount)
      pendingCount += 1
      index += 1
    }
    if pendingCount == 8 {
      state = FastHash.mix(state, pending)
      pending = 0
      pendingCount = 0
    }
    while index + 8 <= count {
      state = FastHash.mix(
        state, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
      index += 8
    }
    while index < count {
      pending |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << (8 * pendingCount)
      pendingCount += 1
      index += 1
    }
  }

  public func finalize() -> UInt64 {
    var value = state
    if pendingCount > 0 { value = FastHash.mix(value, pending ^ 0xFF) }
    value ^= length &* FastHash.k3
    value ^= value >> 33
    value = value &* FastHash.k2
    value ^= value >> 29
    return value
  }

  /// The hash of one buffer.
  public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    var hasher = FastHash(seed: seed)
    hasher.update(bytes)
    return hasher.finalize()
  }
}
