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
