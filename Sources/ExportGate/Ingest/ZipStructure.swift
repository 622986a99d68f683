import Foundation

/// A part's own account of its entries, read from the central directory and each entry's local
/// header before anything is inflated. libarchive reads one of the two views; other extractors
/// read the other (a streaming unzip, Python, Windows), so where they disagree, what a restore
/// gets depends on the tool. This finds those places: header fields that differ, names that
/// differ (an Info-ZIP Unicode Path beside the raw name, a NUL that C-based tools cut at),
/// entries only the local headers hold, and entries sharing compressed bytes (the overlapping
/// zip bomb), which is refused before a single byte is inflated. Declared sizes are not trusted
/// either way (libarchive's own test files carry wrong ones): inflating stops at the limit.
struct ZipStructure {
  /// Indices of ``entries`` in the order libarchive's seekable reader visits them: by local
  /// header offset (its directory tree is sorted on it), so the k-th entry it returns is the
  /// k-th here. The direct read takes the same order. Sorted once, after the audit.
  private(set) var readingOrder: [Int] = []

  /// ``entries`` in ``readingOrder``, without copying them.
  var entriesInReadingOrder: LazyMapSequence<[Int], Entry> {
    readingOrder.lazy.map { entries[$0] }
  }

  /// The largest central directory read whole (real parts have a few MB of it).
  static let maximumDirectoryBytes: Int64 = 256 << 20

  let partName: String
  private(set) var entries: [Entry] = []
  private(set) var findings: [Finding] = []
  /// True when the structure says the part is a bomb: it must not be inflated.
  private(set) var refused = false
  /// Sum of the sizes the directory declares.
  private(set) var declaredUncompressedBytes: Int64 = 0
  /// Where the central directory starts in the file (the entries lie before it).
  private(set) var directoryStart: Int64 = 0
  /// True when the archive starts at the file's first byte, is one disk, and its directory
  /// fills exactly the bytes the end record gives it, up to that record: nothing for readers
  /// to work around.
  private(set) var hasExactLayout = false
  /// Bytes of the directory its records took.
  private var parsedDirectoryBytes = 0

  /// Reads and audits the part; nil when the central directory cannot be located (libarchive's
  /// reader then reports the damage, as before).
  init?(part: PartFile, probe: ZipProbe) {
    guard let end = probe.endOfCentralDirectory, end.centralDirectorySize >= 0,
      end.centralDirectorySize <= Self.maximumDirectoryBytes
    else { return nil }
    partName = part.name
    let descriptor: Int32
    do { descriptor = try InputFile.open(part.path, what: "part") } catch { return nil }
    defer { close(descriptor) }
    let file = Reader(descriptor: descriptor, size: part.bytes)
    // Archives with leading data (self-extractors, junk) keep offsets relative to the ZIP's
    // start: find where the directory really is.
    // Every number here comes from the file, so all arithmetic saturates.
    let candidates = [
      Int64(0), end.offset &- end.centralDirectorySize &- end.centralDirectoryOffset,
      end.offset &- 76 &- end.centralDirectorySize &- end.centralDirectoryOffset,
    ]
    guard
      let base = candidates.first(where: { base in
        base >= 0 && file.u32(at: Self.add(base, end.centralDirectoryOffset)) == 0x0201_4b50
      })
    else { return nil }
    directoryStart = Self.add(base, end.centralDirectoryOffset)
    // Up to the end record, not just the declared size: a size field that is too small does
    // not stop libarchive, so it must not hide entries here.
    let directoryLength = max(
      end.centralDirectorySize, min(end.offset - directoryStart, Self.maximumDirectoryBytes))
    let directory = file.bytes(at: directoryStart, count: Int(directoryLength))
    guard Int64(directory.count) >= end.centralDirectorySize else { return nil }
    parseDirectory(directory, base: base)
    let directoryEnd = Self.add(directoryStart, end.centralDirectorySize)
    hasExactLayout =
      base == 0 && end.isSingleDisk && Int64(parsedDirectoryBytes) == end.centralDirectorySize
      && (directoryEnd == end.offset || directoryEnd == end.offset - 76)
    if Int64(entries.count) != end.entryCount {
      findings.append(
        Finding(
          .entryConflict,
          "the end record counts \(end.entryCount) entries and the central directory lists \(entries.count): tools that trust the count and tools that read the directory may see different archives",
          at: FindingLocation(part: part.name), severity: .warning))
    }
    auditLocalHeaders(file, base: base)
    reportNameDisagreements()
    auditLayout(file, base: base, directoryStart: directoryStart)
    readingOrder = entries.indices.sorted {
      (entries[$0].localHeaderOffset, $0) < (entries[$1].localHeaderOffset, $1)
    }
  }

