import Foundation

/// One object's records as UTF-8 files under `records/`: `<Object>.csv` (RFC 4180, one header,
/// every piece joined in part order) and, when asked, `<Object>.jsonl`. Written to temporary
/// files and renamed into place once complete.
final class RecordFileWriter {
  let object: String
  private var outputs: [(cat: ObjectCat, handle: FileHandle, temporary: String, final: String)] =
    []
  private(set) var problems: [String] = []

  init(object: String, folder: String, options: RestoreOptions) {
    self.object = object
    let base = SafeFileName.make(object, fallback: "object")
    var formats: [(RecordOutputFormat, String)] = [(.csv, "csv")]
    if options.jsonLines { formats.append((.jsonl, "jsonl")) }
    for (format, ext) in formats {
      let final = (folder as NSString).appendingPathComponent("\(base).\(ext)")
      let temporary = (folder as NSString).appendingPathComponent(".\(base).\(ext).partial")
      guard FileManager.default.createFile(atPath: temporary, contents: nil),
        let handle = FileHandle(forWritingAtPath: temporary)
      else {
        problems.append("\(object): cannot write \(temporary)")
        continue
      }
      let cat = ObjectCat(
        format: format, encoding: options.encoding, write: { handle.write(Data($0)) },
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
      guard rename(output.temporary, output.final) == 0 else {
        problems.append("\(object): cannot move \(output.temporary) into place")
        continue
      }
    }
  }
}
