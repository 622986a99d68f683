import CArchive

#if canImport(Glibc)
  import Glibc
#endif

/// Streams every entry of one ZIP part into a ``BundleVisitor``'s sinks, never writing anything
/// to disk. A *plain* part (Stored and Deflate entries, an audited directory) is decoded here
/// (``runDirect``: ISA-L's inflate behind the zlib-strict block walker); any other intact part
/// through libarchive's seekable reader (which cross-checks the directory against the local
/// headers); a part with no end record (a truncated download) is salvaged with libarchive's
/// streaming reader, so that the report can say how far it got.
struct ZipPartReader {
  /// What reading a part established.
  struct Stats: Sendable {
    var entriesRead = 0
    var entriesIntact = 0
    var uncompressedBytes: Int64 = 0
    var newestModified: Int64?
    var oldestModified: Int64?
    /// The part's SHA-256, when asked for (``hashes``) and every byte could be read.
    var sha256: String?
    /// Whether ExportGate decoded the entries itself (``runDirect``), not libarchive.
    var decodedDirectly = false
  }

  let part: PartFile
  let probe: ZipProbe
  /// The part's own directory audit, when its directory could be read.
  let structure: ZipStructure?
  /// Entries (reader names, 1-based occurrences) that are copies of entries read elsewhere:
  /// inflated for integrity, but not handed to the visitor again.
  let copies: [String: Set<Int>]
  /// Parts in the run, which share the inflation allowance.
  let partsInRun: Int
  let visitor: BundleVisitor?
  let limits: ScanLimits
  /// Whether to compute the part's SHA-256 (from the same reads as the entries when possible).
  var hashes = false
  /// Whether a part that allows it is decoded here instead of by libarchive (``runDirect``).
  var allowsDirectRead = true
  /// Called with the part's bytes consumed so far.
  let progress: ((Int64) -> Void)?
  let report: (Finding) -> Void
  /// Bytes handed to sinks at most per call (libarchive's own blocks are smaller still).
  let chunkLimit = 1 << 20

  enum Mode { case seekable, streaming }

  private var partLocation: FindingLocation { FindingLocation(part: part.name) }

  /// A locale whose character handling is UTF-8, for the reading thread. libarchive converts
  /// entry names through the C library's locale; under the default "C" locale every non-ASCII
  /// name would be lost. `uselocale` switches only the calling thread, so a program using
  /// ExportGate as a library keeps its own process-wide locale (`setlocale` is never called).
  /// The locale object is never modified after creation, so threads may share it.
  nonisolated(unsafe) private static let utf8Characters: locale_t? = newlocale(
    LC_CTYPE_MASK, "C.UTF-8", nil)

  func read() -> Stats {
    let previousLocale = ZipPartReader.utf8Characters.map { uselocale($0) }
    defer { if let previousLocale { uselocale(previousLocale) } }
    return readInUTF8Locale()
  }

  private func readInUTF8Locale() -> Stats {
    // The directory read feeds the hash as it goes; other paths hash the part on their own.
    let readable =
      probe.unreadableReason == nil && structure?.refused != true
      && probe.endOfCentralDirectory != nil
    // A part read directly needs the source's blocks even when its digest is known.
    let direct =
      allowsDirectRead && readable && structure?.isPlain == true
    let source =
      (hashes || direct) && readable
      ? HashingPartSource(
        path: part.path, size: part.bytes, entriesEnd: structure?.directoryStart ?? part.bytes,
        hashing: hashes)
      : nil
    var stats = readEntries(source: source, direct: direct)
    if hashes {
      stats.sha256 = source?.finish() ?? (try? PartHasher.sha256Hex(ofFileAt: part.path))
    }
    return stats
  }

  private func readEntries(source: HashingPartSource?, direct: Bool) -> Stats {
    if let reason = probe.unreadableReason {
      report(Finding(.partUnreadable, reason, at: partLocation))
      return Stats()
    }
    // The structure already refused the part (overlapping entries, declared bomb): nothing is
    // inflated.
    if structure?.refused == true { return Stats() }
    var stats = Stats()
    var seen: [String: Int] = [:]
    var directoryProblem: String?
    if let end = probe.endOfCentralDirectory {
      let outcome =
        if direct, let structure, let source {
          runDirect(structure, source: source, stats: &stats, seen: &seen)
        } else {
          run(mode: .seekable, source: source, stats: &stats, skipping: [:], seen: &seen)
        }
      stats.decodedDirectly = direct && source != nil
      if !outcome.unpaired.isEmpty { recheck(outcome.unpaired, stats: &stats) }
      if outcome.bombStopped { return stats }
      if let fatal = outcome.fatalError {
        directoryProblem = "\(fatal) (after \(stats.entriesRead) entries)"
      } else if Int64(stats.entriesRead) < end.entryCount {
        directoryProblem =
          "the central directory lists \(end.entryCount) entries but only \(stats.entriesRead) could be read through it"
      } else {
        return stats
      }
    }
    // Salvage through the local headers whatever the central directory did not give.
    let before = stats.entriesRead
    let salvage = run(
      mode: .streaming, source: nil, stats: &stats, skipping: seen, seen: &seen)
    if probe.endOfCentralDirectory == nil || salvage.truncated {
      var message =
        "the file ends after \(part.bytes) bytes"
      message +=
        probe.endOfCentralDirectory == nil
        ? " without the ZIP's end record (the download stopped early); "
        : ", inside its entries (the download stopped early); "
      message +=
        "\(stats.entriesIntact) entr\(stats.entriesIntact == 1 ? "y" : "ies") read intact before the end"
      if let last = salvage.lastDamagedEntry { message += ", '\(last)' cut off" }
      report(Finding(.partTruncated, message, at: partLocation))
    } else if let problem = directoryProblem, let end = probe.endOfCentralDirectory {
      let recovered = stats.entriesRead - before
      let complete =
        salvage.fatalError == nil && salvage.lastDamagedEntry == nil
        && Int64(stats.entriesRead) >= end.entryCount
      var message = "the archive's central directory is unusable: \(problem); "
      message +=
        "\(recovered) more entr\(recovered == 1 ? "y" : "ies") read through their local headers"
      message += complete ? ", all intact" : ""
      if let fatal = salvage.fatalError { message += "; then: \(fatal)" }
      report(
        Finding(.partCorrupt, message, at: partLocation, severity: complete ? .warning : .error))
    }
    return stats
  }

