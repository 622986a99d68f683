import Foundation

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
