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
