import CArchive
import Foundation

/// The libarchive reads: the seekable read through the central directory (CRC-32s checked here
/// against the audit), the streaming salvage through the local headers, and the re-read of
/// entries whose CRC-32 could not be paired.
extension ZipPartReader {
  /// How an entry's CRC-32 is checked.
  enum ChecksumCheck {
    /// By libarchive (zlib's CRC): the streaming salvage, and parts without a directory audit.
    case libarchive
    /// Here, with ISA-L, against the directory's value (libarchive told to skip it).
    case against(UInt32)
    /// Not during this read: the entry is re-read with libarchive checking (``recheck``).
    case deferred
  }

  func run(
    mode: Mode, source: HashingPartSource?, stats: inout Stats, skipping: [String: Int],
    seen: inout [String: Int]
  ) -> RunOutcome {
    var outcome = RunOutcome()
    let opened: LibarchiveReader
    switch openLibarchive(mode: mode, source: source) {
    case .success(let reader): opened = reader
    case .failure(let failure):
      outcome.fatalError = failure.reason
      outcome.truncated = failure.ranDry
      return outcome
    }
    defer { archive_read_free(opened.archive) }
    let (archive, reading, audited) = (opened.archive, opened.reading, opened.audited)
    // libarchive learns only that a read of the source failed; the source knows why.
    func failure() -> String { reading.readError ?? ZipPartReader.errorString(archive) }
    var occurrences: [String: Int] = [:]
    var position = -1
    // In a truncated part's salvage, the damage of the last entry read is held back: if
    // another entry follows it is reported, if the part ends there the truncation names it.
    var heldCorruption: Finding?
    let expansionLimit = limits.expansionLimit(forPartOf: part.bytes, partsInRun: partsInRun)
    while true {
      var header: OpaquePointer?
      let status = archive_read_next_header(archive, &header)
      if status == ARCHIVE_EOF { break }
      if status == ARCHIVE_RETRY { continue }
      guard status >= ARCHIVE_FAILED, let header else {
        outcome.fatalError = failure()
        break
      }
      if let held = heldCorruption {
        report(held)
        heldCorruption = nil
      }
      let path = ZipPartReader.pathname(header)
      position += 1
      occurrences[path, default: 0] += 1
      if occurrences[path, default: 0] <= skipping[path, default: 0] {
        // Already read through the central directory.
        archive_read_data_skip(archive)
        continue
      }
      let fileType = archive_entry_filetype(header) & 0o170000
      let isLink = fileType == 0o120000 || archive_entry_hardlink(header) != nil
      let (entry, isCopy) = admit(
        EntryFacts(
          path: path, isLink: isLink, isDirectory: fileType == 0o040000 || path.hasSuffix("/"),
          modified: archive_entry_mtime_is_set(header) != 0
            ? Int64(archive_entry_mtime(header)) : nil,
          declaredSize: archive_entry_size_is_set(header) != 0
            ? Int64(archive_entry_size(header)) : nil),
        occurrence: occurrences[path, default: 0], stats: &stats, seen: &seen)
      if refusesHeader(status, of: entry, in: archive, header: header, outcome: &outcome) {
        continue
      }
      if entry.kind == .directory { continue }
      if visitor?.skips(entry) == true {
        archive_read_data_skip(archive)
        continue
      }
      let sink = isCopy ? nil : visitor?.sink(for: entry)
      // A link's data is its target, which libarchive consumes with the header: none is left
      // to check here.
      let check =
        isLink ? .libarchive : Self.checksumCheck(for: path, at: position, in: audited)
      let result = stream(
        archive, into: sink, stats: &stats, limit: expansionLimit, checking: check)
      if case .deferred = check, result.readWhole, case .complete = result.outcome {
        outcome.unpaired[position] = path
      }
      if let finding = settle(result, of: entry, sink: sink, stats: &stats, outcome: &outcome) {
        if mode == .streaming && probe.endOfCentralDirectory == nil {
          // In a part cut short, the last entry read is the one the cut went through: hold
          // its finding until another entry follows (then it really is corrupt).
          heldCorruption = finding
        } else {
          report(finding)
        }
      }
      if result.fatal || result.bomb { break }
    }
    outcome.truncated = outcome.fatalError != nil && reading.ranDry
    return outcome
  }

