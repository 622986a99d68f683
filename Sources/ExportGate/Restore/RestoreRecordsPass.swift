import Foundation

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
    if let wanted = FileRows.columns[name], !options.recordsOnly {
      sinks.append(
        RowCollector(encoding: options.encoding, wanted: wanted) { [metadata] row in
          metadata.files.add(row, of: name)
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
