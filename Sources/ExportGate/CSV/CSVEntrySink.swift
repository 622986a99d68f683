/// The bridge from ingest to the CSV parser: an ``EntrySink`` that parses the entry's bytes as
/// CSV in the given encoding. Subclasses receive records and malformations, and `entryEnded`
/// once the entry is over (with the reader's final state: counts, UTF-8 validity).
class CSVEntrySink: EntrySink, CSVRecordHandler {
  private(set) var reader: CSVStreamReader

  init(encoding: TextEncoding) {
    reader = CSVStreamReader(encoding: encoding)
  }

  final func consume(_ chunk: UnsafeRawBufferPointer) {
    var handler = self
    reader.feed(chunk, into: &handler)
  }

  final func finish(_ outcome: EntryOutcome) {
    var handler = self
    reader.finish(into: &handler)
    entryEnded(outcome)
  }

  /// True once no more records are wanted (the rest of the entry is skipped).
  var isSatisfied: Bool { false }

  func record(_ record: CSVRecord) {}
  func malformed(_ malformation: CSVMalformation) {}
  func entryEnded(_ outcome: EntryOutcome) {}
}
