/// `exportgate diff`: compares two exports at any size, streaming both. Memory holds OLD's
/// records only (Id -> row hash, see ``RowHashTable``), plus, for changed records, per-field
/// hashes during a second streaming pass that finds which fields changed.
///
/// Passes: (0) headers of both sides (the rest of each CSV is skipped, not inflated); (1) OLD:
/// row hashes over the columns both sides share, file sizes and content hashes; (2) NEW against
/// them: added, changed, unchanged, and OLD's unseen rows are removed; (3, only if records
/// changed) OLD again then NEW again, for changed records only, field by field.
public struct ExportDiffer {
  /// How to compare.
  public struct Options: Sendable {
    /// Examples of added, removed and changed records kept per object.
    public var examples = 0
    /// The exports' encoding (both sides).
    public var encoding: TextEncoding = .auto
    /// Limits against hostile archives, as for verify.
    public var limits = ScanLimits()
    public init() {}
  }

  /// One change, for the CSV listing (`Object,Id,Change,Field,Old,New`).
  public struct Change: Sendable, Equatable {
    public var object: String
    public var id: String
    public var change: String
    public var field: String
    public var old: String
    public var new: String
  }

  public let options: Options

  public init(options: Options = Options()) { self.options = options }

  /// Compares OLD and NEW. `onChange`, when given, receives every change as it is found
  /// (added and removed records, changed fields, file changes). `progress` follows the record
  /// passes over both exports (the bulk of the work), OLD then NEW.
  public func diff(
    old oldPaths: [String], new newPaths: [String], onChange: ((Change) -> Void)? = nil,
    progress: ((ScanProgress) -> Void)? = nil
  ) throws -> DiffReport {
    let oldBundle = try BundleLocator.locate(oldPaths)
    let newBundle = try BundleLocator.locate(newPaths)
    var warnings: [String] = []
    // Six scans, each part audited once; no digest is read, so none is computed (the header
    // pass then reads only what it inflates).
    let session = ScanSession()
    func scanner(_ bundle: ExportBundle) -> BundleScanner {
      var scanner = BundleScanner(bundle: bundle, limits: options.limits)
      scanner.session = session
      scanner.hashesParts = false
      return scanner
    }

    // Pass 0: headers.
    let oldHeaders = HeaderPass(encoding: options.encoding)
    let oldScan = scanner(oldBundle).scan(visitor: oldHeaders)
    let newHeaders = HeaderPass(encoding: options.encoding)
    let newScan = scanner(newBundle).scan(visitor: newHeaders)
    var plans: [String: ObjectPlan] = [:]
    for name in Set(oldHeaders.headers.keys).union(newHeaders.headers.keys) {
      plans[name] = ObjectPlan(
        name: name, oldHeader: oldHeaders.headers[name], newHeader: newHeaders.headers[name])
    }

    // Passes 1 and 2.
    let state = DiffState(plans: plans, options: options, onChange: onChange)
    let oldBytes = oldBundle.parts.reduce(Int64(0)) { $0 + $1.bytes }
    let newBytes = newBundle.parts.reduce(Int64(0)) { $0 + $1.bytes }
    let oldRecords = scanner(oldBundle).scan(
      visitor: RecordPass(state: state, side: .old),
      progress: progress.map { report in
        { report(ScanProgress(bytesDone: $0.bytesDone, bytesTotal: oldBytes + newBytes)) }
      })
    let newRecords = scanner(newBundle).scan(
      visitor: RecordPass(state: state, side: .new),
      progress: progress.map { report in
        {
          report(ScanProgress(bytesDone: oldBytes + $0.bytesDone, bytesTotal: oldBytes + newBytes))
        }
      })
    state.finishRecordPasses()
    // Damage as verify names it: pass 0 skips entry bodies, so the passes that inflate every
    // entry say what is wrong (CRC errors, bombs, cut parts), once each.
    var seen = Set<String>()
    for (side, scan) in [
      ("OLD", oldScan), ("OLD", oldRecords), ("NEW", newScan), ("NEW", newRecords),
    ] {
      for finding in scan.findings where finding.severity == .error {
        let line =
          "\(side): \(finding.code.rawValue): \(finding.location.description): \(finding.message)"
        if seen.insert(line).inserted { warnings.append(line) }
      }
    }
    warnings += state.csvWarnings

    // Pass 3: field detail for changed records.
    if state.objects.values.contains(where: { $0.changedIds.count > 0 }) {
      _ = scanner(oldBundle).scan(
        visitor: FieldPass(state: state, side: .old))
      _ = scanner(newBundle).scan(
        visitor: FieldPass(state: state, side: .new))
    }
    var report = state.report(old: oldPaths, new: newPaths, warnings: warnings)
    report.oldEntries = oldRecords.parts.reduce(0) { $0 + $1.entries }
    report.newEntries = newRecords.parts.reduce(0) { $0 + $1.entries }
    return report
  }
}