  /// libarchive's reader over the part, opened.
  struct LibarchiveReader {
    let archive: OpaquePointer
    /// The source it reads through: why a read failed, whether it ran past the end.
    let reading: HashingPartSource
    /// The audit whose CRC-32s this read checks (libarchive told to skip its own).
    let audited: ZipStructure?
  }

  struct OpenFailure: Error {
    let reason: String
    let ranDry: Bool
  }

  func openLibarchive(mode: Mode, source: HashingPartSource?) -> Result<
    LibarchiveReader, OpenFailure
  > {
    guard let archive = archive_read_new() else {
      return .failure(OpenFailure(reason: "libarchive could not allocate a reader", ranDry: false))
    }
    switch mode {
    case .seekable: archive_read_support_format_zip_seekable(archive)
    case .streaming: archive_read_support_format_zip_streamable(archive)
    }
    // zlib's CRC-32 took 16% of a verify's CPU; ISA-L's does the same check in a tenth of the
    // time. It needs the directory's value for each entry, so only the seekable read of an
    // audited part checks here; the salvage keeps libarchive's check.
    var audited: ZipStructure?
    if mode == .seekable, let structure,
      archive_read_set_format_option(archive, "zip", "ignorecrc32", "1") == ARCHIVE_OK
    {
      audited = structure
    }
    // The salvage only reads; the source still says why a read failed, and whether libarchive
    // asked for bytes past the end (the part is cut short: known from the file, not from
    // libarchive's wording).
    guard
      let reading = source
        ?? HashingPartSource(
          path: part.path, size: part.bytes, entriesEnd: part.bytes, hashing: false)
    else {
      archive_read_free(archive)
      return .failure(OpenFailure(reason: "cannot open the part", ranDry: false))
    }
    reading.attach(to: archive)
    guard archive_read_open1(archive) == ARCHIVE_OK else {
      let failure = OpenFailure(
        reason: reading.readError ?? ZipPartReader.errorString(archive), ranDry: reading.ranDry)
      archive_read_free(archive)
      return .failure(failure)
    }
    return .success(LibarchiveReader(archive: archive, reading: reading, audited: audited))
  }

  /// Reports an entry libarchive cannot read past its headers (damaged, disagreeing, or
  /// encrypted) and ends it for its sink; true when the entry is done with.
  func refusesHeader(
    _ status: Int32, of entry: BundleEntry, in archive: OpaquePointer, header: OpaquePointer,
    outcome: inout RunOutcome
  ) -> Bool {
    if status == ARCHIVE_FAILED
      || (status == ARCHIVE_WARN && !ZipPartReader.isBenignWarning(archive))
    {
      let reason = ZipPartReader.errorString(archive)
      report(
        Finding(
          .entryCorrupt, "the entry's headers are damaged or disagree: \(reason)",
          at: entry.location))
      visitor?.sink(for: entry)?.finish(.damaged(bytes: 0, reason: reason))
      outcome.lastDamagedEntry = entry.path
      if status != ARCHIVE_FAILED { archive_read_data_skip(archive) }
      return true
    }
    guard archive_entry_is_encrypted(header) != 0 else { return false }
    report(
      Finding(
        .entryEncrypted, "the entry is encrypted; its content cannot be checked",
        at: entry.location))
    visitor?.sink(for: entry)?.finish(.damaged(bytes: 0, reason: "encrypted"))
    archive_read_data_skip(archive)
    return true
  }

  /// How the `position`-th entry read (named `path`) has its CRC-32 checked: against the
  /// audited directory's value when the k-th entry read is the k-th by offset (the name
  /// confirms the pairing), later when it is not, by libarchive without an audit.
  static func checksumCheck(
    for path: String, at position: Int, in audited: ZipStructure?
  ) -> ChecksumCheck {
    guard let audited else { return .libarchive }
    if position < audited.readingOrder.count,
      case let paired = audited.entries[audited.readingOrder[position]],
      paired.readerName == path
    {
      return .against(paired.crc32)
    }
    return .deferred
  }

  /// Header warnings that say nothing about the data's integrity.
  static func isBenignWarning(_ archive: OpaquePointer) -> Bool {
    let message = errorString(archive)
    return message.contains("cannot be converted") || message.contains("charset")
  }

