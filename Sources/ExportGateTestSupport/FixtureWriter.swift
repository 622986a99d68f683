import CArchive
import Foundation

/// Writes a ``FixtureExport`` as a real Data Export bundle (ZIP parts named
/// `WE_<OrgId>_<n>.ZIP`, written by libarchive) or as an extracted folder.
public enum FixtureWriter {
  /// An entry the bundle layout does not produce on its own (for fault injection).
  public struct ExtraEntry: Sendable {
    public var name: String
    public var content: [UInt8]
    public var symlinkTarget: String?

    public init(name: String, content: [UInt8] = [], symlinkTarget: String? = nil) {
      self.name = name
      self.content = content
      self.symlinkTarget = symlinkTarget
    }
  }

  public struct WriteError: Error, CustomStringConvertible {
    public let description: String
  }

  /// The CSV text of a table, every field quoted, as the export writes it.
  public static func csvText(
    _ table: FixtureExport.Table, rows: ArraySlice<[String]>? = nil,
    lineEnding: FixtureExport.LineEnding
  ) -> String {
    var out = ""
    func line(_ fields: [String]) {
      out += fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        .joined(separator: ",")
      out += lineEnding.rawValue
    }
    line(table.header)
    for row in rows ?? table.rows[...] { line(row) }
    return out
  }

  /// The CSV text of a table as Excel saves it after opening it in a European locale, as
  /// seen in real backups: fields quoted only where they must be, CR LF line endings,
  /// datetimes `2026-06-09 16:12:25` as `09-06-2026 16:12` (seconds and the day/month order
  /// lost), numbers of 12 digits or more in scientific notation.
  public static func spreadsheetText(_ table: FixtureExport.Table) -> String {
    func cell(_ value: String) -> String {
      var value = value
      let parts = value.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" })
      if parts.count == 6, value.count == 19, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
        value = "\(parts[2])-\(parts[1])-\(parts[0]) \(parts[3]):\(parts[4])"
      } else if value.count >= 12, value.allSatisfy(\.isNumber), let number = Double(value) {
        value = String(format: "%.2E", number).replacingOccurrences(of: "E+0", with: "E+")
      }
      let mustQuote = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
      return mustQuote ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
    return ([table.header] + table.rows).map { $0.map(cell).joined(separator: ",") + "\r\n" }
      .joined()
  }

  /// Encodes CSV text as the export's encoding would (unrepresentable characters become `?`,
  /// as Salesforce does for ISO-8859-1).
  public static func encode(_ text: String, as encoding: FixtureExport.Encoding) -> [UInt8] {
    switch encoding {
    case .utf8:
      return Array(text.utf8)
    case .iso88591:
      return text.unicodeScalars.map { $0.value <= 0xFF ? UInt8($0.value) : UInt8(ascii: "?") }
    case .utf16BE:
      var out: [UInt8] = [0xFE, 0xFF]
      for unit in text.utf16 {
        out.append(UInt8(unit >> 8))
        out.append(UInt8(unit & 0xFF))
      }
      return out
    }
  }

  /// The entries of the export in writing order, grouped into parts.
  public static func layout(_ export: FixtureExport) -> [[(name: String, content: [UInt8])]] {
    var parts: [[(name: String, content: [UInt8])]] = [[]]
    var partBytes = 0
    func add(_ name: String, _ content: [UInt8], forceNewPartAfter: Bool = false) {
      if partBytes + content.count > export.maxPartBytes && !(parts.last?.isEmpty ?? true) {
        parts.append([])
        partBytes = 0
      }
      parts[parts.count - 1].append((name, content))
      partBytes += content.count
      if forceNewPartAfter {
        parts.append([])
        partBytes = 0
      }
    }
    for table in export.tables.sorted(by: { $0.name < $1.name }) {
      let name = table.name + ".csv"
      if export.splitObjects.contains(table.name) && table.rows.count >= 2 {
        let half = table.rows.count / 2
        let first = csvText(table, rows: table.rows[0..<half], lineEnding: export.lineEnding)
        let second = csvText(
          table, rows: table.rows[half...], lineEnding: export.lineEnding)
        add(name, encode(first, as: export.encoding), forceNewPartAfter: true)
        add(name, encode(second, as: export.encoding))
      } else if export.resavedBySpreadsheet.contains(table.name) {
        add(name, encode(spreadsheetText(table), as: export.encoding))
      } else {
        add(name, encode(csvText(table, lineEnding: export.lineEnding), as: export.encoding))
      }
    }
    let folderOrder = ["Attachments", "Documents", "ContentVersion", "Other Uploaded Collateral"]
    let files = export.files.sorted {
      let a = folderOrder.firstIndex(of: $0.folder) ?? 99
      let b = folderOrder.firstIndex(of: $1.folder) ?? 99
      return a != b ? a < b : $0.name < $1.name
    }
    for file in files { add(file.folder + "/" + file.name, file.content) }
    return parts.filter { !$0.isEmpty }
  }

