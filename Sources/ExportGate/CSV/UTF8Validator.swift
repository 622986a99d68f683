/// A resumable UTF-8 validator: feed it chunks, it remembers a sequence split between them and
/// reports the absolute offset of the first invalid sequence. ASCII runs are checked eight bytes
/// at a time, which is most of an export.
public struct UTF8Validator: Sendable {
  private var remaining = 0
  private var lower: UInt8 = 0x80
  private var upper: UInt8 = 0xBF
  private var sequenceStart: Int64 = 0
  private var offset: Int64 = 0
  /// Offset of the first byte of the first invalid sequence, once one is seen.
  public private(set) var firstInvalidOffset: Int64?
  /// Whether any byte above 0x7F was seen (the text is not plain ASCII).
  public private(set) var sawNonASCII = false

  public init() {}

  /// True while every byte fed so far is valid UTF-8 (a sequence may still be open).
  public var isValidSoFar: Bool { firstInvalidOffset == nil }

  /// Validates the next chunk.
  public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
    guard firstInvalidOffset == nil, let base = chunk.baseAddress else {
      offset += Int64(chunk.count)
      return
    }
    let bytes = base.assumingMemoryBound(to: UInt8.self)
    let end = chunk.count
    var index = 0
    while index < end {
      if remaining == 0 {
        // ASCII fast path: 32 bytes a test while they are all ASCII, then eight.
        while index + 32 <= end {
          let words =
            base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            | base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            | base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
            | base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
          if words & 0x8080_8080_8080_8080 != 0 { break }
          index += 32
        }
        while index + 8 <= end {
          let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
          if word & 0x8080_8080_8080_8080 != 0 { break }
          index += 8
        }
        guard index < end else { break }
        let byte = bytes[index]
        if byte < 0x80 {
          index += 1
          continue
        }
        sawNonASCII = true
        sequenceStart = offset + Int64(index)
        switch byte {
        case 0xC2...0xDF: (remaining, lower, upper) = (1, 0x80, 0xBF)
        case 0xE0: (remaining, lower, upper) = (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (remaining, lower, upper) = (2, 0x80, 0xBF)
        case 0xED: (remaining, lower, upper) = (2, 0x80, 0x9F)
        case 0xF0: (remaining, lower, upper) = (3, 0x90, 0xBF)
        case 0xF1...0xF3: (remaining, lower, upper) = (3, 0x80, 0xBF)
        case 0xF4: (remaining, lower, upper) = (3, 0x80, 0x8F)
        default:
          firstInvalidOffset = sequenceStart
          offset += Int64(end)
          return
        }
        index += 1
      } else {
        let byte = bytes[index]
        guard byte >= lower && byte <= upper else {
          firstInvalidOffset = sequenceStart
          offset += Int64(end)
          return
        }
        remaining -= 1
        lower = 0x80
        upper = 0xBF
        index += 1
      }
    }
    offset += Int64(end)
  }

  /// Ends the input: a sequence left open is invalid.
  public mutating func finish() {
    if remaining > 0 && firstInvalidOffset == nil {
      firstInvalidOffset = sequenceStart
    }
    remaining = 0
  }

  /// Whether `bytes` alone are valid UTF-8.
  public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var validator = UTF8Validator()
    validator.feed(bytes)
    validator.finish()
    return validator.isValidSoFar
  }
}