  // MARK: Central directory

  private mutating func parseDirectory(_ bytes: [UInt8], base: Int64) {
    var offset = 0
    while offset + 46 <= bytes.count, Self.u32(bytes, offset) == 0x0201_4b50 {
      let versionMadeBy = Self.u16(bytes, offset + 4)
      let flags = Self.u16(bytes, offset + 8)
      let method = Self.u16(bytes, offset + 10)
      let dosDateTime = Self.u32(bytes, offset + 12)
      let crc = Self.u32(bytes, offset + 16)
      var compressed = Int64(Self.u32(bytes, offset + 20))
      var uncompressed = Int64(Self.u32(bytes, offset + 24))
      let nameLength = Int(Self.u16(bytes, offset + 28))
      let extraLength = Int(Self.u16(bytes, offset + 30))
      let commentLength = Int(Self.u16(bytes, offset + 32))
      let externalAttributes = Self.u32(bytes, offset + 38)
      var localOffset = Int64(Self.u32(bytes, offset + 42))
      let nameStart = offset + 46
      let extraStart = nameStart + nameLength
      let next = extraStart + extraLength + commentLength
      guard next <= bytes.count else { break }
      let rawName = Array(bytes[nameStart..<extraStart])
      var unicodeName: String?
      let plainExtras = Self.hasOnlyPlainExtras(bytes, from: extraStart, count: extraLength)
      Self.forEachExtra(bytes, from: extraStart, count: extraLength) { id, start, length in
        if id == 0x0001 {
          let cursor = Self.applyZip64(
            bytes, start, length, uncompressed: &uncompressed, compressed: &compressed)
          if localOffset == 0xFFFF_FFFF, cursor + 8 <= start + length {
            localOffset = Self.i64(bytes, cursor)
          }
        } else if id == 0x7075, length >= 5, bytes[start] == 1 {
          // Info-ZIP Unicode Path: valid only for the raw name it was made for.
          if Self.u32(bytes, start + 1) == CRC32.checksum(rawName) {
            unicodeName = String(decoding: bytes[(start + 5)..<(start + length)], as: UTF8.self)
          }
        }
      }
      let utf8 = String(validating: rawName, as: UTF8.self)
      let legacy = (flags & 0x800) == 0 && utf8 == nil ? Self.codePage437(rawName) : nil
      entries.append(
        Entry(
          index: entries.count, rawName: utf8 ?? String(decoding: rawName, as: UTF8.self),
          unicodeName: unicodeName, legacyName: legacy, localName: nil, crc32: crc,
          compressedSize: compressed,
          uncompressedSize: uncompressed, localHeaderOffset: localOffset, method: method,
          flags: flags, versionMadeBy: versionMadeBy, externalAttributes: externalAttributes,
          dosDateTime: dosDateTime, hasPlainHeaders: plainExtras))
      declaredUncompressedBytes = Self.add(declaredUncompressedBytes, max(uncompressed, 0))
      offset = next
    }
    parsedDirectoryBytes = offset
    for entry in entries {
      if entry.rawName.utf8Contains(0x5C) {
        // libarchive rewrites it to `/` in names made on DOS, so only the stored name shows it.
        findings.append(
          Finding(
            .entryUnsafePath,
            "the stored name '\(entry.rawName)' holds a backslash: Windows and libarchive take it as a folder separator, other tools as part of the name",
            at: location(entry)))
      }
      if entry.rawName.utf8Contains(0) {
        findings.append(
          Finding(
            .entryUnsafePath,
            "the stored name holds a NUL byte: C-based extractors cut it to '\(entry.readerName)', others keep '\(entry.rawName.replacingOccurrences(of: "\u{0}", with: "\\0"))'",
            at: location(entry)))
      }
    }
  }

