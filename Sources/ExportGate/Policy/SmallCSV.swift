import Foundation

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
    let data: Data
    do {
      data = try InputFile.read(path, what: what, limit: 256 << 20)
    } catch {
      throw OrgFileError(what: what, path: path, line: nil, message: "\(error)")
    }
    data.withUnsafeBytes { reader.feed($0, into: &collector) }
    reader.finish(into: &collector)
    if let problem = collector.problems.first {
      throw OrgFileError(what: what, path: path, line: problem.line, message: problem.message)
    }
    guard let header = collector.records.first?.fields else {
      throw OrgFileError(what: what, path: path, line: nil, message: "the file is empty")
    }
    return Table(header: header, rows: Array(collector.records.dropFirst()))
  }
}
