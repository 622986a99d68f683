/// `manifest.csv`: one row per file the export's metadata lists (and per file no row claims),
/// with where it went, its size and hashes, where it came from, and why when it could not be
/// restored. UTF-8, RFC 4180.
enum RestoreManifest {
  static let header = [
    "Id", "Status", "Path", "Bytes", "SHA256", "MD5", "Part", "Entry", "Parent", "AlsoAt",
    "Readable", "Reason",
  ]

  static func csv(_ report: RestoreReport) -> String {
    var out: [UInt8] = []
    RecordOutputFormat.csv.append(header.map { ArraySlice($0.utf8) }, to: &out)
    for row in report.rows {
      let fields = [
        row.id, row.status.rawValue, row.path, row.bytes.map(String.init) ?? "", row.sha256 ?? "",
        row.md5 ?? "", row.part ?? "", row.entry ?? "", row.parent,
        row.alsoAt.joined(separator: ";"), row.readable ?? "", row.reason,
      ]
      RecordOutputFormat.csv.append(fields.map { ArraySlice($0.utf8) }, to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