  /// An entry whose name depends on the extractor. For a file of the export (an object CSV, a
  /// binary named by its record Id) the name is the data: an error. Elsewhere, a warning (old
  /// archivers store a code-page name beside a Unicode Path routinely).
  private mutating func reportNameDisagreements() {
    for entry in entries
    where entry.unicodeName != nil || entry.localName != nil || entry.legacyName != nil {
      var variants: [(name: String, used: String)] = [
        (
          entry.legacyName ?? entry.rawName,
          entry.legacyName == nil
            ? "the stored name"
            : "the stored name in code page 437, as Python's zipfile and Windows read it"
        )
      ]
      if let unicode = entry.unicodeName {
        variants.append((unicode, "its Info-ZIP Unicode Path, as unzip and libarchive read it"))
      }
      if let local = entry.localName {
        variants.append((local, "its local header's name, as streaming extractors read it"))
      }
      let distinct = Set(variants.map { ExtractionAliases.key($0.name) })
      guard distinct.count > 1 else { continue }
      findings.append(
        Finding(
          .entryConflict,
          "extractors disagree on this entry's name: \(variants.map { "'\(ExtractionAliases.shown($0.name))' (\($0.used))" }.joined(separator: ", "))",
          at: location(entry), severity: Self.severity(for: [entry])))
    }
  }

  /// Where extractors disagree, the name is the data for a file of the export (an object CSV,
  /// a binary named by its record Id): an error. For entries outside the export's layout, a
  /// warning: they hold none of the backup.
  static func severity(for entries: [Entry]) -> Severity {
    severity(forNames: entries.flatMap(\.names))
  }

  static func severity(forNames names: [String]) -> Severity {
    let isExportFile = names.contains { name in
      switch EntryKind.classify(path: name, isLink: false, isDirectory: false) {
      case .objectCSV, .binary: return true
      default: return false
      }
    }
    return isExportFile ? .error : .warning
  }

  /// Decodes a name as code page 437 (the ZIP default without the UTF-8 flag).
  static func codePage437(_ bytes: [UInt8]) -> String? {
    guard let converter = Iconv(from: "CP437") else { return nil }
    var output: [UInt8] = []
    bytes.withUnsafeBytes { _ = converter.convert($0, appendingTo: &output, final: true) }
    return String(decoding: output, as: UTF8.self)
  }

  // MARK: Local headers

  /// Each entry's local header length (30 + name + extra), as read, for the layout audit.
  private var localHeaderLengths: [Int64?] = []
  /// The bytes read just before each local header, where the previous entry's data descriptor
  /// usually is: up to ``descriptorLead`` bytes per header in one buffer, found by the
  /// header's offset.
  private var bytesBeforeHeaders: [UInt8] = []
  private var bytesBeforeHeader: [Int64: Range<Int>] = [:]
  /// How far before a header those bytes start: a ZIP64 descriptor with its signature is 24
  /// bytes long.
  private static let descriptorLead = 24

