import Foundation

/// What the export's own rows say about its files, collected by `restore`'s first pass, with
/// the names of the records those files belong to (collected by the second).
final class RestoreMetadata {
  /// One row of a metadata object (Attachment, Document, ContentVersion, ...), by column.
  typealias Row = [String: String]

  /// Rows of the objects that describe files, in reading order.
  var rows: [String: [Row]] = [:]
  /// Which object each key prefix belongs to (from the first Id of each CSV).
  var objectByPrefix: [KeyPrefix: String] = [:]
  /// Display names of the records that own files, by Id (18 characters).
  var names: [String: String] = [:]
  /// The objects of the export, in reading order.
  var objects: [String] = []

  static let fileObjects: [String: [String]] = [
    BinaryFolder.attachments.metadataObject: [
      "Id", "ParentId", "Name", BinaryFolder.attachments.sizeColumn, "ContentType",
    ],
    BinaryFolder.documents.metadataObject: [
      "Id", "FolderId", "Name", "Type", BinaryFolder.documents.sizeColumn, "Url",
    ],
    BinaryFolder.contentVersions.metadataObject: [
      "Id", "ContentDocumentId", "Title", "PathOnClient", "FileExtension", "FileType",
      "VersionNumber", "IsLatest", BinaryFolder.contentVersions.sizeColumn, "ContentLocation",
      "OwnerId",
    ],
    "ContentDocumentLink": ["ContentDocumentId", "LinkedEntityId"],
    BinaryFolder.otherUploadedCollateral.metadataObject: [
      "Id", BinaryFolder.otherUploadedCollateral.sizeColumn,
      BinaryFolder.otherUploadedCollateral.checksumColumn ?? "Hash",
    ],
  ]

  /// The Ids whose names the file layout needs.
  var parentIds: Set<String> {
    var ids = Set<String>()
    for row in rows(of: .attachments) { if let id = row["ParentId"] { ids.insert(id) } }
    for row in rows(of: .documents) { if let id = row["FolderId"] { ids.insert(id) } }
    for row in rows["ContentDocumentLink"] ?? [] {
      if let id = row["LinkedEntityId"] { ids.insert(id) }
    }
    for row in rows(of: .contentVersions) { if let id = row["OwnerId"] { ids.insert(id) } }
    return ids
  }

  /// The rows of the object that describes `folder`'s files.
  func rows(of folder: BinaryFolder) -> [Row] { rows[folder.metadataObject] ?? [] }

  /// The object a record Id belongs to, when the export says.
  func object(of id: String) -> String? {
    guard let parsed = RecordId(id) else { return nil }
    return objectByPrefix[parsed.keyPrefix] ?? StandardObjects.objectByPrefix[parsed.keyPrefix]
  }
}

/// Pass 1: every object's records to `records/` (one UTF-8 CSV each, pieces joined, header
/// once), the file-describing rows kept, each object's key prefix learnt. Binaries are skipped
/// (not inflated).
final class RestoreRecordsPass: BundleVisitor {
  let metadata: RestoreMetadata
  let options: RestoreOptions
  /// The open `records/` folder (-1 with `--files-only`).
  let recordsFolder: Int32
  /// Profiles every object's columns for the archive, when one is written.
  let archive: ArchiveWriter?
  private var writers: [String: RecordFileWriter] = [:]
  /// The file name (without extension) each object's records take, by object.
  private(set) var recordFileNames: [String: String] = [:]
  /// The objects holding each name, folded as the file systems people copy a restore to fold
  /// them (case, Unicode normalization): two objects never share a file.
  private var objectByFoldedName: [String: String] = [:]
  private(set) var problems: [String] = []

  init(
    metadata: RestoreMetadata, options: RestoreOptions, recordsFolder: Int32,
    archive: ArchiveWriter?
  ) {
    self.metadata = metadata
    self.options = options
    self.recordsFolder = recordsFolder
    self.archive = archive
  }

