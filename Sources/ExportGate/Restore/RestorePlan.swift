import Foundation

/// Where every file the export's metadata lists goes, decided before any byte is written, so
/// that names are unique (case-insensitively, as on macOS and Windows) and nothing ever
/// overwrites anything:
///
///     files/<Parent object>/<Parent name> (<Parent Id>)/<file name>
///
/// Attachments under their parent record; Documents under their folder; Salesforce Files
/// (ContentVersion) under every record they are shared with (ContentDocumentLink), the latest
/// version under its plain name and older ones as `Title (v2).pdf`; ContentBody files by Id
/// under `files/Other Uploaded Collateral/`. A name that is taken gets the record Id added.
struct RestorePlan {
  /// One file to write.
  struct Job {
    var folder: String
    var id: String
    /// Paths relative to the destination; the first is written, the others are hard links.
    var paths: [String]
    var expectedSize: Int64?
    var expectedMD5: String?
    var parent: String
    /// For an Enhanced Note: a readable HTML copy beside it.
    var readable: String?
  }

  /// A metadata row that gives no file (a link, a version left out on purpose).
  struct Note {
    var id: String
    var status: RestoreReport.Status
    var parent: String
    var reason: String
  }

  private(set) var jobs: [String: Job] = [:]
  private(set) var jobOrder: [String] = []
  private(set) var notes: [Note] = []
  private var taken: [String: Set<String>] = [:]

  static func key(folder: String, id: String) -> String { folder + "/" + id }

  init(metadata: RestoreMetadata, latestOnly: Bool) {
    planAttachments(metadata)
    planDocuments(metadata)
    planContentVersions(metadata, latestOnly: latestOnly)
    let bodies = BinaryFolder.otherUploadedCollateral
    for row in metadata.files.bodies {
      guard let id = RecordId(row.id)?.description else { continue }
      add(
        Job(
          folder: bodies.name, id: id, paths: [], expectedSize: row.size, expectedMD5: row.md5,
          parent: bodies.metadataObject),
        directories: ["files/" + bodies.name], name: id)
    }
  }

  // MARK: Objects

  private mutating func planAttachments(_ metadata: RestoreMetadata) {
    let attachments = BinaryFolder.attachments
    for row in metadata.files.attachments {
      guard let id = RecordId(row.id)?.description else { continue }
      let bodyLength = row.bodyLength
      if let bodyLength, bodyLength <= 0 { continue }
      let parent = row.parentId
      add(
        Job(
          folder: attachments.name, id: id, paths: [], expectedSize: bodyLength, expectedMD5: nil,
          parent: parent),
        directories: [folder(for: parent, metadata, fallback: "\(attachments.name) (no parent)")],
        name: SafeFileName.make(row.name, fallback: id, clientPath: true))
    }
  }

  private mutating func planDocuments(_ metadata: RestoreMetadata) {
    let documents = BinaryFolder.documents
    for row in metadata.files.documents {
      guard let id = RecordId(row.id)?.description else { continue }
      let bodyLength = row.bodyLength
      let folderId = row.folderId
      if let bodyLength, bodyLength <= 0 {
        let url = row.url
        notes.append(
          Note(
            id: id, status: .noFile, parent: folderId,
            reason: url.isEmpty
              ? "no body in the export (\(documents.sizeColumn) 0)"
              : "a link to \(url): no file in the export"))
        continue
      }
      var name = row.name
      let type = row.type.trimmingCharacters(in: .whitespaces)
      if !type.isEmpty, !name.lowercased().hasSuffix("." + type.lowercased()) {
        name += "." + type
      }
      add(
        Job(
          folder: documents.name, id: id, paths: [], expectedSize: bodyLength, expectedMD5: nil,
          parent: folderId),
        directories: [folder(for: folderId, metadata, fallback: "\(documents.name) (no folder)")],
        name: SafeFileName.make(name, fallback: id))
    }
  }

  private mutating func planContentVersions(_ metadata: RestoreMetadata, latestOnly: Bool) {
    let files = BinaryFolder.contentVersions
    let rows = metadata.files.versions
    var linksByDocument: [String: [String]] = [:]
    for link in metadata.files.links {
      guard let document = link.documentId, let entity = link.linkedEntityId, !entity.isEmpty
      else { continue }
      if linksByDocument[document]?.contains(entity) != true {
        linksByDocument[document, default: []].append(entity)
      }
    }
    // The latest version of each document: IsLatest, else the highest VersionNumber.
    var latestByDocument: [String: String] = [:]
    var bestNumber: [String: Int] = [:]
    for row in rows {
      guard let id = row.id, let document = row.documentId else { continue }
      let number = Int(row.versionNumber ?? "") ?? 0
      if row.isLatest {
        latestByDocument[document] = id
        bestNumber[document] = .max
      } else if number > bestNumber[document] ?? .min {
        latestByDocument[document] = id
        bestNumber[document] = number
      }
    }
    for row in rows {
      guard let id = row.id.flatMap(RecordId.init)?.description else { continue }
      let location = row.location ?? "S"
      let document = row.documentId ?? ""
      let parents = linksByDocument[document] ?? []
      let parentText = parents.joined(separator: " ")
      guard location == "S" || location.isEmpty else {
        notes.append(
          Note(
            id: id, status: .noFile, parent: parentText,
            reason: "stored outside Salesforce (ContentLocation \(location)): no file in the export"
          ))
        continue
      }
      let isLatest = latestByDocument[document] == row.id
      if !isLatest && latestOnly {
        notes.append(
          Note(
            id: id, status: .skipped, parent: parentText,
            reason:
              "an older version (v\(row.versionNumber ?? "?")), left out with --latest-only"))
        continue
      }
      var name = SafeFileName.make(Self.title(of: row), fallback: id)
      if !isLatest { name = SafeFileName.tagged(name, "v\(row.versionNumber ?? "?")") }
      let directories =
        parents.isEmpty
        ? ["files/ContentVersion (no linked record)"]
        : parents.map { folder(for: $0, metadata, fallback: "ContentVersion (no linked record)") }
      let job = Job(
        folder: files.name, id: id, paths: [], expectedSize: row.contentSize,
        expectedMD5: nil, parent: parentText)
      add(
        job, directories: directories, name: name,
        readableCopy: row.fileType.uppercased() == "SNOTE")
    }
  }