  /// The 8 bytes at `offset` if a header read covered them: a descriptor ends where the next
  /// header starts (12, 16, 20 or 24 bytes on, with or without signature, 32 or 64-bit sizes).
  private func bytesReadBefore(_ offset: Int64) -> [UInt8]? {
    for length in stride(from: Int64(12), through: Int64(Self.descriptorLead), by: 4) {
      guard let bytes = bytesBeforeHeader[Self.add(offset, length)] else { continue }
      let start = bytes.upperBound - Int(length)
      guard start >= bytes.lowerBound, start + 8 <= bytes.upperBound else { continue }
      return Array(bytesBeforeHeaders[start..<(start + 8)])
    }
    return nil
  }

  /// Where an entry's local header is read from: a little before it (a streamed entry's data
  /// descriptor sits right before the next entry's header, so the same read serves both),
  /// the header, its name and a typical extra.
  private static func headerWindow(_ entry: Entry, base: Int64) -> (
    offset: Int64, before: Int, count: Int
  ) {
    let offset = add(base, entry.localHeaderOffset)
    let before = Int(min(Int64(descriptorLead), max(offset, 0)))
    return (offset, before, before + ZipLocalHeader.fixedLength + entry.rawName.utf8.count + 64)
  }

  private mutating func auditLocalHeaders(_ file: Reader, base: Int64) {
    localHeaderLengths = Array(repeating: nil, count: entries.count)
    bytesBeforeHeaders.reserveCapacity(entries.count * Self.descriptorLead)
    bytesBeforeHeader.reserveCapacity(entries.count)
    var descriptors: [(entry: Int, offset: Int64)] = []
    announceHeaderReads(file, base: base)
    // One buffer for every header.
    var guess: [UInt8] = []
    for entry in entries {
      let (offset, before, count) = Self.headerWindow(entry, base: base)
      file.read(into: &guess, at: offset - Int64(before), count: count)
      if guess.count >= before {
        bytesBeforeHeader[offset] = bytesBeforeHeaders.count..<(bytesBeforeHeaders.count + before)
        bytesBeforeHeaders.append(contentsOf: guess[0..<before])
      }
      let headerStart = min(before, guess.count)
      guard var header = ZipLocalHeader(guess, at: headerStart) else {
        findings.append(
          Finding(
            .entryCorrupt,
            "the central directory points to byte \(offset), where no local header starts",
            at: location(entry)))
        continue
      }
      localHeaderLengths[entry.index] = header.length
      // The name and extra fields, in place in the buffer when they fit in the guess.
      let tailStart = headerStart + ZipLocalHeader.fixedLength
      let tailLength = header.nameLength + header.extraLength
      let fits = guess.count - tailStart >= tailLength
      let tail = fits ? guess : file.bytes(at: Self.add(offset, 30), count: tailLength)
      let nameStart = fits ? tailStart : 0
      guard fits || tail.count == tailLength else { continue }
      let dataOffset = Self.add(offset, header.length)
      entries[entry.index].dataOffset = dataOffset
      header.readExtras(tail, from: nameStart + header.nameLength)
      if header.extendedTime != nil { entries[entry.index].localExtendedTime = header.extendedTime }
      if header.dosDateTime != entry.dosDateTime
        || !Self.hasOnlyPlainExtras(
          tail, from: nameStart + header.nameLength, count: header.extraLength)
        || header.disagreesWhileStreamed(with: entry)
      {
        entries[entry.index].hasPlainHeaders = false
      }
      compareName(tail[nameStart..<(nameStart + header.nameLength)], of: entry)
      if header.isStreamed {
        descriptors.append((entry.index, Self.add(dataOffset, max(entry.compressedSize, 0))))
      }
      let differences = header.differences(from: entry)
      guard !differences.isEmpty else { continue }
      findings.append(
        Finding(
          .entryCorrupt,
          "the central directory and the local header disagree on \(differences.joined(separator: ", ")): extractors that read one or the other get different files",
          at: location(entry), severity: Self.severity(for: [entry])))
    }
    auditDataDescriptors(file, descriptors)
  }

