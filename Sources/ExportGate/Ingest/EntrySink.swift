/// Receives one entry's bytes as they stream out of the archive, in bounded chunks.
public protocol EntrySink: AnyObject {
  /// The next chunk; valid only during the call.
  func consume(_ chunk: UnsafeRawBufferPointer)
  /// The entry ended; `outcome` says whether all its bytes arrived intact.
  func finish(_ outcome: EntryOutcome)
  /// True once the sink needs no more bytes: the rest of the entry is skipped, not inflated
  /// (its CRC is then not checked; integrity passes never say so).
  var isSatisfied: Bool { get }
}

extension EntrySink {
  public var isSatisfied: Bool { false }
}

/// How reading an entry ended.
public enum EntryOutcome: Sendable, Equatable {
  /// Every byte read, CRC correct.
  case complete(bytes: Int64)
  /// Damaged: CRC mismatch, inflate error, or the part ended inside it.
  case damaged(bytes: Int64, reason: String)

  public var bytes: Int64 {
    switch self {
    case .complete(let bytes), .damaged(let bytes, _): bytes
    }
  }

  public var isComplete: Bool { if case .complete = self { true } else { false } }
}

/// Chooses, for each entry, who reads its bytes. Returning nil still reads (and checks) them,
/// unless `skips(_:)` says the entry is not wanted at all.
public protocol BundleVisitor: AnyObject {
  func sink(for entry: BundleEntry) -> EntrySink?
  /// True to skip an entry without inflating it (passes that only need some entries).
  func skips(_ entry: BundleEntry) -> Bool
}

extension BundleVisitor {
  public func skips(_ entry: BundleEntry) -> Bool { false }
}
