/// Receives what ``CSVParser`` finds. Generic so that the parser specialises for each handler
/// and the per-record call costs no dynamic dispatch.
public protocol CSVRecordHandler {
  /// A complete record; its field views are valid only during this call.
  mutating func record(_ record: CSVRecord)
  /// A structural problem; the parser has already resynchronised.
  mutating func malformed(_ malformation: CSVMalformation)
}
