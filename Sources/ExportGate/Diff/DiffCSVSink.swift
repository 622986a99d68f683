/// Reads one object CSV piece for a diff pass: maps its columns onto the plan's, then hands
/// every record (with decoded fields) to `row`.
class DiffCSVSink: CSVEntrySink {
  let object: DiffState.ObjectState
  let side: DiffSide
  let decoder: FieldDecoder
  // Read for every field of every row: `@exclusivity(unchecked)` drops the runtime access
  // checks (see docs/architecture.md, "Exclusivity").
  /// For each plan column, the index in this piece, or -1.
  @exclusivity(unchecked) private(set) var columnMap: [Int] = []
  @exclusivity(unchecked) private(set) var idColumn: Int?
  private(set) var header: [String] = []
  @exclusivity(unchecked) var scratch: [UInt8] = []

  init(object: DiffState.ObjectState, side: DiffSide, encoding: TextEncoding) {
    self.object = object
    self.side = side
    decoder = FieldDecoder(encoding: encoding)
    super.init(encoding: encoding)
  }

  override func record(_ record: CSVRecord) {
    if record.number == 1 {
      header = (0..<record.count).map { decoder.string(record[$0]) }
      idColumn = header.firstIndex(of: "Id")
      columnMap = object.plan.common.map { header.firstIndex(of: $0) ?? -1 }
      return
    }
    row(record)
  }

  /// A data record (the header has been read).
  func row(_ record: CSVRecord) {}

  /// The record's Id, when it has a valid one.
  @inline(__always)
  func id(of record: CSVRecord) -> RecordId? {
    guard let idColumn, idColumn < record.count,
      case .success(let id) = RecordId.parse(record[idColumn])
    else { return nil }
    return id
  }

  /// The decoded (UTF-8) value of plan column `position`.
  @inline(__always)
  func withValue<T>(_ record: CSVRecord, _ position: Int, _ body: (UnsafeRawBufferPointer) -> T)
    -> T
  {
    let index = columnMap[position]
    guard index >= 0 && index < record.count else {
      return body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    scratch.removeAll(keepingCapacity: true)
    decoder.decode(record[index], appendingTo: &scratch)
    return scratch.withUnsafeBytes(body)
  }

  func string(_ record: CSVRecord, _ position: Int) -> String {
    withValue(record, position) { String(decoding: $0, as: UTF8.self) }
  }
}
