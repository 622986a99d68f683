/// A ``BundleVisitor`` that takes stock without parsing: which object CSVs are where, and how
/// many files and bytes each binary folder holds.
public final class InventoryCollector: BundleVisitor {
  public private(set) var objects: [Inventory.ObjectEntry] = []
  private var folderTotals: [String: (files: Int, bytes: Int64)] = [:]

  public init() {}

  public func sink(for entry: BundleEntry) -> EntrySink? {
    switch entry.kind {
    case .objectCSV(let object):
      return ByteCounter { [weak self] outcome in
        self?.objects.append(
          Inventory.ObjectEntry(
            name: object, part: entry.source, entry: entry.path, bytes: outcome.bytes,
            intact: outcome.isComplete))
      }
    case .binary(let folder, _):
      return ByteCounter { [weak self] outcome in
        var totals = self?.folderTotals[folder.name] ?? (0, 0)
        totals.files += 1
        totals.bytes += outcome.bytes
        self?.folderTotals[folder.name] = totals
      }
    default:
      return nil
    }
  }

  /// The stock taken, folders in the export's usual order.
  public var folders: [Inventory.FolderEntry] {
    BinaryFolder.all.compactMap { folder in
      folderTotals[folder.name].map {
        Inventory.FolderEntry(name: folder.name, files: $0.files, bytes: $0.bytes)
      }
    }
  }
}

/// Counts an entry's bytes and reports the outcome when it ends.
final class ByteCounter: EntrySink {
  private let done: (EntryOutcome) -> Void

  init(done: @escaping (EntryOutcome) -> Void) { self.done = done }

  func consume(_ chunk: UnsafeRawBufferPointer) {}

  func finish(_ outcome: EntryOutcome) { done(outcome) }
}
