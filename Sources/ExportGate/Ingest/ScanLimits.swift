/// Limits that keep a hostile or broken archive from running away with time.
public struct ScanLimits: Sendable {
  /// A part may inflate to this many times its own size...
  public var maximumExpansionRatio: Int64 = 200
  /// ...plus this allowance, before it is treated as a zip bomb. Real exports inflate about
  /// 1-20 times (binaries barely compress, CSV 5-20 times); bombs inflate about 1000 times or,
  /// with overlapping entries, without bound.
  public var expansionAllowance: Int64 = 1 << 30

  public init() {}

  /// The most bytes a part of `size` bytes may inflate to, when the run reads `parts` parts.
  /// The allowance is the whole run's, shared among its parts, so that many small bombs cost
  /// no more than one (and the limit never depends on which part is read first).
  public func expansionLimit(forPartOf size: Int64, partsInRun parts: Int = 1) -> Int64 {
    max(size, 1) * maximumExpansionRatio + expansionAllowance / Int64(max(parts, 1))
  }
}
