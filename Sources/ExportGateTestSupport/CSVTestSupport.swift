import ExportGate

/// Collects parsed records as strings, and the malformations met.
public struct RecordCollector: CSVRecordHandler {
  public var records: [[String]] = []
  public var positions: [(line: Int, offset: Int64)] = []
  public var malformations: [CSVMalformation] = []

  public init() {}

  public mutating func record(_ record: CSVRecord) {
    records.append(record.strings)
    positions.append((record.line, record.byteOffset))
  }

  public mutating func malformed(_ malformation: CSVMalformation) {
    malformations.append(malformation)
  }
}

/// Parses bytes with the stream reader, fed in chunks of `chunkSize` (or split once at
/// `splitAt`), and returns what was collected.
public func parseCSV(
  _ bytes: [UInt8], chunkSize: Int? = nil, splitAt: Int? = nil,
  encoding: TextEncoding = .auto, options: CSVParser.Options = CSVParser.Options()
) -> (collected: RecordCollector, firstInvalidUTF8: Int64?) {
  var reader = CSVStreamReader(encoding: encoding, options: options)
  var collector = RecordCollector()
  bytes.withUnsafeBytes { raw in
    if let splitAt {
      reader.feed(UnsafeRawBufferPointer(rebasing: raw[0..<splitAt]), into: &collector)
      reader.feed(UnsafeRawBufferPointer(rebasing: raw[splitAt...]), into: &collector)
    } else {
      let size = max(chunkSize ?? raw.count, 1)
      var start = 0
      while start < raw.count {
        let end = min(start + size, raw.count)
        reader.feed(UnsafeRawBufferPointer(rebasing: raw[start..<end]), into: &collector)
        start = end
      }
    }
  }
  reader.finish(into: &collector)
  return (collector, reader.validator.firstInvalidOffset)
}

/// A reference CSV writer for property tests: quotes a field when it must (or when told to),
/// doubles quotes, and ends each record with the given terminator.
public enum ReferenceCSVWriter {
  public static func write(_ rows: [[String]], terminators: [String], quoteAll: Bool) -> [UInt8] {
    var out = ""
    for (index, row) in rows.enumerated() {
      let fields = row.map { field -> String in
        let mustQuote =
          quoteAll || field.contains(",") || field.contains("\"") || field.contains("\n")
          || field.contains("\r") || (row.count == 1 && field.isEmpty)
        return mustQuote ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
      }
      out += fields.joined(separator: ",")
      if index < rows.count - 1 || !terminators[index % terminators.count].isEmpty {
        out +=
          terminators[index % terminators.count].isEmpty
          ? "\n" : terminators[index % terminators.count]
      }
    }
    return Array(out.utf8)
  }
}
