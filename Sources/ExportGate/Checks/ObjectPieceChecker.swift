/// Parses one object CSV entry (a piece, when the object is split across parts) and checks it
/// as it streams: record count, header agreement, Ids (valid, one prefix, unique), the files its
/// rows say exist, and its lookups.
final class ObjectPieceChecker: CSVEntrySink {
  /// The checker, held strongly for this piece checker's life (the checker does not hold its
  /// piece checkers, so there is no cycle), which is what makes the unmanaged reference below
  /// safe without a rule kept elsewhere.
  private let owner: ExportChecker
  /// The same checker, unmanaged, for the call every row makes: it pays no reference counting
  /// (through an `unowned(unsafe)` reference it would still retain and release around each).
  private let checkerReference: Unmanaged<ExportChecker>
  private var checker: ExportChecker { checkerReference.takeUnretainedValue() }
  /// `state.ids`, held by `state`, for the insert every row makes (without a retain).
  private let ids: Unmanaged<RecordIdSet>
  private let entry: BundleEntry
  private let state: ObjectState
  private var reportedMalformations = 0

  private var idColumn: Int?
  // Read and written for every row; `@exclusivity(unchecked)` drops the runtime access check
  // (see docs/architecture.md, "Exclusivity").
  @exclusivity(unchecked) private var lookupColumns: [LookupColumn] = []
  private var sourceKey: UInt32 = 0
  /// Set when this object's rows describe a binary folder.
  private var manifest: FolderManifest?
  private var sizeColumn: Int?
  private var checksumColumn: Int?
  private var ruleColumn: Int?
  private var ruleValue: [UInt8] = []
  /// Whether this piece's header may add to the object (the first piece, or one that agrees).
  private var headerAccepted = true
  /// Signs that a program other than the export re-saved this CSV.
  @exclusivity(unchecked) private var resave = ResaveEvidence()

  init(checker: ExportChecker, entry: BundleEntry, state: ObjectState) {
    self.owner = checker
    self.checkerReference = Unmanaged.passUnretained(checker)
    self.entry = entry
    self.state = state
    self.ids = Unmanaged.passUnretained(state.ids)
    super.init(encoding: checker.options.encoding)
    state.pieces.append(entry.source)
  }

  private func location(line: Int? = nil, record: Int? = nil, recordId: String? = nil)
    -> FindingLocation
  {
    FindingLocation(
      part: entry.source, entry: entry.path, object: state.name, line: line, record: record,
      recordId: recordId)
  }

  // MARK: CSVEntrySink

  override func entryEnded(_ outcome: EntryOutcome) {
    if !outcome.isComplete { state.incomplete = true }
    state.pieceRecords.append((entry.source, entry.path, max(reader.recordCount - 1, 0)))
    let unreported = reader.malformationCount - reportedMalformations
    if unreported > 0 { checker.findings.count(.csvMalformed, severity: .error, times: unreported) }
    checker.noteEncoding(
      object: state.name, location: location(), validator: reader.validator,
      isWide: reader.isWide)
    if reader.nulByteCount > 0 {
      let count = reader.nulByteCount
      checker.findings.add(
        Finding(
          .csvNulInValue,
          "\(count) NUL character\(count == 1 ? "" : "s") inside values (real exports write rich-text values that begin with NUL); kept as data",
          at: location()))
    }
    if reader.unquotedFieldCount > 0 { reportResave() }
    if reader.recordCount == 0 {
      checker.findings.add(
        Finding(.csvMalformed, "the CSV is empty (no header row)", at: location()))
    }
  }

  /// The CSV departs from how the export writes: an error when a value demonstrably changed,
  /// else a warning (the values may be intact, but the file is no longer the export's).
  private func reportResave() {
    var evidence = [
      "\(reader.unquotedFieldCount) field(s) unquoted (first on line \(reader.firstUnquotedLine ?? 1); the export quotes every field)"
    ]
    if reader.crlfCount > 0 {
      evidence.append("\(reader.crlfCount) line(s) end with CR LF (the export writes LF)")
    }
    var line = reader.firstUnquotedLine
    var field: String?
    for changed in [resave.changedDate, resave.scientific].compactMap({ $0 }) {
      evidence.append(
        "\(changed.field) on line \(changed.line) is '\(changed.value)': \(changed.why)")
      if field == nil { (line, field) = (changed.line, changed.field) }
    }
    var place = location(line: line)
    place.field = field
    checker.findings.add(
      Finding(
        .csvNotAsExported,
        "\(entry.path) is not as the Data Export wrote it: \(evidence.joined(separator: "; ")). It was re-saved by a spreadsheet or another program",
        at: place,
        severity: resave.changedDate != nil || resave.scientific != nil ? .error : .warning))
  }

  override func record(_ record: CSVRecord) {
    if record.number == 1 {
      readHeader(record)
      return
    }
    state.records += 1
    if record.hasUnquotedField && !resave.isComplete { resave.inspect(record) }
    guard headerAccepted else { return }
    let dataRecord = record.number - 1
    var recordId: RecordId?
    if let idColumn, idColumn < record.count {
      recordId = checkId(record[idColumn], line: record.line, record: dataRecord)
    }
    if let manifest, let recordId { noteFile(record, id: recordId, manifest: manifest) }
    if !lookupColumns.isEmpty {
      let source = sourceKey
      checkerReference._withUnsafeGuaranteedRef {
        $0.resolveLookups(of: record, in: &lookupColumns, source: source)
      }
    }
  }

