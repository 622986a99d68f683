/// Receives one entry's bytes as they stream out of the archive, in bounded chunks.
public protocol EntrySink: AnyObject {
  /// The next chunk; valid only during the call.
  func consume(_ chunk: UnsafeRawBufferPointer)
  /// The entry ended; `outcome` says whether all its bytes arrived intact.
  func finish(_ outcome: EntryOutcome)
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

/// Chooses, for each entry, who reads its bytes. Returning nil still reads (and checks) them.
public protocol BundleVisitor: AnyObject {
  func sink(for entry: BundleEntry) -> EntrySink?
}
