/// Gives each distinct value a small number, so that per-record structures store 4 bytes
/// instead of strings; merging two interners re-numbers the other's values.
struct Interner<Value: Hashable> {
  private(set) var values: [Value] = []
  private var indexes: [Value: UInt32] = [:]

  /// The number of `value`, assigned on first sight.
  mutating func index(_ value: Value) -> UInt32 {
    if let index = indexes[value] { return index }
    let index = UInt32(values.count)
    values.append(value)
    indexes[value] = index
    return index
  }

  subscript(index: UInt32) -> Value { values[Int(index)] }

  /// For each of `other`'s numbers, the number the same value has here.
  mutating func remap(_ other: Interner<Value>) -> [UInt32] {
    other.values.map { index($0) }
  }
}
