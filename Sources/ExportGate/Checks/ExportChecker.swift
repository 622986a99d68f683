/// The ``BundleVisitor`` behind `verify`: hands each object CSV to an ``ObjectPieceChecker``
/// and each binary to a ``BinaryFileChecker``, and holds what they accumulate.
final class ExportChecker: BundleVisitor {
  let options: VerificationOptions
  var findings: FindingCollector
  var references = ReferenceTracker()
  private(set) var objects: [String: ObjectState] = [:]
  private(set) var manifests: [String: FolderManifest] = [:]
  /// Which object each key prefix belongs to, learnt from the bundle's own Id columns.
  private(set) var objectByPrefix: [KeyPrefix: String] = [:]
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
    case .objectCSV(let name):
      let state = objects[name] ?? ObjectState(name: name)
      objects[name] = state
      return ObjectPieceChecker(checker: self, entry: entry, state: state)
    case .binary(let folder, let name):
      return BinaryFileChecker(
        manifest: manifest(for: folder), entry: entry, name: name,
        computeMD5: folder.checksumColumn != nil
          || (folder == .contentVersions && options.expectedChecksums != nil))
    default:
      return nil
    }
  }

  func manifest(for folder: BinaryFolder) -> FolderManifest {
    if let existing = manifests[folder.name] { return existing }
    let created = FolderManifest(folder: folder)
    manifests[folder.name] = created
    return created
  }

  func learnPrefix(_ prefix: KeyPrefix, object: String) {
    if objectByPrefix[prefix] == nil { objectByPrefix[prefix] = object }
  }

  /// Checks one lookup value now if its target object has been read, else keeps it for later.
  @inline(__always)
  func reference(_ field: UnsafeRawBufferPointer, column: UInt32, line: Int, source: UInt32) {
    // Only values shaped like Ids are lookups; "" and the empty key mean "no reference".
    guard field.count == 18 || field.count == 15 else { return }
    guard case .success(let target) = RecordId.parse(field) else { return }
    let prefix = target.keyPrefix
    if prefix == .emptyKey { return }
    references.countChecked()
    if let object = objectByPrefix[prefix], let state = objects[object],
      state.ids.contains(target)
    {
      return
    }
    references.deferReference(target, column: column, line: line, source: source)
  }

  func noteEncoding(
    object: String, location: FindingLocation, validator: UTF8Validator, isWide: Bool
  ) {
    guard !isWide else { return }
    encodingByPiece.append((location, validator.firstInvalidOffset, validator.sawNonASCII))
  }
}

extension FindingCollector {
  /// Counts findings that were not kept as values (e.g. beyond the parser's own report limit).
  mutating func count(_ code: FindingCode, severity: Severity, times: Int) {
    for _ in 0..<times {
      add(Finding(code, "", severity: severity), keep: false)
    }
  }
}