  /// On a cold disk each header is a random read: all of them are announced at once, so the
  /// device serves them in parallel instead of one blocking read per entry (20,000 entries:
  /// seconds). Where the page cache holds them, announcing costs more than reading: headers
  /// are taken in groups, and a group is announced unless its first header can be read
  /// without waiting (what is evicted is evicted in runs; a cached page the kernel marked for
  /// read-ahead also says no, which only costs a group's announcements).
  private func announceHeaderReads(_ file: Reader, base: Int64) {
    let group = 16
    for first in stride(from: 0, to: entries.count, by: group) {
      let (offset, before, count) = Self.headerWindow(entries[first], base: base)
      guard !file.isCached(at: offset - Int64(before), count: count) else { continue }
      for entry in entries[first..<min(first + group, entries.count)] {
        let (offset, before, count) = Self.headerWindow(entry, base: base)
        _ = posix_fadvise(
          file.descriptor, off_t(offset - Int64(before)), off_t(count), POSIX_FADV_WILLNEED)
      }
    }
  }

  /// Notes the local header's name where it is not one the directory already gives.
  private mutating func compareName(_ localBytes: ArraySlice<UInt8>, of entry: Entry) {
    // Nearly every local name is the directory's, byte for byte.
    let sameName =
      localBytes.withUnsafeBufferPointer { local in
        entry.rawName.utf8.withContiguousStorageIfAvailable { local.elementsEqual($0) }
      } ?? localBytes.elementsEqual(entry.rawName.utf8)
    guard !sameName else { return }
    let localName =
      String(validating: localBytes, as: UTF8.self) ?? Self.codePage437(Array(localBytes))
      ?? String(decoding: localBytes, as: UTF8.self)
    if localName != entry.rawName && localName != entry.legacyName {
      entries[entry.index].localName = localName
    }
  }

  /// A streamed entry's CRC-32 follows its data (a data descriptor, with or without its
  /// signature). Streaming extractors check the data against it, the others against the
  /// directory's: where the two differ, one kind of tool reports damage and the other not.
  private mutating func auditDataDescriptors(
    _ file: Reader, _ descriptors: [(entry: Int, offset: Int64)]
  ) {
    defer {
      bytesBeforeHeader = [:]
      bytesBeforeHeaders = []
    }
    var unread: [(entry: Int, offset: Int64)] = []
    var found: [Int: [UInt8]] = [:]
    for descriptor in descriptors {
      if let bytes = bytesReadBefore(descriptor.offset) {
        found[descriptor.entry] = bytes
      } else {
        unread.append(descriptor)
        _ = posix_fadvise(file.descriptor, off_t(descriptor.offset), 8, POSIX_FADV_WILLNEED)
      }
    }
    for descriptor in unread {
      found[descriptor.entry] = file.bytes(at: descriptor.offset, count: 8)
    }
    for descriptor in descriptors {
      let bytes = found[descriptor.entry] ?? []
      // A missing descriptor (a cut file) is the reader's finding, not a disagreement.
      guard bytes.count == 8 else { continue }
      let entry = entries[descriptor.entry]
      let first = Self.u32(bytes, 0)
      let stated = first == 0x0807_4b50 ? Self.u32(bytes, 4) : first
      guard first != entry.crc32, stated != entry.crc32 else { continue }
      findings.append(
        Finding(
          .entryCorrupt,
          "the central directory and the data descriptor disagree on the CRC-32 (\(Self.hex(entry.crc32)) in the directory, \(Self.hex(stated)) after the data): extractors that read one or the other judge the data differently",
          at: location(entry), severity: Self.severity(for: [entry])))
    }
  }

  static func hex(_ value: UInt32) -> String {
    "0x" + String(value, radix: 16).leftPadded(8, with: "0")
  }

  // MARK: Layout

