/// What one column's values have in common, learnt from every value in the archive's first
/// pass: enough to give the column a type only where no value would change (an integer column
/// has no `007`), to tell lookups (every value a record Id) and the key prefixes they point to,
/// and to tell text worth searching from dates and codes.
struct ColumnProfile {
  /// Values that are neither empty nor the empty key.
  private(set) var filled = 0
  private(set) var allIntegers = true
  private(set) var allDecimals = true
  private(set) var allIds = true
  private(set) var allDates = true
  private(set) var hasLetters = false
  /// The key prefixes of the Ids seen, up to ``prefixLimit``; past it, `manyPrefixes`.
  private(set) var prefixes: Set<KeyPrefix> = []
  private(set) var manyPrefixes = false
  static let prefixLimit = 16

  /// The empty key Salesforce writes for "no reference".
  static let emptyKey = Array("000000000000000AAA".utf8)

  /// Whether a field's bytes stand for no value: empty, or the empty key.
  static func isNull(_ value: UnsafeRawBufferPointer) -> Bool {
    value.isEmpty || (value.count == 18 && value.elementsEqual(emptyKey))
  }

  mutating func add(_ value: UnsafeRawBufferPointer) {
    guard !Self.isNull(value) else { return }
    filled += 1
    if allIntegers { allIntegers = Self.isInteger(value) }
    if allDecimals { allDecimals = allIntegers || Self.isDecimal(value) }
    if allDates { allDates = Self.isDateTime(value) }
    if !hasLetters { hasLetters = value.contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } }
    if allIds {
      if let id = RecordId(validating: value) {
        if !manyPrefixes, prefixes.insert(id.keyPrefix).inserted, prefixes.count > Self.prefixLimit
        {
          manyPrefixes = true
          prefixes.removeAll()
        }
      } else {
        allIds = false
        prefixes.removeAll()
      }
    }
  }

  var isEmpty: Bool { filled == 0 }
  /// Every value an integer without leading zeros that fits 64 bits.
  var isInteger: Bool { filled > 0 && allIntegers }
  /// Every value a plain decimal a double holds exactly as written (15 digits at most).
  var isDecimal: Bool { filled > 0 && allDecimals }
  /// Every value a record Id (15 or 18 characters).
  var isLookup: Bool { filled > 0 && allIds }
  var isDateTime: Bool { filled > 0 && allDates }
  /// Words a person would search for: letters, and not dates or Ids.
  var isSearchableText: Bool { hasLetters && !allIds && !allDates }

  /// `-?(0|[1-9][0-9]{0,17})`
  static func isInteger(_ value: UnsafeRawBufferPointer) -> Bool {
    var digits = value[...]
    if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
    guard let first = digits.first, digits.count <= 18,
      digits.allSatisfy({ $0 &- 0x30 < 10 })
    else { return false }
    return first != UInt8(ascii: "0") || digits.count == 1 && value.count == 1
  }

  /// `-?(0|[1-9][0-9]*)\.[0-9]+`, 15 digits at most in all.
  static func isDecimal(_ value: UnsafeRawBufferPointer) -> Bool {
    var rest = value[...]
    if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
    guard let dot = rest.firstIndex(of: UInt8(ascii: ".")) else { return false }
    let whole = rest[..<dot]
    let fraction = rest[(dot + 1)...]
    guard !whole.isEmpty, !fraction.isEmpty, whole.count + fraction.count <= 15,
      whole.first != UInt8(ascii: "0") || whole.count == 1,
      whole.allSatisfy({ $0 &- 0x30 < 10 }), fraction.allSatisfy({ $0 &- 0x30 < 10 })
    else { return false }
    return true
  }

  /// `YYYY-MM-DD`, optionally followed by a time (`T` or a space, then anything): the
  /// export's date and datetime forms.
  static func isDateTime(_ value: UnsafeRawBufferPointer) -> Bool {
    guard value.count >= 10 else { return false }
    for (index, byte) in value.prefix(10).enumerated() {
      let isDash = index == 4 || index == 7
      guard isDash ? byte == UInt8(ascii: "-") : byte &- 0x30 < 10 else { return false }
    }
    return value.count == 10 || value[10] == UInt8(ascii: " ") || value[10] == UInt8(ascii: "T")
  }
}
