import Foundation

/// One ZIP file given as (or found to be) a part of the export.
public struct PartFile: Sendable, Hashable {
  /// Where it is.
  public let path: String
  /// The file name, used to name the part in reports.
  public let name: String
  /// Size in bytes.
  public let bytes: Int64
  /// What the Salesforce-style name says, if it has one.
  public let parsedName: PartName?

  public init(path: String, bytes: Int64) {
    self.path = path
    self.name = (path as NSString).lastPathComponent
    self.bytes = bytes
    self.parsedName = PartName(fileName: name)
  }
}