  func skips(_ entry: BundleEntry) -> Bool {
    if case .objectCSV = entry.kind { return false }
    return true
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    guard case .objectCSV(let name) = entry.kind else { return nil }
    if !metadata.objects.contains(name) { metadata.objects.append(name) }
    var sinks: [EntrySink] = [
      RowCollector(encoding: options.encoding, wanted: ["Id"]) { [metadata] row in
        if let id = row["Id"].flatMap(RecordId.init), metadata.objectByPrefix[id.keyPrefix] == nil {
          metadata.objectByPrefix[id.keyPrefix] = name
        }
      }
    ]
    if let archive { sinks.append(archive.profileSink(object: name, encoding: options.encoding)) }
    if let wanted = RestoreMetadata.fileObjects[name], !options.recordsOnly {
      sinks.append(
        RowCollector(encoding: options.encoding, wanted: wanted) { [metadata] row in
          metadata.rows[name, default: []].append(row)
        })
    }
    if !options.filesOnly {
      let writer =
        writers[name]
        ?? RecordFileWriter(
          object: name, fileName: recordFileName(for: name), folder: recordsFolder,
          options: options)
      writers[name] = writer
      sinks.append(contentsOf: writer.sinks(source: "\(entry.source): \(entry.path)"))
    }
    return TeeSink(sinks)
  }

  /// A name for `object`'s records file no other object has, on any file system: the safe
  /// form of the object's name, numbered (`Invoice__c (2)`) when another object's safe name
  /// folds to the same.
  private func recordFileName(for object: String) -> String {
    let base = SafeFileName.make(object, fallback: "object")
    var candidate = base
    var number = 1
    while let holder = objectByFoldedName[Self.folded(candidate)], holder != object {
      number += 1
      candidate = "\(base) (\(number))"
    }
    objectByFoldedName[Self.folded(candidate)] = object
    recordFileNames[object] = candidate
    return candidate
  }

  static func folded(_ name: String) -> String {
    name.precomposedStringWithCanonicalMapping.lowercased()
  }

  /// NUL characters left out of each object's CSV cells.
  var removedNULs: [String: Int] {
    writers.compactMapValues { $0.removedNULs > 0 ? $0.removedNULs : nil }
  }

  /// Writes the record files into place; returns what could not be written.
  func finish() throws -> [Finding] {
    // Every file is finished (a failed one removed) before the first failure is thrown.
    var failure: Error?
    for name in metadata.objects {
      do {
        try writers[name]?.finish()
      } catch {
        if failure == nil { failure = error }
      }
    }
    if let failure { throw failure }
    // In the order the objects were met, each object's in the order they arose.
    return metadata.objects.flatMap { writers[$0]?.problems ?? [] }
  }
}

/// Pass 2: the display names of the records that own files (a record's `Name`, else its
/// first and last name, `Subject`, `CaseNumber` or `Title`), read only for those Ids.
///
/// When an archive is written, the same pass stores every record in it.
final class RestoreNamesPass: BundleVisitor {
  let metadata: RestoreMetadata
  let wanted: Set<String>
  let encoding: TextEncoding
  let archive: ArchiveWriter?

  init(metadata: RestoreMetadata, encoding: TextEncoding, archive: ArchiveWriter?) {
    self.metadata = metadata
    self.wanted = metadata.parentIds
    self.encoding = encoding
    self.archive = archive
  }

  func skips(_ entry: BundleEntry) -> Bool {
    if case .objectCSV = entry.kind { return wanted.isEmpty && archive == nil }
    return true
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    guard case .objectCSV(let object) = entry.kind else { return nil }
    let stored = archive?.loadSink(
      object: object, source: "\(entry.source): \(entry.path)", encoding: encoding)
    guard !wanted.isEmpty else { return stored }
    let names = namesSink()
    return stored.map { TeeSink([$0, names]) } ?? names
  }

  private func namesSink() -> EntrySink {
    RowCollector(
      encoding: encoding,
      wanted: ["Id", "Name", "FirstName", "LastName", "Subject", "CaseNumber", "Title"],
      filter: { [wanted] id in wanted.contains(id) },
      onRow: { [metadata] row in
        guard let id = row["Id"] else { return }
        let person = [row["FirstName"], row["LastName"]].compactMap { $0 }.filter { !$0.isEmpty }
          .joined(separator: " ")
        let name = [row["Name"], person, row["Subject"], row["CaseNumber"], row["Title"]]
          .compactMap { $0 }.first { !$0.isEmpty }
        if let name { metadata.names[id] = name }
      })
  }
}
