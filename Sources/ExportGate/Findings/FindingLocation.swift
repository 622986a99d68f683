/// Where a finding was made: as many of the coordinates as are known, from the part down to
/// the record. Every field is optional because a finding may concern a whole part or object.
public struct FindingLocation: Sendable, Codable, Hashable {
  public var part: String?
  public var entry: String?
  public var object: String?
  public var line: Int?
  public var record: Int?
  public var byteOffset: Int64?
  public var recordId: String?
  public var field: String?

  public init(
    part: String? = nil, entry: String? = nil, object: String? = nil, line: Int? = nil,
    record: Int? = nil, byteOffset: Int64? = nil, recordId: String? = nil, field: String? = nil
  ) {
    self.part = part
    self.entry = entry
    self.object = object
    self.line = line
    self.record = record
    self.byteOffset = byteOffset
    self.recordId = recordId
    self.field = field
  }

  /// A short human rendering such as `WE_..._1.ZIP: Contact.csv line 12 (record 003...)`.
  public var description: String {
    var pieces: [String] = []
    if let part { pieces.append(part) }
    var inner: [String] = []
    if let entry { inner.append(entry) } else if let object { inner.append(object) }
    if let line { inner.append("line \(line)") }
    if let record { inner.append("record \(record)") }
    if let byteOffset { inner.append("byte \(byteOffset)") }
    if let field { inner.append("field \(field)") }
    if let recordId { inner.append("Id \(recordId)") }
    if !inner.isEmpty { pieces.append(inner.joined(separator: " ")) }
    return pieces.joined(separator: ": ")
  }
}
