/// What a part's file name says, when it is the name Salesforce gave it:
/// `WE_<18-char Org Id>_<n>.ZIP` (any case).
public struct PartName: Sendable, Hashable {
  /// The Org Id as written in the name.
  public let orgId: String
  /// The part number, from 1.
  public let number: Int
  /// Whether the Org Id is a valid 18-character Id with the `00D` prefix.
  public let orgIdIsValid: Bool

  /// Parses a file name (no directory); nil when it is not a Salesforce part name.
  public init?(fileName: String) {
    let upper = fileName.uppercased()
    guard upper.hasPrefix("WE_"), upper.hasSuffix(".ZIP") else { return nil }
    let core = fileName.dropFirst(3).dropLast(4)
    guard let separator = core.lastIndex(of: "_") else { return nil }
    let org = String(core[core.startIndex..<separator])
    guard let number = Int(core[core.index(after: separator)...]), number >= 0, !org.isEmpty
    else { return nil }
    self.orgId = org
    self.number = number
    self.orgIdIsValid = PartName.isValidOrgId(org)
  }

  /// An Org Id is an 18-character Id (valid checksum) of the Organization object (`00D`).
  public static func isValidOrgId(_ text: String) -> Bool {
    guard text.utf8.count == 18, text.hasPrefix("00D") else { return false }
    return RecordId(text) != nil
  }
}
