/// How many findings of one code a root cause explains (`explains 92 file-missing`).
public struct ExplainedCount: Sendable, Codable, Hashable {
  public var code: FindingCode
  public var count: Int

  public init(code: FindingCode, count: Int) {
    self.code = code
    self.count = count
  }

  /// `92 file-missing`.
  public var description: String { "\(count) \(code.rawValue)" }
}
