/// A lookup column of one CSV piece, with the last target object its values pointed to, so
/// that most lookups skip the prefix tables.
struct LookupColumn {
  /// The field's index in each record.
  let index: Int
  /// The column, as pending references carry it (see ``ReferenceTracker``).
  let key: UInt32
  var lastPrefix: KeyPrefix?
  /// The Ids of the object `lastPrefix` belongs to. Unmanaged: the checker owns every object's
  /// state (and so its Ids) for longer than any piece, and the lookup path then pays no
  /// reference counting (an `unowned(unsafe)` reference is still retained around each call).
  var lastTargets: Unmanaged<RecordIdSet>?
}

/// The ``BundleVisitor`` behind `verify`: hands each object CSV to an ``ObjectPieceChecker``
/// and each binary to a ``BinaryFileChecker``, and holds what they accumulate.
final class ExportChecker: BundleVisitor {
  let options: VerificationOptions
  var findings: FindingCollector
  // Read and written for every row; `@exclusivity(unchecked)` drops the runtime access check
  // (see docs/architecture.md, "Exclusivity").
  @exclusivity(unchecked) var references = ReferenceTracker()
  private(set) var objects: [String: ObjectState] = [:]
  /// Object names in the order their first piece was met.
  private(set) var objectOrder: [String] = []
  private(set) var manifests: [String: FolderManifest] = [:]
  /// Which object each key prefix belongs to, learnt from the bundle's own Id columns.
  private(set) var objectByPrefix: [KeyPrefix: String] = [:]
  /// Every object holding rows of a prefix, in the order met: union objects (EventRelation
  /// and TaskRelation both hold 0RE and 0RT rows) make one prefix live in several CSVs.
  private(set) var objectsByPrefix: [KeyPrefix: [String]] = [:]
  /// Per object CSV: valid UTF-8 with non-ASCII text, or invalid (offset), for the encoding
  /// verdict once everything is read.
  private(set) var encodingByPiece:
    [(location: FindingLocation, invalidAt: Int64?, nonASCII: Bool)] = []

  init(options: VerificationOptions) {
    self.options = options
    self.findings = FindingCollector(
      limit: options.maxFindingsPerCode, overrides: options.severityOverrides)
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    switch entry.kind {
    case .objectCSV(let written):
      let name = objectName(written, entry: entry)
      let state = objects[name] ?? ObjectState(name: name)
      if objects[name] == nil { objectOrder.append(name) }
      objects[name] = state
      return ObjectPieceChecker(checker: self, entry: entry, state: state)
    case .binary(let folder, let name):
      return BinaryFileChecker(
        manifest: manifest(for: folder), entry: entry, name: name,
        computeMD5: folder.checksumColumn != nil
          || (folder == .contentVersions
            && (options.expectedChecksums != nil || options.inventory?.contentFiles != nil))
      )
    default:
      return nil
    }
  }

  /// The object a CSV's name stands for: a standard object's name in another case
  /// (`account.csv`) was changed by hand after the export, which is said, and read as the
  /// object it names.
  private func objectName(_ written: String, entry: BundleEntry) -> String {
    guard !StandardObjects.knownNames.contains(written),
      let canonical = StandardObjects.knownNameByLowercase[written.lowercased()]
    else { return written }
    findings.add(
      Finding(
        .objectNameChanged,
        "\(entry.path) is named \(canonical).csv in every export: the file was renamed by hand; read as \(canonical)",
        at: FindingLocation(part: entry.source, entry: entry.path, object: canonical)))
    return canonical
  }

  func manifest(for folder: BinaryFolder) -> FolderManifest {
    if let existing = manifests[folder.name] { return existing }
    let created = FolderManifest(folder: folder)
    manifests[folder.name] = created
    return created
  }

  func learnPrefix(_ prefix: KeyPrefix, object: String) {
    if objectByPrefix[prefix] == nil { objectByPrefix[prefix] = object }
    if objectsByPrefix[prefix]?.contains(object) != true {
      objectsByPrefix[prefix, default: []].append(object)
    }
  }

  /// Whether any object holding rows of the Id's prefix holds the Id.
  func holds(_ id: RecordId) -> Bool {
    for name in objectsByPrefix[id.keyPrefix] ?? [] where objects[name]?.ids.contains(id) == true {
      return true
    }
    return false
  }

