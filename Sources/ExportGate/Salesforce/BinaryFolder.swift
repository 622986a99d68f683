/// A folder of binaries in an export, and how its metadata CSV says which files it must hold.
public struct BinaryFolder: Sendable, Hashable {
  /// The folder name as it appears in the archive, without the trailing slash.
  public let name: String
  /// The object whose CSV describes the files.
  public let metadataObject: String
  /// The column holding each file's size in bytes.
  public let sizeColumn: String
  /// The column holding each file's MD5 (lower-case hex), when the export has one.
  public let checksumColumn: String?
  /// The Data Export option that must be ticked for this folder to be filled.
  public let exportOption: String
  /// Which rows own a file.
  public let rule: Rule

  /// How a metadata row is known to own a file.
  public enum Rule: Sendable, Hashable {
    /// Rows whose size column is above zero.
    case positiveSize
    /// Rows whose column equals a value (ContentVersion: `ContentLocation` = `S`).
    case columnEquals(String, String)
    /// Every row.
    case everyRow
  }

  public static let attachments = BinaryFolder(
    name: "Attachments", metadataObject: "Attachment", sizeColumn: "BodyLength",
    checksumColumn: nil, exportOption: "Include images, documents, and attachments",
    rule: .positiveSize)
  public static let documents = BinaryFolder(
    name: "Documents", metadataObject: "Document", sizeColumn: "BodyLength", checksumColumn: nil,
    exportOption: "Include images, documents, and attachments", rule: .positiveSize)
  public static let contentVersions = BinaryFolder(
    name: "ContentVersion", metadataObject: "ContentVersion", sizeColumn: "ContentSize",
    checksumColumn: nil,
    exportOption: "Include Salesforce Files and Salesforce CRM Content document versions",
    rule: .columnEquals("ContentLocation", "S"))
  public static let otherUploadedCollateral = BinaryFolder(
    name: "Other Uploaded Collateral", metadataObject: "ContentBody", sizeColumn: "Size",
    checksumColumn: "Hash",
    exportOption: "Include Salesforce Files and Salesforce CRM Content document versions",
    rule: .everyRow)

  /// Every binary folder a Data Export can hold.
  public static let all: [BinaryFolder] = [
    attachments, documents, contentVersions, otherUploadedCollateral,
  ]

  /// The folder with this archive name, compared case-insensitively.
  public static func named(_ name: String) -> BinaryFolder? {
    // Called for every entry of every part: ASCII names (all of them, in practice) are folded
    // byte by byte instead of through `lowercased()`.
    if name.utf8.allSatisfy({ $0 < 0x80 }) {
      return all.first { folder in
        folder.name.utf8.elementsEqual(name.utf8) { $0.asciiLowercased == $1.asciiLowercased }
      }
    }
    let lowered = name.lowercased()
    return all.first { $0.name.lowercased() == lowered }
  }
}