  struct RunOutcome {
    var fatalError: String?
    var lastDamagedEntry: String?
    var bombStopped = false
    var truncated = false
    /// Positions (in reading order) of entries read whole whose CRC-32 neither libarchive nor
    /// this reader checked: no directory entry could be paired with them.
    var unpaired: [Int: String] = [:]
  }

  /// What an entry's headers say, whoever read them (libarchive, or the directory audit).
  struct EntryFacts {
    var path: String
    var isLink: Bool
    var isDirectory: Bool
    var modified: Int64?
    var declaredSize: Int64?
  }

  /// Counts an entry about to be read (its `occurrence`-th under this name in the part) and
  /// describes it for the visitor; also says whether it is a copy read elsewhere.
  func admit(
    _ facts: EntryFacts, occurrence: Int, stats: inout Stats, seen: inout [String: Int]
  ) -> (entry: BundleEntry, isCopy: Bool) {
    let path = facts.path
    seen[path, default: 0] += 1
    stats.entriesRead += 1
    let kind = EntryKind.classify(
      path: path, isLink: facts.isLink, isDirectory: facts.isDirectory)
    if let modified = facts.modified {
      stats.newestModified = max(stats.newestModified ?? modified, modified)
      stats.oldestModified = min(stats.oldestModified ?? modified, modified)
    }
    let entry = BundleEntry(
      source: part.name, path: path, kind: kind, declaredSize: facts.declaredSize,
      modified: facts.modified)
    // With a readable directory, the bundle-wide audit names every copy and place.
    if seen[path, default: 0] == 2 && structure == nil {
      report(
        Finding(
          .entryDuplicate, "the name appears more than once in this part", at: entry.location))
    }
    IngestFindings.classification(of: entry).map(report)
    return (entry, copies[path]?.contains(occurrence) == true)
  }

  /// Ends an entry's read, whoever decoded it: tells its sink, counts it, reports a bomb; returns
  /// the finding for damage, which the caller reports (or holds back).
  func settle(
    _ result: StreamResult, of entry: BundleEntry, sink: EntrySink?, stats: inout Stats,
    outcome: inout RunOutcome
  ) -> Finding? {
    sink?.finish(result.outcome)
    guard case .damaged(let bytes, let reason) = result.outcome else {
      stats.entriesIntact += 1
      return nil
    }
    outcome.lastDamagedEntry = entry.path
    if result.fatal { outcome.fatalError = reason }
    guard !result.bomb else {
      report(
        Finding(
          .partZipBomb,
          "the part inflates past \(stats.uncompressedBytes) bytes from \(part.bytes) (over \(limits.maximumExpansionRatio) times its size, more than any real export): reading stopped here",
          at: entry.location))
      outcome.bombStopped = true
      return nil
    }
    return Finding(.entryCorrupt, "damaged after \(bytes) bytes: \(reason)", at: entry.location)
  }

  /// Hands one entry's bytes to its sink as they come out, in chunks of at most `chunkLimit`,
  /// keeping their count and (when asked) their CRC-32, and stops at the inflation allowance.
  struct Delivery {
    let sink: EntrySink?
    let computesCRC: Bool
    let limit: Int64
    let chunkLimit: Int
    private(set) var bytes: Int64 = 0
    private(set) var crc: UInt32 = 0

    init(sink: EntrySink?, computesCRC: Bool, limit: Int64, chunkLimit: Int) {
      self.sink = sink
      self.computesCRC = computesCRC
      self.limit = limit
      self.chunkLimit = chunkLimit
    }

    /// False once the part as a whole has inflated past the allowance.
    mutating func deliver(_ block: UnsafeRawBufferPointer, stats: inout Stats) -> Bool {
      guard let base = block.baseAddress, !block.isEmpty else { return true }
      if computesCRC { crc = CRC32.update(crc, block) }
      var start = 0
      while start < block.count {
        let count = min(chunkLimit, block.count - start)
        sink?.consume(UnsafeRawBufferPointer(start: base + start, count: count))
        start += count
      }
      bytes += Int64(block.count)
      stats.uncompressedBytes += Int64(block.count)
      return stats.uncompressedBytes <= limit
    }

    /// The damage a CRC-32 other than `expected` means, in libarchive's own words, so that
    /// reports read the same whichever checked.
    func crcMismatch(expected: UInt32) -> String? {
      crc == expected
        ? nil : "ZIP bad CRC: \(ZipStructure.hex(crc)) should be \(ZipStructure.hex(expected))"
    }
  }

}

extension EntryOutcome {
  var reason: String? {
    if case .damaged(_, let reason) = self { return reason }
    return nil
  }
}