/// The columns one object's rows are compared on.
struct ObjectPlan {
  let name: String
  let oldHeader: [String]?
  let newHeader: [String]?
  /// Columns in both headers, in OLD's order (Id excluded).
  let common: [String]

  init(name: String, oldHeader: [String]?, newHeader: [String]?) {
    self.name = name
    self.oldHeader = oldHeader
    self.newHeader = newHeader
    let newSet = Set(newHeader ?? [])
    common = (oldHeader ?? []).filter { $0 != "Id" && newSet.contains($0) }
  }
}

enum DiffSide { case old, new }

/// Everything the passes accumulate.
final class DiffState {
  /// Damaged CSVs met while reading rows, one line per side and entry.
  var csvWarnings: [String] = []
  final class ObjectState {
    let plan: ObjectPlan
    let table = RowHashTable()
    // Counted for every row: `@exclusivity(unchecked)` drops the runtime access checks (see
    // docs/architecture.md, "Exclusivity").
    @exclusivity(unchecked) var oldRecords = 0
    @exclusivity(unchecked) var newRecords = 0
    var added = 0
    var removed = 0
    @exclusivity(unchecked) var changed = 0
    @exclusivity(unchecked) var unchanged = 0
    var unkeyed = 0
    let changedIds = RecordIdSet()
    var addedExamples: [String] = []
    var removedExamples: [String] = []
    var changedExampleIds: [RecordId] = []
    /// Pass 3: OLD's per-field hashes (and values, when needed) of changed records.
    var oldFieldIndex: [RecordId: Int] = [:]
    var oldFieldHashes: [UInt64] = []
    var oldValues: [RecordId: [String]] = [:]
    var fieldsChanged: [String: Int] = [:]
    var changedExamples: [DiffReport.Example] = []

    init(plan: ObjectPlan) { self.plan = plan }
  }

  struct FileFacts {
    var size: Int64
    var hash: UInt64
  }

  final class FolderState {
    var old: [String: FileFacts] = [:]
    var seen = Set<String>()
    var newFiles = 0
    var added = 0
    var changed = 0
    var unchanged = 0
  }

  let options: ExportDiffer.Options
  let onChange: ((ExportDiffer.Change) -> Void)?
  var objects: [String: ObjectState] = [:]
  var folders: [String: FolderState] = [:]

  init(
    plans: [String: ObjectPlan], options: ExportDiffer.Options,
    onChange: ((ExportDiffer.Change) -> Void)?
  ) {
    self.options = options
    self.onChange = onChange
    for (name, plan) in plans { objects[name] = ObjectState(plan: plan) }
    for folder in BinaryFolder.all { folders[folder.name] = FolderState() }
  }

  /// Whether pass 3 must keep OLD's values of a changed record.
  func keepsValues(_ object: ObjectState, _ id: RecordId) -> Bool {
    onChange != nil || object.changedExampleIds.contains(id)
  }

  /// A whole record added to or removed from an object.
  enum RecordChange: String { case added, removed }

  /// Counts a record added or removed, keeps it as an example while there is room, and
  /// reports it to `onChange`.
  func note(_ change: RecordChange, _ id: RecordId, in object: ObjectState) {
    switch change {
    case .added:
      object.added += 1
      if object.addedExamples.count < options.examples {
        object.addedExamples.append(id.description)
      }
    case .removed:
      object.removed += 1
      if object.removedExamples.count < options.examples {
        object.removedExamples.append(id.description)
      }
    }
    onChange?(
      ExportDiffer.Change(
        object: object.plan.name, id: id.description, change: change.rawValue, field: "", old: "",
        new: ""))
  }

