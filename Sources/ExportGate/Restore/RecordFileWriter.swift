import Foundation

/// One object's records as UTF-8 files under `records/`: `<Object>.csv` (RFC 4180, one header,
/// every piece joined in part order) and, when asked, `<Object>.jsonl`. Written to new
/// temporary files in the open `records/` folder (never through a link), synced, and renamed
/// into place once complete; a write the system refuses (a full disk) leaves no file and stops
/// the restore.
final class RecordFileWriter {
  private struct Output {
    let cat: ObjectCat
    let descriptor: Int32
    let temporary: String
    let final: String
  }

  let object: String
  private let folder: Int32
  private var outputs: [Output] = []
  /// What kept the records from being whole: damaged pieces, files the system refused.
  private(set) var problems: [Finding] = []
  /// The first write the system refused: the records cannot be whole.
  private var writeFailure: RestoreWriteFailure?
  /// NUL characters left out of the CSV's cells (grep and spreadsheets stop at them; the
  /// archive and the JSON lines keep them).
  private(set) var removedNULs = 0

  /// Writes `object`'s records as `fileName.csv` (and `.jsonl`), a name no other object has.
  init(object: String, fileName base: String, folder: Int32, options: RestoreOptions) {
    self.object = object
    self.folder = folder
    var formats: [(RecordOutputFormat, String)] = [(.csv, "csv")]
    if options.jsonLines { formats.append((.jsonl, "jsonl")) }
    for (format, ext) in formats {
      let final = "\(base).\(ext)"
      let temporary = ".\(base).\(ext).\(UUID().uuidString).partial"
      let descriptor = openat(
        folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        let failure = RestoreWriteFailure.lastError(writing: "records/\(final)")
        if DiskSpace.isFull(failure.code) { writeFailure = failure }
        problems.append(notWritten(final, "\(failure)"))
        continue
      }
      if format == .csv && options.byteOrderMark {
        // Excel on Windows reads a CSV as UTF-8 only with the mark (Kraków, 東京 intact).
        write([0xEF, 0xBB, 0xBF], to: descriptor, final: final)
      }
      let cat = ObjectCat(
        format: format, encoding: options.encoding,
        write: { [weak self] block in
          guard let self else { return }
          guard format == .csv, block.contains(0) else {
            return self.write(block, to: descriptor, final: final)
          }
          let kept = block.filter { $0 != 0 }
          self.removedNULs += block.count - kept.count
          self.write(kept, to: descriptor, final: final)
        },
        diagnose: { [weak self] diagnostic in
          guard diagnostic.isError else { return }
          self?.problems.append(
            Finding(diagnostic.code, diagnostic.description, at: FindingLocation(object: object)))
        })
      outputs.append(Output(cat: cat, descriptor: descriptor, temporary: temporary, final: final))
    }
  }

  /// Sinks for the next piece of the object's CSV.
  func sinks(source: String) -> [EntrySink] {
    outputs.map { $0.cat.pieceSink(source: source) }
  }

  /// Syncs each file and moves it into place; throws the first write the system refused (the
  /// file is then removed, never left half written under its name).
  func finish() throws {
    for output in outputs {
      output.cat.finish()
      if writeFailure == nil && fsync(output.descriptor) != 0 {
        writeFailure = RestoreWriteFailure.lastError(writing: "records/\(output.final)")
      }
      if close(output.descriptor) != 0 && writeFailure == nil {
        writeFailure = RestoreWriteFailure.lastError(writing: "records/\(output.final)")
      }
      if writeFailure != nil {
        unlinkat(folder, output.temporary, 0)
        continue
      }
      // renameat replaces a link planted at the final name itself, never its target.
      guard renameat(folder, output.temporary, folder, output.final) == 0 else {
        problems.append(notWritten(output.final, "cannot move it into place"))
        unlinkat(folder, output.temporary, 0)
        continue
      }
    }
    outputs = []
    if let writeFailure { throw writeFailure }
  }

  private func notWritten(_ file: String, _ reason: String) -> Finding {
    Finding(
      .recordsNotWritten, "records/\(file) was not written: \(reason)",
      at: FindingLocation(entry: "records/\(file)", object: object))
  }

  private func write(_ bytes: [UInt8], to descriptor: Int32, final: String) {
    guard writeFailure == nil else { return }
    if let code = bytes.withUnsafeBytes({ AtomicFile.writeAll(descriptor, $0) }) {
      writeFailure = RestoreWriteFailure(path: "records/\(final)", code: code)
    }
  }
}
