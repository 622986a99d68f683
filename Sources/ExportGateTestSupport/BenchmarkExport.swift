import CArchive
import Crypto
import ExportGate
import Foundation

/// Writes the large benchmark export (issue: ~1.3 GB uncompressed in 3 parts: ~200 MB of CSV in
/// 12 objects, ~20,000 binaries whose metadata rows match them) without holding it in memory:
/// CSVs are built one at a time, binaries are generated as they are written.
public enum BenchmarkExport {
  /// How big to make it.
  public struct Shape: Sendable {
    public var csvMegabytes = 200
    public var binaries = 20_000
    public var binaryMegabytes = 1_100
    public var parts = 3

    public init() {}

    /// The same CSVs with `factor` times the files (and parts): more bytes, the same records,
    /// for the scale run that shows memory does not grow with input size.
    public func withMoreFiles(_ factor: Double) -> Shape {
      var shape = self
      shape.binaries = Int(Double(binaries) * factor)
      shape.binaryMegabytes = Int(Double(binaryMegabytes) * factor)
      shape.parts = max(1, Int((Double(parts) * factor).rounded()))
      return shape
    }

    /// The same records and files, each file `factor` times larger: only the bytes grow.
    public func withLargerFiles(_ factor: Double) -> Shape {
      var shape = self
      shape.binaryMegabytes = Int(Double(binaryMegabytes) * factor)
      shape.parts = max(1, Int((Double(parts) * factor).rounded()))
      return shape
    }

    /// The same export cut into `parts` parts (the scaling curve over workers).
    public func split(into parts: Int) -> Shape {
      var shape = self
      shape.parts = max(1, parts)
      return shape
    }

    /// The same export scaled by `factor` (for the 10 GB scale run).
    public func scaled(by factor: Double) -> Shape {
      var shape = self
      shape.csvMegabytes = Int(Double(csvMegabytes) * factor)
      shape.binaries = Int(Double(binaries) * factor)
      shape.binaryMegabytes = Int(Double(binaryMegabytes) * factor)
      shape.parts = max(1, Int((Double(parts) * factor).rounded()))
      return shape
    }
  }

  /// One binary: its folder, Id, size and the seed of its content.
  struct Binary {
    let folder: String
    let id: String
    let size: Int
    let seed: UInt64

    func content() -> [UInt8] {
      var random = SeededRandom(seed: seed)
      var bytes = Array("%PDF-1.7\n".utf8)
      bytes += random.bytes(max(0, size - bytes.count))
      return Array(bytes.prefix(size))
    }
  }

  /// Writes the parts into `directory` and returns their paths.
  @discardableResult
  public static func write(to directory: String, shape: Shape = Shape()) throws -> [String] {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let binaries = planBinaries(shape)
    var entries: [(name: String, make: () throws -> [UInt8])] = []
    entries += try csvEntries(shape: shape, binaries: binaries)
    for binary in binaries {
      entries.append((binary.folder + "/" + binary.id, { binary.content() }))
    }
    let totalBytes = shape.csvMegabytes * 1_000_000 + binaries.reduce(0) { $0 + $1.size }
    let perPart = totalBytes / max(shape.parts, 1) + 1
    var paths: [String] = []
    var writer: StreamingZipWriter?
    var partBytes = 0
    for entry in entries {
      let content = try entry.make()
      if writer == nil || (partBytes + content.count > perPart && paths.count < shape.parts) {
        try writer?.close()
        let path = (directory as NSString).appendingPathComponent(
          "WE_\(ExportGenerator.orgId)_\(paths.count + 1).ZIP")
        writer = try StreamingZipWriter(path: path)
        paths.append(path)
        partBytes = 0
      }
      try writer?.add(name: entry.name, content: content)
      partBytes += content.count
    }
    try writer?.close()
    return paths
  }

  static func planBinaries(_ shape: Shape) -> [Binary] {
    let average = max(1, shape.binaryMegabytes * 1_000_000 / max(shape.binaries, 1))
    var random = SeededRandom(seed: 77)
    var binaries: [Binary] = []
    // 70% attachments, 10% documents, 15% file versions, 5% content bodies.
    let split = [
      ("Attachments", "00P", 70), ("Documents", "015", 10), ("ContentVersion", "068", 15),
      ("Other Uploaded Collateral", "05T", 5),
    ]
    for (folder, prefix, percent) in split {
      let count = shape.binaries * percent / 100
      for serial in 1...max(count, 1) {
        let size = average / 4 + random.below(average * 3 / 2)
        binaries.append(
          Binary(
            folder: folder, id: IdFactory.make(prefix: prefix, serial: serial), size: size,
            seed: random.next()))
      }
    }
    return binaries
  }

  /// The twelve object CSVs: replicated realistic rows for the data objects, and metadata rows
  /// matching the binaries for Attachment, Document, ContentVersion and ContentBody.
  static func csvEntries(shape: Shape, binaries: [Binary]) throws -> [(
    name: String, make: () throws -> [UInt8]
  )] {
    var generator = ExportGenerator(seed: 5, size: .benchmarkBase)
    let base = generator.make()
    let dataObjects = ["Account", "Contact", "Lead", "Opportunity", "Case", "Invoice__c", "User"]
    let tables = dataObjects.compactMap { base.table($0) }
    let metadataBytes = binaries.count * 300
    let baseBytes = tables.reduce(0) { $0 + FixtureWriter.csvText($1, lineEnding: .lf).utf8.count }
    let repeats = max(1, (shape.csvMegabytes * 1_000_000 - metadataBytes) / max(baseBytes, 1))
    var entries: [(name: String, make: () throws -> [UInt8])] = []
    for table in tables {
      entries.append(
        (
          table.name + ".csv",
          {
            // User is not replicated: owners and creators point to the same users.
            replicate(table, times: table.name == "User" ? 1 : repeats)
          }
        ))
    }
    entries.append(("Attachment.csv", { metadata(binaries, folder: "Attachments") }))
    entries.append(("Document.csv", { metadata(binaries, folder: "Documents") }))
    entries.append(("ContentVersion.csv", { metadata(binaries, folder: "ContentVersion") }))
    entries.append(("ContentBody.csv", { metadata(binaries, folder: "Other Uploaded Collateral") }))
    entries.append(("ContentDocumentLink.csv", { links(binaries) }))
    return entries
  }

