/// Findings that follow from an entry's path alone, shared by archive and folder reading.
enum IngestFindings {
  static func classification(of entry: BundleEntry) -> Finding? {
    switch entry.kind {
    case .unsafe(let reason):
      Finding(
        .entryUnsafePath, "unsafe entry name: \(reason); it is never extracted or followed",
        at: entry.location)
    case .unexpected:
      Finding(
        .entryUnexpected,
        "not an object CSV at the root nor a file in a known binary folder", at: entry.location)
    case .objectCSV, .binary, .directory:
      nil
    }
  }
}