  /// Writes the parts into `directory` and returns their paths in order.
  @discardableResult
  public static func writeParts(
    _ export: FixtureExport, to directory: String, extraEntries: [ExtraEntry] = []
  ) throws -> [String] {
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    var paths: [String] = []
    for (index, entries) in layout(export).enumerated() {
      let path = (directory as NSString).appendingPathComponent(
        "WE_\(export.orgId)_\(index + 1).ZIP")
      let extras = index == 0 ? extraEntries : []
      try writeZip(
        at: path, entries: entries, extras: extras, compression: export.compression,
        zip64: export.zip64, modified: export.modified)
      paths.append(path)
    }
    return paths
  }

  /// Writes one ZIP with libarchive.
  public static func writeZip(
    at path: String, entries: [(name: String, content: [UInt8])], extras: [ExtraEntry] = [],
    compression: FixtureExport.Compression = .deflate, zip64: Bool = false,
    modified: Int64 = 1_764_000_000, passphrase: String? = nil
  ) throws {
    guard let archive = archive_write_new() else { throw WriteError(description: "no writer") }
    defer { archive_write_free(archive) }
    archive_write_set_format_zip(archive)
    if let passphrase {
      archive_write_set_options(archive, "zip:encryption=zipcrypt")
      archive_write_set_passphrase(archive, passphrase)
    }
    let method = compression == .store ? "store" : "deflate"
    archive_write_set_options(archive, "zip:compression=\(method)")
    if zip64 { archive_write_set_options(archive, "zip:zip64") }
    guard archive_write_open_filename(archive, path) == ARCHIVE_OK else {
      throw WriteError(description: String(cString: archive_error_string(archive)))
    }
    func write(name: String, content: [UInt8], symlink: String?) throws {
      guard let entry = archive_entry_new() else { return }
      defer { archive_entry_free(entry) }
      archive_entry_set_pathname(entry, name)
      archive_entry_set_mtime(entry, time_t(modified), 0)
      if let symlink {
        archive_entry_set_filetype(entry, 0o120000)
        archive_entry_set_symlink(entry, symlink)
        archive_entry_set_perm(entry, 0o777)
        archive_entry_set_size(entry, 0)
      } else {
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, la_int64_t(content.count))
      }
      guard archive_write_header(archive, entry) == ARCHIVE_OK else {
        throw WriteError(description: String(cString: archive_error_string(archive)))
      }
      if symlink == nil && !content.isEmpty {
        let written = content.withUnsafeBytes {
          archive_write_data(archive, $0.baseAddress, $0.count)
        }
        guard written == content.count else {
          throw WriteError(description: String(cString: archive_error_string(archive)))
        }
      }
    }
    for entry in entries { try write(name: entry.name, content: entry.content, symlink: nil) }
    for extra in extras {
      try write(name: extra.name, content: extra.content, symlink: extra.symlinkTarget)
    }
    guard archive_write_close(archive) == ARCHIVE_OK else {
      throw WriteError(description: String(cString: archive_error_string(archive)))
    }
  }

  /// Writes the export as an extracted folder (what unzipping every part into one folder gives).
  public static func writeFolder(_ export: FixtureExport, to directory: String) throws {
    let fileManager = FileManager.default
    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for table in export.tables {
      let bytes = encode(csvText(table, lineEnding: export.lineEnding), as: export.encoding)
      try Data(bytes).write(
        to: URL(
          fileURLWithPath: (directory as NSString).appendingPathComponent(table.name + ".csv")))
    }
    for file in export.files {
      let folder = (directory as NSString).appendingPathComponent(file.folder)
      try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(file.content).write(
        to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(file.name)))
    }
  }
}

extension FixtureWriter {
  /// Writes a ZIP with one entry of `size` bytes produced in 1 MiB chunks (never held whole in
  /// memory): the byte at offset i is `pattern(i)`'s low byte, or zero when `pattern` is nil.
  public static func writeLargeEntryZip(
    at path: String, entryName: String, size: Int64,
    compression: FixtureExport.Compression = .deflate
  ) throws {
    guard let archive = archive_write_new() else { throw WriteError(description: "no writer") }
    defer { archive_write_free(archive) }
    archive_write_set_format_zip(archive)
    archive_write_set_options(
      archive, "zip:compression=\(compression == .store ? "store" : "deflate")")
    guard archive_write_open_filename(archive, path) == ARCHIVE_OK,
      let entry = archive_entry_new()
    else { throw WriteError(description: "cannot open \(path)") }
    defer { archive_entry_free(entry) }
    archive_entry_set_pathname(entry, entryName)
    archive_entry_set_filetype(entry, 0o100000)
    archive_entry_set_perm(entry, 0o644)
    archive_entry_set_size(entry, la_int64_t(size))
    archive_write_header(archive, entry)
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    // A CSV-like repeating line, so that deflate has work to do but compresses well.
    let line = Array("\"001Dn0000000001AAA\",\"Acme\",\"0\",\"2024-01-01 00:00:00\"\n".utf8)
    for index in chunk.indices { chunk[index] = line[index % line.count] }
    var remaining = size
    while remaining > 0 {
      let count = Int(min(remaining, Int64(chunk.count)))
      _ = chunk.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, count) }
      remaining -= Int64(count)
    }
    guard archive_write_close(archive) == ARCHIVE_OK else {
      throw WriteError(description: String(cString: archive_error_string(archive)))
    }
  }
}