  func finishRecordPasses() {
    for object in objects.values.sorted(by: { $0.plan.name < $1.plan.name }) {
      let unseen = object.table.unseen().sorted()
      for id in unseen { note(.removed, id, in: object) }
    }
    for folder in BinaryFolder.all {
      guard let state = folders[folder.name] else { continue }
      for name in state.old.keys.sorted() where !state.seen.contains(name) {
        onChange?(
          ExportDiffer.Change(
            object: folder.name, id: name, change: "removed", field: "file",
            old: String(state.old[name]?.size ?? 0), new: ""))
      }
    }
  }

  func report(old: [String], new: [String], warnings: [String]) -> DiffReport {
    let objectDiffs = objects.values.sorted { $0.plan.name < $1.plan.name }.map { object in
      let plan = object.plan
      let oldColumns = plan.oldHeader ?? []
      let newColumns = plan.newHeader ?? []
      return DiffReport.ObjectDiff(
        name: plan.name,
        presence: plan.oldHeader == nil ? "added" : plan.newHeader == nil ? "removed" : "both",
        oldRecords: object.oldRecords, newRecords: object.newRecords, added: object.added,
        removed: object.removed, changed: object.changed, unchanged: object.unchanged,
        unkeyed: object.unkeyed, fieldsChanged: object.fieldsChanged,
        columnsAdded: plan.oldHeader == nil ? [] : newColumns.filter { !oldColumns.contains($0) },
        columnsRemoved: plan.newHeader == nil ? [] : oldColumns.filter { !newColumns.contains($0) },
        addedExamples: object.addedExamples, removedExamples: object.removedExamples,
        changedExamples: object.changedExamples)
    }
    let folderDiffs = BinaryFolder.all.compactMap { folder -> DiffReport.FolderDiff? in
      guard let state = folders[folder.name] else { return nil }
      let removed = state.old.keys.filter { !state.seen.contains($0) }.count
      return DiffReport.FolderDiff(
        folder: folder.name, oldFiles: state.old.count, newFiles: state.newFiles,
        added: state.added,
        removed: removed, changed: state.changed, unchanged: state.unchanged)
    }
    let identical =
      !objectDiffs.contains(where: \.differs)
      && !folderDiffs.contains { $0.added + $0.removed + $0.changed > 0 }
    return DiffReport(
      identical: identical, old: old, new: new, objects: objectDiffs, files: folderDiffs,
      warnings: warnings)
  }
}

/// Pass 0: the header of every object CSV; everything else is skipped.
final class HeaderPass: BundleVisitor {
  let encoding: TextEncoding
  var headers: [String: [String]] = [:]

  init(encoding: TextEncoding) { self.encoding = encoding }

  func skips(_ entry: BundleEntry) -> Bool {
    if case .objectCSV = entry.kind { return false }
    return true
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    guard case .objectCSV(let name) = entry.kind else { return nil }
    return HeaderSink(encoding: encoding) { [weak self] header in
      if self?.headers[name] == nil { self?.headers[name] = header }
    }
  }

  final class HeaderSink: CSVEntrySink {
    private let decoder: FieldDecoder
    private let done: ([String]) -> Void
    private var found = false

    init(encoding: TextEncoding, done: @escaping ([String]) -> Void) {
      decoder = FieldDecoder(encoding: encoding)
      self.done = done
      super.init(encoding: encoding)
    }

    override var isSatisfied: Bool { found }

    override func record(_ record: CSVRecord) {
      guard !found else { return }
      found = true
      done((0..<record.count).map { decoder.string(record[$0]) })
    }
  }
}

/// Reads one object CSV piece for a diff pass: maps its columns onto the plan's, then hands
/// every record (with decoded fields) to `row`.
class DiffCSVSink: CSVEntrySink {
  let object: DiffState.ObjectState
  let side: DiffSide
  let decoder: FieldDecoder
  // Read for every field of every row: `@exclusivity(unchecked)` drops the runtime access
  // checks (see docs/architecture.md, "Exclusivity").
  /// For each plan column, the index in this piece, or -1.
  @exclusivity(unchecked) private(set) var columnMap: [Int] = []
  @exclusivity(unchecked) private(set) var idColumn: Int?
  private(set) var header: [String] = []
  @exclusivity(unchecked) var scratch: [UInt8] = []

