/// The rows of the objects that describe an export's files, with the columns restore reads:
/// each object's row as a type of its own, built once from the columns read. Values are as
/// the export wrote them (absent columns read as empty); sizes are parsed.
struct FileRows {
  /// An Attachment: a file under its parent record.
  struct Attachment {
    static let columns = ["Id", "ParentId", "Name", BinaryFolder.attachments.sizeColumn]
    let id: String
    let parentId: String
    let name: String
    let bodyLength: Int64?

    init(_ row: [String: String]) {
      id = row["Id"] ?? ""
      parentId = row["ParentId"] ?? ""
      name = row["Name"] ?? ""
      bodyLength = FileRows.size(row[BinaryFolder.attachments.sizeColumn])
    }
  }

  /// A Document: a file in a document folder, or a link with no file.
  struct Document {
    static let columns = [
      "Id", "FolderId", "Name", "Type", BinaryFolder.documents.sizeColumn, "Url",
    ]
    let id: String
    let folderId: String
    let name: String
    let type: String
    let bodyLength: Int64?
    let url: String

    init(_ row: [String: String]) {
      id = row["Id"] ?? ""
      folderId = row["FolderId"] ?? ""
      name = row["Name"] ?? ""
      type = row["Type"] ?? ""
      bodyLength = FileRows.size(row[BinaryFolder.documents.sizeColumn])
      url = row["Url"] ?? ""
    }
  }

  /// A ContentVersion: one version of a Salesforce File.
  struct ContentVersion {
    static let columns = [
      "Id", "ContentDocumentId", "Title", "PathOnClient", "FileExtension", "FileType",
      "VersionNumber", "IsLatest", BinaryFolder.contentVersions.sizeColumn, "ContentLocation",
      "OwnerId",
    ]
    /// Nil when the CSV has no Id column (every other value then reads as empty too).
    let id: String?
    let documentId: String?
    let title: String
    let pathOnClient: String?
    let fileExtension: String
    let fileType: String
    let versionNumber: String?
    let isLatest: Bool
    let contentSize: Int64?
    let location: String?
    let ownerId: String?

    init(_ row: [String: String]) {
      id = row["Id"]
      documentId = row["ContentDocumentId"]
      title = row["Title"] ?? ""
      pathOnClient = row["PathOnClient"]
      fileExtension = row["FileExtension"] ?? ""
      fileType = row["FileType"] ?? ""
      versionNumber = row["VersionNumber"]
      isLatest = row["IsLatest"] == "1"
      contentSize = FileRows.size(row[BinaryFolder.contentVersions.sizeColumn])
      location = row["ContentLocation"]
      ownerId = row["OwnerId"]
    }
  }

  /// A ContentDocumentLink: a Salesforce File shared with a record.
  struct ContentLink {
    static let columns = ["ContentDocumentId", "LinkedEntityId"]
    let documentId: String?
    let linkedEntityId: String?

    init(_ row: [String: String]) {
      documentId = row["ContentDocumentId"]
      linkedEntityId = row["LinkedEntityId"]
    }
  }

  /// A ContentBody: a file stored by Id only, with its size and MD5.
  struct ContentBody {
    static let columns = [
      "Id", BinaryFolder.otherUploadedCollateral.sizeColumn,
      BinaryFolder.otherUploadedCollateral.checksumColumn ?? "Hash",
    ]
    let id: String
    let size: Int64?
    let md5: String?

    init(_ row: [String: String]) {
      id = row["Id"] ?? ""
      size = FileRows.size(row[BinaryFolder.otherUploadedCollateral.sizeColumn])
      md5 = BinaryFolder.otherUploadedCollateral.checksumColumn.flatMap { row[$0] }?.lowercased()
    }
  }

  var attachments: [Attachment] = []
  var documents: [Document] = []
  var versions: [ContentVersion] = []
  var links: [ContentLink] = []
  var bodies: [ContentBody] = []

  /// The columns to read of each object that describes files, by object.
  static let columns: [String: [String]] = [
    BinaryFolder.attachments.metadataObject: Attachment.columns,
    BinaryFolder.documents.metadataObject: Document.columns,
    BinaryFolder.contentVersions.metadataObject: ContentVersion.columns,
    "ContentDocumentLink": ContentLink.columns,
    BinaryFolder.otherUploadedCollateral.metadataObject: ContentBody.columns,
  ]

  /// Takes in one row of `object` (the columns ``columns`` names for it).
  mutating func add(_ row: [String: String], of object: String) {
    switch object {
    case BinaryFolder.attachments.metadataObject: attachments.append(Attachment(row))
    case BinaryFolder.documents.metadataObject: documents.append(Document(row))
    case BinaryFolder.contentVersions.metadataObject: versions.append(ContentVersion(row))
    case "ContentDocumentLink": links.append(ContentLink(row))
    case BinaryFolder.otherUploadedCollateral.metadataObject: bodies.append(ContentBody(row))
    default: break
    }
  }

  private static func size(_ text: String?) -> Int64? {
    text.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
  }
}
