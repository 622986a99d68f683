/// One file inside the export (an archive entry or a file of an extracted folder), as ingest
/// announces it before streaming its bytes.
public struct BundleEntry: Sendable, Hashable {
  /// The part (file name) or extracted folder (name) it comes from.
  public let source: String
  /// Its path inside the export, with `/` separators.
  public let path: String
  /// What it is in a Data Export.
  public let kind: EntryKind
  /// The size its header declares, when known.
  public let declaredSize: Int64?
  /// Modification time from the archive, seconds since 1970, when known.
  public let modified: Int64?

  public init(
    source: String, path: String, kind: EntryKind, declaredSize: Int64?, modified: Int64?
  ) {
    self.source = source
    self.path = path
    self.kind = kind
    self.declaredSize = declaredSize
    self.modified = modified
  }

  /// A location naming this entry.
  public var location: FindingLocation { FindingLocation(part: source, entry: path) }
}
