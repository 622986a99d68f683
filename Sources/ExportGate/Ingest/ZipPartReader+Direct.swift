#if canImport(Glibc)
  import Glibc
#endif

/// The direct read: a part whose directory audit found nothing amiss, and whose entries are all
/// plain Stored or Deflate files, is read front to back in one pass from the directory's own
/// offsets, Deflate decoded by ISA-L (about three times zlib's speed), CRC-32 and size checked
/// against the directory. libarchive reads every other part (salvage included), and damage is
/// worded as libarchive words it where the two see the same thing (a CRC-32 mismatch).
extension ZipPartReader {
  /// Reads the part's entries directly (see ``ZipStructure/isPlain``), feeding every block to
  /// `source` (and so to the part's hash).
  func runDirect(
    _ structure: ZipStructure, source: HashingPartSource, stats: inout Stats,
    seen: inout [String: Int]
  ) -> RunOutcome {
    var outcome = RunOutcome()
    var cursor = PartCursor(source: source)
    let decoder = DeflateDecoder()
    let limit = limits.expansionLimit(forPartOf: part.bytes, partsInRun: partsInRun)
    var occurrences: [String: Int] = [:]
    for item in structure.entriesInReadingOrder {
      let path = item.readerName
      occurrences[path, default: 0] += 1
      let (entry, isCopy) = admit(
        EntryFacts(
          path: path, isLink: false, isDirectory: item.isDirectory,
          modified: item.localExtendedTime ?? Self.unixTime(dos: item.dosDateTime),
          declaredSize: item.uncompressedSize),
        occurrence: occurrences[path, default: 0], stats: &stats, seen: &seen)
      if entry.kind == .directory || visitor?.skips(entry) == true { continue }
      let sink = isCopy ? nil : visitor?.sink(for: entry)
      let result = decode(
        item, from: &cursor, with: decoder, into: sink, stats: &stats, limit: limit)
      progress?(cursor.position)
      settle(result, of: entry, sink: sink, stats: &stats, outcome: &outcome).map(report)
      if result.fatal || result.bomb { break }
    }
    return outcome
  }

  private func decode(
    _ item: ZipStructure.Entry, from cursor: inout PartCursor, with decoder: DeflateDecoder,
    into sink: EntrySink?, stats: inout Stats, limit: Int64
  ) -> StreamResult {
    guard let dataOffset = item.dataOffset, cursor.move(to: dataOffset) else {
      return cursor.failure(at: 0)
    }
    var delivery = Delivery(sink: sink, computesCRC: true, limit: limit, chunkLimit: chunkLimit)
    var withinAllowance = true
    var status = DeflateDecoder.Status.needsInput
    // Compressed bytes the stream used: all of them, as libarchive requires.
    var used: Int64 = 0
    if item.method == 8 { decoder.reset() }
    let taken = cursor.take(item.compressedSize) { piece in
      if item.method == 0 {
        used += Int64(piece.count)
        withinAllowance = delivery.deliver(piece, stats: &stats)
        return withinAllowance
      }
      status = decoder.decode(piece) { output in
        withinAllowance = delivery.deliver(output, stats: &stats)
        return withinAllowance
      }
      used += Int64(piece.count - (status == .finished ? decoder.unusedInput : 0))
      return status == .needsInput
    }
    if !withinAllowance { return .bomb(after: delivery.bytes) }
    if !taken && status == .needsInput { return cursor.failure(at: delivery.bytes) }
    let problem: String?
    switch status {
    case .invalid(let reason): problem = reason
    case .needsInput where item.method == 8: problem = "the Deflate data ends before its stream"
    default:
      if used != item.compressedSize {
        problem =
          "ZIP compressed data is wrong size (read \(used), expected \(item.compressedSize))"
      } else if delivery.bytes != item.uncompressedSize {
        problem =
          "ZIP uncompressed data is wrong size (read \(delivery.bytes), expected \(item.uncompressedSize))"
      } else {
        problem = delivery.crcMismatch(expected: item.crc32)
      }
    }
    if let problem {
      return StreamResult(outcome: .damaged(bytes: delivery.bytes, reason: problem))
    }
    return StreamResult(outcome: .complete(bytes: delivery.bytes))
  }

  /// A DOS date and time (date in the high 16 bits) as seconds since 1970, read as local time
  /// the way libarchive reads it (`mktime`, daylight saving time left to the C library).
  static func unixTime(dos: UInt32) -> Int64 {
    let date = Int32(dos >> 16)
    let time = Int32(dos & 0xFFFF)
    var parts = tm()
    parts.tm_year = ((date >> 9) & 0x7F) + 80
    parts.tm_mon = ((date >> 5) & 0x0F) - 1
    parts.tm_mday = date & 0x1F
    parts.tm_hour = (time >> 11) & 0x1F
    parts.tm_min = (time >> 5) & 0x3F
    parts.tm_sec = (time << 1) & 0x3E
    parts.tm_isdst = -1
    return Int64(mktime(&parts))
  }
}
