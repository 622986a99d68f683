/// The parser's reusable storage for the record being assembled: unescaped field bytes laid
/// end to end, and where each field ends. Grows to the largest record seen, then never again.
/// A plain struct of pointers so that the hot loop pays no reference counting or exclusivity
/// checks; its owner (``CSVParser``) frees it.
struct RecordBuffer {
  private(set) var bytes: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var length = 0
  private(set) var ends: UnsafeMutablePointer<Int>
  private var endsCapacity: Int
  private(set) var fieldCount = 0
  /// Bytes a record may hold; beyond it content is dropped (structure is still followed).
  private let limit: Int
  /// Set when the current record went past `limit`.
  private(set) var overflowed = false
  /// Fields a record may hold; past it, field ends are no longer recorded, so the extra
  /// fields' bytes join the last kept field.
  private let fieldLimit: Int
  /// Set when the current record went past `fieldLimit`.
  private(set) var fieldsFolded = false

  init(limit: Int = 64 << 20, fieldLimit: Int = 20_000) {
    self.limit = limit
    self.fieldLimit = fieldLimit
    capacity = 4096
    bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    endsCapacity = 64
    ends = UnsafeMutablePointer<Int>.allocate(capacity: endsCapacity)
  }

  func deallocate() {
    bytes.deallocate()
    ends.deallocate()
  }

  @inline(__always)
  mutating func reset() {
    length = 0
    fieldCount = 0
    overflowed = false
    fieldsFolded = false
  }

  @inline(__always)
  mutating func append(_ span: UnsafeRawBufferPointer) {
    var count = span.count
    if length + count > limit {
      // A record this large is damage (typically an unterminated quote swallowing the rest
      // of the file): keep memory bounded, drop the excess.
      overflowed = true
      count = max(0, limit - length)
    }
    if length + count > capacity { grow(toHold: length + count) }
    if let source = span.baseAddress {
      UnsafeMutableRawPointer(bytes + length).copyMemory(from: source, byteCount: count)
    }
    length += count
  }

  @inline(__always)
  mutating func append(byte: UInt8) {
    if length >= limit {
      overflowed = true
      return
    }
    if length == capacity { grow(toHold: length + 1) }
    bytes[length] = byte
    length += 1
  }

  @inline(__always)
  mutating func endField() {
    if fieldCount >= fieldLimit {
      fieldsFolded = true
      ends[fieldCount - 1] = length
      return
    }
    if fieldCount == endsCapacity {
      let larger = UnsafeMutablePointer<Int>.allocate(capacity: endsCapacity * 2)
      larger.moveInitialize(from: ends, count: fieldCount)
      ends.deallocate()
      ends = larger
      endsCapacity *= 2
    }
    ends[fieldCount] = length
    fieldCount += 1
  }

  private mutating func grow(toHold needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    larger.moveInitialize(from: bytes, count: length)
    bytes.deallocate()
    bytes = larger
    capacity = newCapacity
  }
}
