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
