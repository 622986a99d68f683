/// An export already unzipped into a folder: CSVs at its root, binaries in the usual folders.
public struct ExtractedFolder: Sendable, Hashable {
  /// Where it is.
  public let path: String
  /// The name used in reports.
  public let name: String

  public init(path: String, name: String) {
    self.path = path
    self.name = name
  }
}
