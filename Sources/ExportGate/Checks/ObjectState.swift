/// Everything `verify` accumulates about one object across all the pieces of its CSV.
final class ObjectState {
  let name: String
  var header: [String]?
  /// Data records (the header not counted), over all pieces.
  @exclusivity(unchecked) var records = 0
  var pieces: [String] = []
  /// Each piece's part, entry name and data records, in reading order.
  var pieceRecords: [(part: String, entry: String, records: Int)] = []
  /// The key prefix of the object's Ids (from its first valid Id).
  var prefix: KeyPrefix?
  /// Rows whose Ids carry another prefix, per prefix. Real exports write some objects as the
  /// union of two entities (EventRelation holds 0RE and 0RT rows), so this is data, not damage.
  var otherPrefixes: [KeyPrefix: Int] = [:]
  let ids = RecordIdSet()
  /// True when a piece could not be read whole (damaged entry, truncated CSV).
  var incomplete = false
  /// True when the Id column is absent.
  var missingIdColumn = false

  init(name: String) { self.name = name }

  /// What `object-header-mismatch` says of a piece whose header `names` differs from the
  /// object's `header` (read in `firstPiece`): the columns it adds and lacks, or the order.
  static func headerMismatch(_ names: [String], against header: [String], in firstPiece: String)
    -> String
  {
    let added = names.filter { !header.contains($0) }
    let removed = header.filter { !names.contains($0) }
    var detail = "this piece's header differs from the one in \(firstPiece)"
    if !added.isEmpty { detail += "; extra columns: \(added.prefix(5).joined(separator: ", "))" }
    if !removed.isEmpty {
      detail += "; missing columns: \(removed.prefix(5).joined(separator: ", "))"
    }
    if added.isEmpty && removed.isEmpty { detail += " (same columns, another order)" }
    return detail
  }
}