  /// A ContentVersion's file name: its Title with the extension from FileExtension, else
  /// from PathOnClient, else from FileType (real exports often lack FileExtension), unless the
  /// title already ends with it.
  static func title(of row: FileRows.ContentVersion) -> String {
    let title = row.title
    var ext = row.fileExtension.trimmingCharacters(in: .whitespaces)
    if ext.isEmpty, let path = row.pathOnClient {
      let last = path.split(omittingEmptySubsequences: true) { $0 == "/" || $0 == "\\" }.last
      ext = last.map { SafeFileName.split(String($0)).ext } ?? ""
    }
    if ext.isEmpty { ext = extensionForFileType[row.fileType.uppercased()] ?? "" }
    guard !ext.isEmpty, !title.lowercased().hasSuffix("." + ext.lowercased()) else { return title }
    return title + "." + ext
  }

  static let extensionForFileType: [String: String] = [
    "PDF": "pdf", "WORD": "doc", "WORD_X": "docx", "EXCEL": "xls", "EXCEL_X": "xlsx",
    "POWER_POINT": "ppt", "POWER_POINT_X": "pptx", "PNG": "png", "JPG": "jpg", "JPEG": "jpg",
    "GIF": "gif", "TEXT": "txt", "CSV": "csv", "ZIP": "zip", "XML": "xml", "HTML": "html",
    "RTF": "rtf", "MP4": "mp4", "MOV": "mov", "SNOTE": "snote", "JSON": "json", "BMP": "bmp",
    "TIFF": "tiff", "SVG": "svg",
  ]

  // MARK: Layout

  /// `files/<Object>/<Name> (<Id>)` for a record, or `files/<fallback>` when there is none.
  private func folder(for id: String, _ metadata: RestoreMetadata, fallback: String) -> String {
    guard let parsed = RecordId(id) else { return "files/" + fallback }
    let full = parsed.description
    let object = SafeFileName.make(
      metadata.object(of: full) ?? "Unknown object", fallback: "Unknown object")
    let label: String
    if let name = metadata.names[full] ?? metadata.names[id] {
      let safe = SafeFileName.make(name, fallback: "")
      let suffix = " (\(full))"
      var kept = ""
      for character in safe {
        if kept.utf8.count + character.utf8.count + suffix.utf8.count > SafeFileName.maximumBytes {
          break
        }
        kept.append(character)
      }
      label = kept.isEmpty ? full : kept + suffix
    } else {
      label = full
    }
    return "files/\(object)/\(label)"
  }

  /// Gives `job` a unique name in each directory: taken names (case-insensitively) get the
  /// record Id, then a counter. With `readableCopy`, an HTML copy's name beside the first.
  private mutating func add(
    _ job: Job, directories: [String], name: String, readableCopy: Bool = false
  ) {
    var job = job
    for directory in directories {
      let path = directory + "/" + unique(name, in: directory, id: job.id)
      job.paths.append(path)
    }
    if readableCopy, let first = job.paths.first {
      let directory = (first as NSString).deletingLastPathComponent
      let (stem, ext) = SafeFileName.split((first as NSString).lastPathComponent)
      let base = ext.lowercased() == "snote" ? stem : (first as NSString).lastPathComponent
      job.readable = directory + "/" + unique(base + ".html", in: directory, id: job.id)
    }
    let key = Self.key(folder: job.folder, id: job.id)
    if jobs[key] == nil { jobOrder.append(key) }
    jobs[key] = job
  }

  private mutating func unique(_ name: String, in directory: String, id: String) -> String {
    var candidate = name
    var counter = 1
    while taken[directory]?.contains(Self.folded(candidate)) == true {
      candidate = SafeFileName.tagged(name, counter == 1 ? id : "\(id) \(counter)")
      counter += 1
    }
    taken[directory, default: []].insert(Self.folded(candidate))
    return candidate
  }

  /// How case-insensitive file systems compare names.
  static func folded(_ name: String) -> String {
    name.precomposedStringWithCanonicalMapping.lowercased()
  }

  /// Every directory the plan writes into.
  var directories: [String] {
    var all = Set<String>()
    for job in jobs.values {
      for path in job.paths { all.insert((path as NSString).deletingLastPathComponent) }
    }
    return all.sorted()
  }

}