  /// Checks a record's lookup values: each one now if its target object has been read, else
  /// it is kept for later. One call per record, so that the checker is reached once, not once
  /// per column.
  func resolveLookups(of record: CSVRecord, in columns: inout [LookupColumn], source: UInt32) {
    var checked = 0
    for position in columns.indices {
      let index = columns[position].index
      guard index < record.count else { continue }
      let field = record[index]
      // Only values shaped like Ids are lookups; "" and the empty key mean "no reference".
      guard field.count == 18 || field.count == 15, let target = RecordId(validating: field)
      else { continue }
      let prefix = target.keyPrefix
      if prefix == .emptyKey { continue }
      checked += 1
      if columns[position].lastPrefix != prefix {
        columns[position].lastPrefix = prefix
        columns[position].lastTargets = objectByPrefix[prefix].flatMap { objects[$0]?.ids }.map(
          Unmanaged.passUnretained)
      }
      if let targets = columns[position].lastTargets,
        targets._withUnsafeGuaranteedRef({ $0.contains(target) })
      {
        continue
      }
      references.deferReference(
        target, column: columns[position].key, line: record.line, source: source)
    }
    references.countChecked(checked)
  }

  func noteEncoding(
    object: String, location: FindingLocation, validator: UTF8Validator, isWide: Bool
  ) {
    guard !isWide else { return }
    encodingByPiece.append((location, validator.firstInvalidOffset, validator.sawNonASCII))
  }
}

extension ExportChecker {
  /// Takes in what another checker found in the next source (part or folder), as if that
  /// source had been read right after this one's. Verification reads sources on several
  /// workers, one checker each, and merges them in bundle order, so the result is the same
  /// for any number of workers.
  func absorb(_ next: ExportChecker) {
    findings.absorb(next.findings)
    for (prefix, object) in next.objectByPrefix.sorted(by: { $0.key < $1.key }) {
      learnPrefix(prefix, object: object)
    }
    for (prefix, objects) in next.objectsByPrefix.sorted(by: { $0.key < $1.key }) {
      for object in objects { learnPrefix(prefix, object: object) }
    }
    for name in next.objectOrder {
      guard let incoming = next.objects[name] else { continue }
      guard let existing = objects[name] else {
        objects[name] = incoming
        objectOrder.append(name)
        continue
      }
      merge(incoming, into: existing)
    }
    for incoming in next.manifests.values.sorted(by: { $0.folder.name < $1.folder.name }) {
      manifest(for: incoming.folder).absorb(incoming)
    }
    references.absorb(next.references)
    encodingByPiece += next.encodingByPiece
  }

  private func merge(_ incoming: ObjectState, into existing: ObjectState) {
    let piece = incoming.pieces.first ?? "a later part"
    let location = FindingLocation(
      part: piece, entry: existing.name + ".csv", object: existing.name)
    if let header = existing.header, let other = incoming.header, header != other {
      let detail = ObjectState.headerMismatch(
        other, against: header, in: existing.pieces.first ?? "the first piece")
      var at = location
      at.line = 1
      findings.add(Finding(.objectHeaderMismatch, detail, at: at))
    }
    existing.header = existing.header ?? incoming.header
    existing.records += incoming.records
    existing.pieces += incoming.pieces
    existing.pieceRecords += incoming.pieceRecords
    existing.incomplete = existing.incomplete || incoming.incomplete
    existing.missingIdColumn = existing.missingIdColumn || incoming.missingIdColumn
    if let prefix = incoming.prefix {
      if let known = existing.prefix, known != prefix {
        // The piece's own rows (those not counted under another prefix) carry `prefix`.
        let own = incoming.records - incoming.otherPrefixes.values.reduce(0, +)
        existing.otherPrefixes[prefix, default: 0] += max(own, 0)
      }
      existing.prefix = existing.prefix ?? prefix
    }
    for (prefix, count) in incoming.otherPrefixes where prefix != existing.prefix {
      existing.otherPrefixes[prefix, default: 0] += count
    }
    // Ids met again in a later part: listed in Id order so that the report is the same
    // however the sets iterate.
    var repeated: [RecordId] = []
    for id in incoming.ids where !existing.ids.insert(id) { repeated.append(id) }
    repeated.sort()
    for id in repeated {
      var at = location
      at.recordId = id.description
      findings.add(
        Finding(
          .idDuplicate,
          "the Id appears in \(existing.name) in \(piece) and again in an earlier part", at: at))
    }
  }
}