  /// Entries must lie one after another: two sharing bytes is the overlapping zip bomb (one
  /// compressed stream inflated once per entry), and bytes between them that hold a local
  /// header are an entry the directory does not list.
  private mutating func auditLayout(_ file: Reader, base: Int64, directoryStart: Int64) {
    var spans: [(start: Int64, end: Int64, entry: Int)] = []
    for entry in entries {
      let start = Self.add(base, entry.localHeaderOffset)
      guard entry.index < localHeaderLengths.count, let header = localHeaderLengths[entry.index]
      else { continue }
      spans.append(
        (start, Self.add(Self.add(start, header), max(entry.compressedSize, 0)), entry.index))
    }
    spans.sort { ($0.start, $0.end) < ($1.start, $1.end) }
    // Entries starting inside another's bytes are never written by an archiver: that is the
    // overlapping bomb. Entries sharing one local header (a directory listing it twice) inflate
    // the same bytes again: harmless for a few, a bomb for many.
    var overlapping = Set<Int>()
    var sharingByStart: [Int64: Int] = [:]
    var furthestEnd: Int64 = .min
    for span in spans {
      sharingByStart[span.start, default: 0] += 1
      if span.start < furthestEnd, sharingByStart[span.start, default: 0] == 1 {
        overlapping.insert(span.entry)
      }
      furthestEnd = max(furthestEnd, span.end)
    }
    let shared = sharingByStart.values.filter { $0 > 1 }.reduce(0, +)
    if !overlapping.isEmpty || shared >= 16 {
      refused = true
      findings.append(
        Finding(
          .partZipBomb,
          "\(max(overlapping.count, shared)) entries share compressed bytes (the structure of an overlapping zip bomb, which inflates the same data once per entry): refused before inflating",
          at: FindingLocation(part: partName)))
      return
    }
    // Between the entries (and before the directory), only data descriptors belong.
    // A local header takes at least 30 bytes: shorter gaps (data descriptors) hold none.
    var cursor = base
    for span in spans {
      if span.start - cursor >= 30 { scanGap(file, from: cursor, to: span.start) }
      cursor = max(cursor, span.end)
    }
    if directoryStart - cursor >= 30 { scanGap(file, from: cursor, to: directoryStart) }
  }

  private mutating func scanGap(_ file: Reader, from start: Int64, to end: Int64) {
    var position = start
    let chunk = 1 << 20
    while position < end {
      let count = Int(min(Int64(chunk + 3), end - position))
      let bytes = file.bytes(at: position, count: count)
      guard bytes.count >= 4 else { return }
      var index = 0
      while index + 4 <= bytes.count {
        if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 3,
          bytes[index + 3] == 4
        {
          let at = position + Int64(index)
          let header = file.bytes(at: at, count: 30)
          let nameLength = header.count == 30 ? Int(Self.u16(header, 26)) : 0
          let name = String(
            decoding: file.bytes(at: Self.add(at, 30), count: min(nameLength, 1024)), as: UTF8.self)
          // A listed entry's copy with the same name and bytes gives every extractor the same
          // file; anything else gives streaming extractors a file the others do not have.
          let crc = header.count == 30 ? Self.u32(header, 14) : 0
          let size = header.count == 30 ? Int64(Self.u32(header, 22)) : -1
          let listed = entries.contains {
            ExtractionAliases.key($0.readerName) == ExtractionAliases.key(name) && $0.crc32 == crc
              && $0.uncompressedSize == size
          }
          findings.append(
            Finding(
              .entryConflict,
              "a local header at byte \(at) holds an entry the central directory does not list ('\(name)')"
                + (listed
                  ? ", a copy of a listed entry with the same bytes"
                  : ": extractors that read local headers get a file the others do not"),
              at: FindingLocation(part: partName, entry: name.isEmpty ? nil : name, byteOffset: at),
              severity: listed ? .warning : Self.severity(forNames: [name])))
          return
        }
        index += 1
      }
      position += Int64(max(bytes.count - 3, 1))
    }
  }

  private func location(_ entry: Entry) -> FindingLocation {
    FindingLocation(part: partName, entry: entry.readerName)
  }
}