  override func malformed(_ malformation: CSVMalformation) {
    reportedMalformations += 1
    checker.findings.add(
      Finding(
        .csvMalformed, malformation.message,
        at: FindingLocation(
          part: entry.source, entry: entry.path, object: state.name, line: malformation.line,
          record: malformation.record - 1, byteOffset: malformation.byteOffset)))
  }

  // MARK: Header

  private func readHeader(_ record: CSVRecord) {
    let names = record.strings
    resave.readHeader(names)
    if let existing = state.header {
      if existing != names {
        headerAccepted = false
        let detail = ObjectState.headerMismatch(
          names, against: existing, in: state.pieces.first ?? "the first piece")
        checker.findings.add(Finding(.objectHeaderMismatch, detail, at: location(line: 1)))
        return
      }
    } else {
      state.header = names
    }
    idColumn = names.firstIndex(of: "Id")
    if idColumn == nil && !state.missingIdColumn {
      state.missingIdColumn = true
      checker.findings.add(
        Finding(
          .idMissingColumn, "no Id column: Ids and references cannot be checked",
          at: location(line: 1)))
    }
    sourceKey = checker.references.source(part: entry.source, entry: entry.path)
    for (index, name) in names.enumerated() where index != idColumn {
      if (name.hasSuffix("Id") && name.count > 2) || name.hasSuffix("__c") {
        lookupColumns.append(
          LookupColumn(
            index: index, key: checker.references.column(object: state.name, column: name)))
      }
    }
    if let folder = BinaryFolder.all.first(where: { $0.metadataObject == state.name }) {
      let manifest = checker.manifest(for: folder)
      manifest.metadataSeen = true
      self.manifest = manifest
      sizeColumn = names.firstIndex(of: folder.sizeColumn)
      checksumColumn = folder.checksumColumn.flatMap { names.firstIndex(of: $0) }
      if case .columnEquals(let column, let value) = folder.rule {
        ruleColumn = names.firstIndex(of: column)
        ruleValue = Array(value.utf8)
      }
    }
  }

  // MARK: Rows

  private func checkId(_ field: UnsafeRawBufferPointer, line: Int, record: Int) -> RecordId? {
    switch RecordId.parse(field) {
    case .success(let id):
      let prefix = id.keyPrefix
      if let expected = state.prefix {
        if prefix != expected {
          if state.otherPrefixes[prefix] == nil {
            checker.learnPrefix(prefix, object: state.name)
          }
          state.otherPrefixes[prefix, default: 0] += 1
        }
      } else {
        state.prefix = prefix
        checker.learnPrefix(prefix, object: state.name)
      }
      if !ids._withUnsafeGuaranteedRef({ $0.insert(id) }) {
        checker.findings.add(
          Finding(
            .idDuplicate, "the Id appears more than once in \(state.name)",
            at: location(line: line, record: record, recordId: id.description)))
      }
      return id
    case .failure(let problem):
      let text = String(decoding: field, as: UTF8.self)
      let reason: String
      switch problem {
      case .wrongLength(let length):
        reason = length == 0 ? "empty" : "\(length) characters instead of 15 or 18"
      case .invalidCharacter(let offset): reason = "invalid character at position \(offset + 1)"
      case .badChecksum(let expected): reason = "checksum suffix should be \(expected)"
      }
      checker.findings.add(
        Finding(
          .idInvalid, "'\(text.prefix(40))' is not a valid record Id (\(reason))",
          at: location(line: line, record: record, recordId: String(text.prefix(40)))))
      return nil
    }
  }

  private func noteFile(_ record: CSVRecord, id: RecordId, manifest: FolderManifest) {
    let size = sizeColumn.flatMap { $0 < record.count ? Int64(decimal: record[$0]) : nil }
    let ownsFile: Bool
    switch manifest.folder.rule {
    case .positiveSize: ownsFile = sizeColumn == nil || (size ?? 0) > 0
    case .everyRow: ownsFile = true
    case .columnEquals:
      if let ruleColumn, ruleColumn < record.count {
        ownsFile = ruleValue.elementsEqual(record[ruleColumn])
      } else {
        ownsFile = true
      }
    }
    guard ownsFile else { return }
    let md5 = checksumColumn.flatMap { index -> FolderManifest.Digest? in
      index < record.count ? FolderManifest.Digest(hex: record[index]) : nil
    }
    manifest.expected[id] = FolderManifest.Expected(
      size: size ?? -1, md5: md5, md5FromOrg: false, line: UInt32(clamping: record.line),
      record: UInt32(clamping: record.number - 1), source: manifest.source(entry.source))
  }
}

extension Int64 {
  /// Parses an unsigned decimal (a size column); nil for anything else.
  init?(decimal bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value: Int64 = 0
    for byte in bytes {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      value = value * 10 + Int64(byte - 0x30)
    }
    self = value
  }
}