  init(object: DiffState.ObjectState, side: DiffSide, encoding: TextEncoding) {
    self.object = object
    self.side = side
    decoder = FieldDecoder(encoding: encoding)
    super.init(encoding: encoding)
  }

  override func record(_ record: CSVRecord) {
    if record.number == 1 {
      header = (0..<record.count).map { decoder.string(record[$0]) }
      idColumn = header.firstIndex(of: "Id")
      columnMap = object.plan.common.map { header.firstIndex(of: $0) ?? -1 }
      return
    }
    row(record)
  }

  /// A data record (the header has been read).
  func row(_ record: CSVRecord) {}

  /// The record's Id, when it has a valid one.
  @inline(__always)
  func id(of record: CSVRecord) -> RecordId? {
    guard let idColumn, idColumn < record.count,
      case .success(let id) = RecordId.parse(record[idColumn])
    else { return nil }
    return id
  }

  /// The decoded (UTF-8) value of plan column `position`.
  @inline(__always)
  func withValue<T>(_ record: CSVRecord, _ position: Int, _ body: (UnsafeRawBufferPointer) -> T)
    -> T
  {
    let index = columnMap[position]
    guard index >= 0 && index < record.count else {
      return body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    scratch.removeAll(keepingCapacity: true)
    decoder.decode(record[index], appendingTo: &scratch)
    return scratch.withUnsafeBytes(body)
  }

  func string(_ record: CSVRecord, _ position: Int) -> String {
    withValue(record, position) { String(decoding: $0, as: UTF8.self) }
  }
}

/// Passes 1 (OLD) and 2 (NEW): row hashes and file hashes.
final class RecordPass: BundleVisitor {
  let state: DiffState
  let side: DiffSide

  init(state: DiffState, side: DiffSide) {
    self.state = state
    self.side = side
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    switch entry.kind {
    case .objectCSV(let name):
      guard let object = state.objects[name] else { return nil }
      return RowSink(object: object, side: side, state: state)
    case .binary(let folder, let name):
      return FileSink { [state, side] size, hash in
        guard let folderState = state.folders[folder.name] else { return }
        switch side {
        case .old:
          if folderState.old[name] == nil {
            folderState.old[name] = DiffState.FileFacts(size: size, hash: hash)
          }
        case .new:
          folderState.newFiles += 1
          folderState.seen.insert(name)
          guard let old = folderState.old[name] else {
            folderState.added += 1
            state.onChange?(
              ExportDiffer.Change(
                object: folder.name, id: name, change: "added", field: "file", old: "",
                new: String(size)))
            return
          }
          if old.size == size && old.hash == hash {
            folderState.unchanged += 1
          } else {
            folderState.changed += 1
            state.onChange?(
              ExportDiffer.Change(
                object: folder.name, id: name, change: "changed",
                field: old.size == size ? "content" : "size", old: String(old.size),
                new: String(size)))
          }
        }
      }
    default:
      return nil
    }
  }

  func skips(_ entry: BundleEntry) -> Bool {
    switch entry.kind {
    case .objectCSV, .binary: false
    default: true
    }
  }

  final class FileSink: EntrySink {
    private var hasher = FastHash()
    private var size: Int64 = 0
    private let done: (Int64, UInt64) -> Void

    init(done: @escaping (Int64, UInt64) -> Void) { self.done = done }

    func consume(_ chunk: UnsafeRawBufferPointer) {
      size += Int64(chunk.count)
      hasher.update(chunk)
    }

    func finish(_ outcome: EntryOutcome) { done(size, hasher.finalize()) }
  }

  final class RowSink: DiffCSVSink {
    /// Unowned and unchecked to spare the per-row path its reference counting: the differ holds
    /// the state for the whole scan, and a sink lives only while its entry streams within it.
    unowned(unsafe) let state: DiffState
    private var firstMalformation: CSVMalformation?

    init(object: DiffState.ObjectState, side: DiffSide, state: DiffState) {
      self.state = state
      super.init(object: object, side: side, encoding: state.options.encoding)
    }

    override func malformed(_ malformation: CSVMalformation) {
      if firstMalformation == nil { firstMalformation = malformation }
    }

