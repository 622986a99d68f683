import ExportGate

/// A visitor that keeps every entry's bytes and outcome in memory (small fixtures only).
public final class CollectingVisitor: BundleVisitor {
  /// One entry as read.
  public struct Collected: Sendable {
    public let entry: BundleEntry
    public var content: [UInt8] = []
    public var outcome: EntryOutcome?
  }

  public private(set) var entries: [Collected] = []
  /// The largest chunk any sink received.
  public private(set) var largestChunk = 0

  public init() {}

  public func sink(for entry: BundleEntry) -> EntrySink? {
    entries.append(Collected(entry: entry))
    return Sink(owner: self, index: entries.count - 1)
  }

  private final class Sink: EntrySink {
    unowned let owner: CollectingVisitor
    let index: Int

    init(owner: CollectingVisitor, index: Int) {
      self.owner = owner
      self.index = index
    }

    func consume(_ chunk: UnsafeRawBufferPointer) {
      owner.largestChunk = max(owner.largestChunk, chunk.count)
      owner.entries[index].content.append(contentsOf: chunk)
    }

    func finish(_ outcome: EntryOutcome) { owner.entries[index].outcome = outcome }
  }
}