  struct StreamResult {
    /// The part went past the inflation allowance in this entry, after `bytes` of it.
    static func bomb(after bytes: Int64) -> StreamResult {
      StreamResult(
        outcome: .damaged(bytes: bytes, reason: "expands beyond any real export"), bomb: true)
    }

    var outcome: EntryOutcome
    var fatal = false
    var bomb = false
    /// False when the sink had what it needed and the rest was skipped (nothing to check).
    var readWhole = true
  }

  func stream(
    _ archive: OpaquePointer, into sink: EntrySink?, stats: inout Stats, limit: Int64,
    checking check: ChecksumCheck
  ) -> StreamResult {
    var warning: String?
    var expected: UInt32?
    if case .against(let value) = check { expected = value }
    var delivery = Delivery(
      sink: sink, computesCRC: expected != nil, limit: limit, chunkLimit: chunkLimit)
    while true {
      var block: UnsafeRawPointer?
      var size = 0
      var offset: la_int64_t = 0
      let status = archive_read_data_block(archive, &block, &size, &offset)
      if status == ARCHIVE_EOF { break }
      if let progress { progress(Int64(archive_filter_bytes(archive, -1))) }
      if size > 0, let block {
        guard delivery.deliver(UnsafeRawBufferPointer(start: block, count: size), stats: &stats)
        else { return .bomb(after: delivery.bytes) }
        if sink?.isSatisfied == true {
          archive_read_data_skip(archive)
          return StreamResult(outcome: .complete(bytes: delivery.bytes), readWhole: false)
        }
      }
      if status == ARCHIVE_WARN {
        warning = ZipPartReader.errorString(archive)
        continue
      }
      if status < ARCHIVE_WARN {
        return StreamResult(
          outcome: .damaged(bytes: delivery.bytes, reason: ZipPartReader.errorString(archive)),
          fatal: status == ARCHIVE_FATAL)
      }
    }
    if let warning {
      return StreamResult(outcome: .damaged(bytes: delivery.bytes, reason: warning))
    }
    if let expected, let mismatch = delivery.crcMismatch(expected: expected) {
      return StreamResult(outcome: .damaged(bytes: delivery.bytes, reason: mismatch))
    }
    return StreamResult(outcome: .complete(bytes: delivery.bytes))
  }

  /// Reads again, with libarchive checking CRC-32 itself, the entries whose CRC-32 the first
  /// read could not check (`positions`: their places in the reading order and names), so that
  /// no entry goes unchecked. Damage found now was not known when the entry's sink finished:
  /// it is reported, and the entry no longer counts as intact.
  func recheck(_ positions: [Int: String], stats: inout Stats) {
    guard let archive = archive_read_new() else { return }
    defer { archive_read_free(archive) }
    archive_read_support_format_zip_seekable(archive)
    guard archive_read_open_filename(archive, part.path, 1 << 20) == ARCHIVE_OK else { return }
    var scratch = Stats()
    let limit = limits.expansionLimit(forPartOf: part.bytes, partsInRun: partsInRun)
    var position = -1
    var remaining = positions.count
    while remaining > 0 {
      var header: OpaquePointer?
      let status = archive_read_next_header(archive, &header)
      if status == ARCHIVE_EOF || status == ARCHIVE_FATAL { break }
      guard status >= ARCHIVE_FAILED, header != nil else { break }
      position += 1
      guard let path = positions[position] else {
        archive_read_data_skip(archive)
        continue
      }
      remaining -= 1
      let result = stream(
        archive, into: nil, stats: &scratch, limit: limit, checking: .libarchive)
      if case .damaged(let bytes, let reason) = result.outcome {
        stats.entriesIntact -= 1
        report(
          Finding(
            .entryCorrupt, "damaged after \(bytes) bytes: \(reason)",
            at: FindingLocation(part: part.name, entry: path)))
      }
      if result.fatal { break }
    }
  }

  static func errorString(_ archive: OpaquePointer) -> String {
    guard let message = archive_error_string(archive) else { return "unknown libarchive error" }
    return String(cString: message)
  }

  static func pathname(_ header: OpaquePointer) -> String {
    if let utf8 = archive_entry_pathname_utf8(header) { return String(cString: utf8) }
    if let raw = archive_entry_pathname(header) { return String(cString: raw) }
    // Neither form converts: keep the name visible rather than empty.
    return "(undecodable name)"
  }
}
