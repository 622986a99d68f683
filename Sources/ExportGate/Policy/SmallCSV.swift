/// Reads a small CSV file (an org's counts or checksums) whole, with the line of each record.
enum SmallCSV {
  struct Table {
    var header: [String]
    var rows: [(line: Int, fields: [String])]

    /// The index of a column, compared case-insensitively.
    func column(_ name: String) -> Int? {
      header.firstIndex { $0.lowercased() == name.lowercased() }
    }
  }

  struct Collector: CSVRecordHandler {
    var records: [(line: Int, fields: [String])] = []
    var problems: [CSVMalformation] = []
    mutating func record(_ record: CSVRecord) { records.append((record.line, record.strings)) }
    mutating func malformed(_ malformation: CSVMalformation) { problems.append(malformation) }
  }

  static func read(path: String, what: String) throws -> Table {
    var reader = CSVStreamReader(encoding: .auto)
    var collector = Collector()
    do {
      try FileChunks.read(path: path, chunkSize: 1 << 16) { reader.feed($0, into: &collector) }
    } catch {
      throw PolicyLoader.PolicyError(line: nil, message: "\(what): \(error)")
    }
    reader.finish(into: &collector)
    if let problem = collector.problems.first {
      throw PolicyLoader.PolicyError(
        line: problem.line, message: "\(what) \(path): \(problem.message)")
    }
    guard let header = collector.records.first?.fields else {
      throw PolicyLoader.PolicyError(line: nil, message: "\(what) \(path) is empty")
    }
    return Table(header: header, rows: Array(collector.records.dropFirst()))
  }
}
