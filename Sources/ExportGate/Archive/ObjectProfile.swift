/// One object's columns as the archive's first pass learns them: the header's names (pieces
/// in part order; a later piece's new column is added at the end) and what each column's
/// values have in common.
final class ObjectProfile {
  let object: String
  private(set) var columns: [String] = []
  private(set) var profiles: [ColumnProfile] = []
  private var positionByName: [String: Int] = [:]

  init(object: String) { self.object = object }

  /// The column positions of a piece's header, added where new.
  func positions(ofHeader names: [String]) -> [Int] {
    names.map { name in
      if let position = positionByName[name] { return position }
      positionByName[name] = columns.count
      columns.append(name)
      profiles.append(ColumnProfile())
      return columns.count - 1
    }
  }

  func add(_ value: UnsafeRawBufferPointer, at position: Int) {
    profiles[position].add(value)
  }

  /// A sink profiling one piece of the object's CSV.
  func sink(encoding: TextEncoding) -> EntrySink { ProfilingSink(self, encoding: encoding) }
}

/// Feeds every value of one CSV piece to its object's profile.
private final class ProfilingSink: CSVEntrySink {
  private let profile: ObjectProfile
  private var positions: [Int] = []

  init(_ profile: ObjectProfile, encoding: TextEncoding) {
    self.profile = profile
    super.init(encoding: encoding)
  }

  override func record(_ record: CSVRecord) {
    if record.number == 1 {
      positions = profile.positions(ofHeader: record.strings)
      return
    }
    for index in 0..<min(record.count, positions.count) {
      profile.add(record[index], at: positions[index])
    }
  }
}
