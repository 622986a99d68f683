#if canImport(Glibc)
  import Glibc
#endif

/// The direct read: a part whose directory audit found nothing amiss, and whose entries are all
/// plain Stored or Deflate files, is read front to back in one pass from the directory's own
/// offsets, Deflate decoded by ISA-L (about three times zlib's speed), CRC-32 and size checked
/// against the directory. libarchive reads every other part (salvage included), and damage is
/// worded as libarchive words it where the two see the same thing (a CRC-32 mismatch).
extension ZipPartReader {
  /// Whether every entry of the audited part can be read directly: nothing the audit found
  /// (no disagreeing headers or names, no extra entries, no shared bytes), a directory exactly
  /// where and as long as the end record says, only Stored or Deflate data without encryption,
  /// names every extractor reads alike, regular files and folders only, no extra field that
  /// changes what libarchive reports, entries one after another.
  static func readsDirectly(_ structure: ZipStructure) -> Bool {
    guard structure.findings.isEmpty, !structure.refused, structure.hasExactLayout else {
      return false
    }
    var end: Int64 = 0
    for entry in structure.entriesInReadingOrder {
      guard let dataOffset = entry.dataOffset, entry.hasPlainHeaders,
        entry.localHeaderOffset >= end, dataOffset > entry.localHeaderOffset,
        entry.compressedSize >= 0, entry.uncompressedSize >= 0,
        entry.flags & 0x41 == 0,
        entry.method == 8 || (entry.method == 0 && entry.compressedSize == entry.uncompressedSize),
        entry.unicodeName == nil, entry.localName == nil, entry.legacyName == nil,
        isPlainName(entry), isPlainFileOrFolder(entry)
      else { return false }
      end = ZipStructure.add(dataOffset, entry.compressedSize)
    }
    return end <= structure.directoryStart
  }

  /// ASCII, or valid UTF-8 flagged as such, without NUL or backslash: the name every extractor
  /// reports. (A name that is not valid UTF-8, stored here with replacement characters, is one
  /// the audit names already; the check holds should it ever not.)
  private static func isPlainName(_ entry: ZipStructure.Entry) -> Bool {
    let utf8 = entry.rawName.utf8
    guard !utf8.isEmpty, !entry.rawName.utf8Contains(0), !entry.rawName.utf8Contains(0x5C) else {
      return false
    }
    if utf8.allSatisfy({ $0 < 0x80 }) { return true }
    return entry.flags & 0x800 != 0 && !entry.rawName.unicodeScalars.contains("\u{FFFD}")
  }

  /// A regular file, or a folder named with its trailing `/`, by the Unix mode a Unix-made
  /// entry carries and by the DOS folder attribute.
  private static func isPlainFileOrFolder(_ entry: ZipStructure.Entry) -> Bool {
    let folder = entry.rawName.hasSuffix("/")
    if entry.versionMadeBy >> 8 == 3 {
      switch (entry.externalAttributes >> 16) & 0o170000 {
      case 0, 0o100000: break
      case 0o040000 where folder: break
      default: return false
      }
    }
    return entry.externalAttributes & 0x10 == 0 || folder
  }

  /// Reads the part's entries directly (see ``readsDirectly(_:)``), feeding every block to
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
