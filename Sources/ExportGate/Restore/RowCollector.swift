/// Reads some columns of an object CSV as strings (in the export's encoding, decoded to
/// UTF-8), one callback per record. With a filter on the Id, rows whose Id is not wanted are
/// not decoded at all.
final class RowCollector: CSVEntrySink {
  private let wanted: [String]
  private let filter: ((String) -> Bool)?
  private let onRow: ([String: String]) -> Void
  private let decoder: FieldDecoder
  private var columns: [(name: String, index: Int)] = []
  private var idColumn: Int?

  init(
    encoding: TextEncoding, wanted: [String], filter: ((String) -> Bool)? = nil,
    onRow: @escaping ([String: String]) -> Void
  ) {
    self.wanted = wanted
    self.filter = filter
    self.onRow = onRow
    self.decoder = FieldDecoder(encoding: encoding)
    super.init(encoding: encoding)
  }

  override func record(_ record: CSVRecord) {
    if record.number == 1 {
      let names = record.strings
      idColumn = names.firstIndex(of: "Id")
      columns = wanted.compactMap { name in names.firstIndex(of: name).map { (name, $0) } }
      return
    }
    if let filter {
      guard let idColumn, idColumn < record.count else { return }
      guard filter(String(decoding: record[idColumn], as: UTF8.self)) else { return }
    }
    var row: [String: String] = [:]
    for (name, index) in columns where index < record.count {
      var bytes: [UInt8] = []
      decoder.decode(record[index], appendingTo: &bytes)
      row[name] = String(decoding: bytes, as: UTF8.self)
    }
    onRow(row)
  }
}

/// Hands one entry's bytes to several sinks.
final class TeeSink: EntrySink {
  private let sinks: [EntrySink]

  init(_ sinks: [EntrySink]) { self.sinks = sinks }

  func consume(_ chunk: UnsafeRawBufferPointer) { for sink in sinks { sink.consume(chunk) } }
  func finish(_ outcome: EntryOutcome) { for sink in sinks { sink.finish(outcome) } }
}
