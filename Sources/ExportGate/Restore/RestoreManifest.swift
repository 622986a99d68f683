/// `manifest.csv`: one row per file the export's metadata lists (and per file no row claims),
/// with where it went, its size and hashes, where it came from, and why when it could not be
/// restored. UTF-8, RFC 4180, and safe to open in a spreadsheet: a cell that begins with `=`,
/// `+`, `-`, `@`, TAB or CR (a formula to Excel, OWASP's CSV-injection rule) is prefixed with
/// `'`, which spreadsheets show as text and hide.
enum RestoreManifest {
  /// The first characters that make a spreadsheet read a cell as a formula.
  static let formulaStarts: Set<UInt8> = [
    UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
  ]

  /// `value` as a spreadsheet shows it without running it.
  static func spreadsheetSafe(_ value: String) -> ArraySlice<UInt8> {
    let bytes = ArraySlice(value.utf8)
    guard let first = bytes.first, formulaStarts.contains(first) else { return bytes }
    return [UInt8(ascii: "'")] + bytes
  }

  static let header = [
    "Id", "Status", "Path", "Bytes", "SHA256", "MD5", "Part", "Entry", "Parent", "AlsoAt",
    "Readable", "Reason",
  ]

  static func csv(_ report: RestoreReport) -> String {
    var out: [UInt8] = []
    RecordOutputFormat.csv.append(header.map { ArraySlice($0.utf8) }, to: &out)
    for row in report.rows {
      RecordOutputFormat.csv.append(fields(of: row).map(spreadsheetSafe), to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A row's cells, in ``header``'s order (empty where there is nothing to say).
  static func fields(of row: RestoreReport.Row) -> [String] {
    [
      row.id, row.status.rawValue, row.path, row.bytes.map(String.init) ?? "", row.sha256 ?? "",
      row.md5 ?? "", row.part ?? "", row.entry ?? "", row.parent,
      row.alsoAt.joined(separator: ";"), row.readable ?? "", row.reason,
    ]
  }
}
