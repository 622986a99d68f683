import Foundation

/// One object's records as UTF-8 files under `records/`: `<Object>.csv` (RFC 4180, one header,
/// every piece joined in part order) and, when asked, `<Object>.jsonl`. Written to new
/// temporary files in the open `records/` folder (never through a link) and renamed into place
/// once complete.
final class RecordFileWriter {
  let object: String
  private let folder: Int32
  private var outputs: [(cat: ObjectCat, handle: FileHandle, temporary: String, final: String)] =
    []
  private(set) var problems: [String] = []
  /// NUL characters left out of the CSV's cells (grep and spreadsheets stop at them; the
  /// archive and the JSON lines keep them).
  private(set) var removedNULs = 0

  init(object: String, folder: Int32, options: RestoreOptions) {
    self.object = object
    self.folder = folder
    let base = SafeFileName.make(object, fallback: "object")
    var formats: [(RecordOutputFormat, String)] = [(.csv, "csv")]
    if options.jsonLines { formats.append((.jsonl, "jsonl")) }
    for (format, ext) in formats {
      let final = "\(base).\(ext)"
      let temporary = ".\(base).\(ext).\(UUID().uuidString).partial"
      let descriptor = openat(
        folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        problems.append(
          "\(object): cannot write records/\(final): \(String(cString: strerror(errno)))")
        continue
      }
      let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
      if format == .csv && options.byteOrderMark {
        // Excel on Windows reads a CSV as UTF-8 only with the mark (Kraków, 東京 intact).
        handle.write(Data([0xEF, 0xBB, 0xBF]))
      }
      let cat = ObjectCat(
        format: format, encoding: options.encoding,
        write: { [weak self] block in
          guard format == .csv, block.contains(0) else { return handle.write(Data(block)) }
          let kept = block.filter { $0 != 0 }
          self?.removedNULs += block.count - kept.count
          handle.write(Data(kept))
        },
        diagnose: { [weak self] diagnostic in
          if diagnostic.isError { self?.problems.append("\(object): \(diagnostic)") }
        })
      outputs.append((cat, handle, temporary, final))
    }
  }

  /// Sinks for the next piece of the object's CSV.
  func sinks(source: String) -> [EntrySink] {
    outputs.map { $0.cat.pieceSink(source: source) }
  }

  func finish() throws {
    for output in outputs {
      output.cat.finish()
      try output.handle.synchronize()
      try output.handle.close()
      // renameat replaces a link planted at the final name itself, never its target.
      guard renameat(folder, output.temporary, folder, output.final) == 0 else {
        problems.append("\(object): cannot move records/\(output.final) into place")
        unlinkat(folder, output.temporary, 0)
        continue
      }
    }
  }
}