    override func entryEnded(_ outcome: EntryOutcome) {
      let count = reader.malformationCount
      guard count > 0 || !outcome.isComplete else { return }
      var line =
        "\(side == .old ? "OLD" : "NEW"): csv-malformed: \(object.plan.name).csv: "
      if let first = firstMalformation {
        line +=
          "\(count) malformation\(count == 1 ? "" : "s"), the first on line \(first.line): \(first.message)"
      } else {
        line += "the entry could not be read whole"
      }
      state.csvWarnings.append(line)
    }

    override func row(_ record: CSVRecord) {
      switch side {
      case .old: object.oldRecords += 1
      case .new: object.newRecords += 1
      }
      guard let id = id(of: record) else {
        object.unkeyed += 1
        return
      }
      var hasher = FastHash()
      for position in columnMap.indices {
        withValue(record, position) { hasher.update($0) }
        // A separator, so that ("ab","c") and ("a","bc") differ.
        withUnsafeBytes(of: UInt8(0x1F)) { hasher.update($0) }
      }
      let hash = hasher.finalize()
      switch side {
      case .old:
        if object.plan.newHeader != nil {
          object.table.insert(id, hash: hash)
        } else {
          // The whole object is gone: every record is removed.
          state.note(.removed, id, in: object)
        }
      case .new:
        switch object.table.match(id, hash: hash) {
        case .absent:
          state.note(.added, id, in: object)
        case .same:
          object.unchanged += 1
        case .different:
          object.changed += 1
          object.changedIds.insert(id)
          if object.changedExampleIds.count < state.options.examples {
            object.changedExampleIds.append(id)
          }
        case .seenTwice:
          object.unkeyed += 1
        }
      }
    }
  }
}

/// Pass 3: for changed records only, which fields changed (and their values where needed).
final class FieldPass: BundleVisitor {
  let state: DiffState
  let side: DiffSide

  init(state: DiffState, side: DiffSide) {
    self.state = state
    self.side = side
  }

  func skips(_ entry: BundleEntry) -> Bool {
    guard case .objectCSV(let name) = entry.kind else { return true }
    return (state.objects[name]?.changedIds.count ?? 0) == 0
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    guard case .objectCSV(let name) = entry.kind, let object = state.objects[name],
      object.changedIds.count > 0
    else { return nil }
    return FieldSink(object: object, side: side, state: state)
  }

  final class FieldSink: DiffCSVSink {
    /// Unowned and unchecked to spare the per-row path its reference counting: the differ holds
    /// the state for the whole scan, and a sink lives only while its entry streams within it.
    unowned(unsafe) let state: DiffState

    init(object: DiffState.ObjectState, side: DiffSide, state: DiffState) {
      self.state = state
      super.init(object: object, side: side, encoding: state.options.encoding)
    }

    override func row(_ record: CSVRecord) {
      guard let id = id(of: record), object.changedIds.contains(id) else { return }
      let columns = object.plan.common
      switch side {
      case .old:
        guard object.oldFieldIndex[id] == nil else { return }
        object.oldFieldIndex[id] = object.oldFieldHashes.count
        for position in columns.indices {
          object.oldFieldHashes.append(withValue(record, position) { FastHash.hash($0) })
        }
        if state.keepsValues(object, id) {
          object.oldValues[id] = columns.indices.map { string(record, $0) }
        }
      case .new:
        guard let base = object.oldFieldIndex.removeValue(forKey: id) else { return }
        let oldValues = object.oldValues.removeValue(forKey: id)
        var example: [String: [String]] = [:]
        let isExample = object.changedExampleIds.contains(id)
        for position in columns.indices {
          let hash = withValue(record, position) { FastHash.hash($0) }
          guard hash != object.oldFieldHashes[base + position] else { continue }
          let field = columns[position]
          object.fieldsChanged[field, default: 0] += 1
          if state.onChange != nil || isExample {
            let new = string(record, position)
            let old = oldValues?[position] ?? ""
            if isExample { example[field] = [old, new] }
            state.onChange?(
              ExportDiffer.Change(
                object: object.plan.name, id: id.description, change: "changed", field: field,
                old: old, new: new))
          }
        }
        if isExample {
          object.changedExamples.append(DiffReport.Example(id: id.description, fields: example))
        }
      }
    }
  }
}