  static func line(_ fields: [String]) -> String {
    fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
      .joined(separator: ",") + "\n"
  }

  static func replicate(_ table: FixtureExport.Table, times: Int) -> [UInt8] {
    var out: [UInt8] = []
    replicate(table, times: times) { out += $0 }
    return out
  }

  /// Writes the table's header, then its rows `times` over with fresh Ids (same prefix,
  /// serials from 1, so the first copy keeps the generated Ids), in blocks of about 4 MB.
  static func replicate(_ table: FixtureExport.Table, times: Int, write: ([UInt8]) -> Void) {
    var out = Array(line(table.header).utf8)
    let prefix = String(table.rows.first?.first?.prefix(3) ?? "a00")
    var serial = 0
    for _ in 0..<times {
      for row in table.rows {
        serial += 1
        var fields = row
        fields[0] = IdFactory.make(prefix: prefix, serial: serial)
        out += line(fields).utf8
        if out.count >= 1 << 22 {
          write(out)
          out.removeAll(keepingCapacity: true)
        }
      }
    }
    write(out)
  }

  static func metadata(_ binaries: [Binary], folder: String) -> [UInt8] {
    let owner = IdFactory.make(prefix: "005", serial: 1)
    let parent = IdFactory.make(prefix: "001", serial: 1)
    let mine = binaries.filter { $0.folder == folder }
    var out: [UInt8] = []
    switch folder {
    case "Attachments":
      out +=
        line(["Id", "IsDeleted", "ParentId", "Name", "ContentType", "BodyLength", "OwnerId"]).utf8
      for binary in mine {
        out +=
          line([binary.id, "0", parent, "scan.pdf", "application/pdf", String(binary.size), owner])
          .utf8
      }
    case "Documents":
      out += line(["Id", "FolderId", "Name", "Type", "BodyLength", "Url", "AuthorId"]).utf8
      for binary in mine {
        out += line([binary.id, owner, "Logo", "pdf", String(binary.size), "", owner]).utf8
      }
    case "ContentVersion":
      out +=
        line([
          "Id", "ContentDocumentId", "IsLatest", "Title", "ContentSize", "FileType",
          "ContentLocation", "OwnerId",
        ]).utf8
      for (index, binary) in mine.enumerated() {
        out +=
          line([
            binary.id, IdFactory.make(prefix: "069", serial: index + 1), "1", "Contract",
            String(binary.size), "PDF", "S", owner,
          ]).utf8
      }
    default:
      out += line(["Id", "IsDeleted", "Size", "Hash"]).utf8
      for binary in mine {
        let md5 = Insecure.MD5.hash(data: binary.content()).map { String(format: "%02x", $0) }
          .joined()
        out += line([binary.id, "0", String(binary.size), md5]).utf8
      }
    }
    return out
  }

  static func links(_ binaries: [Binary]) -> [UInt8] {
    var out = Array(line(["Id", "LinkedEntityId", "ContentDocumentId", "ShareType"]).utf8)
    let versions = binaries.filter { $0.folder == "ContentVersion" }
    for index in versions.indices {
      out +=
        line([
          IdFactory.make(prefix: "06A", serial: index + 1),
          IdFactory.make(prefix: "001", serial: 1),
          IdFactory.make(prefix: "069", serial: index + 1), "V",
        ]).utf8
    }
    return out
  }
}

/// A ZIP written entry by entry with libarchive (deflate, sizes known up front).
final class StreamingZipWriter {
  private let archive: OpaquePointer

  init(path: String) throws {
    guard let archive = archive_write_new() else {
      throw FixtureWriter.WriteError(description: "no writer")
    }
    self.archive = archive
    archive_write_set_format_zip(archive)
    archive_write_set_options(archive, "zip:compression=deflate")
    guard archive_write_open_filename(archive, path) == ARCHIVE_OK else {
      throw FixtureWriter.WriteError(description: String(cString: archive_error_string(archive)))
    }
  }

  func add(name: String, content: [UInt8]) throws {
    guard let entry = archive_entry_new() else { return }
    defer { archive_entry_free(entry) }
    archive_entry_set_pathname(entry, name)
    archive_entry_set_filetype(entry, 0o100000)
    archive_entry_set_perm(entry, 0o644)
    archive_entry_set_mtime(entry, 1_764_000_000, 0)
    archive_entry_set_size(entry, la_int64_t(content.count))
    guard archive_write_header(archive, entry) == ARCHIVE_OK else {
      throw FixtureWriter.WriteError(description: String(cString: archive_error_string(archive)))
    }
    let written = content.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
    guard written == content.count else {
      throw FixtureWriter.WriteError(description: String(cString: archive_error_string(archive)))
    }
  }

  func close() throws {
    let status = archive_write_close(archive)
    archive_write_free(archive)
    guard status == ARCHIVE_OK else {
      throw FixtureWriter.WriteError(description: "closing the archive failed")
    }
  }
}
