/// `Content-Range: bytes START-END/TOTAL`, as a resume's answer must carry it.
public struct ContentRange: Sendable, Equatable {
  public let start: Int64
  public let end: Int64
  public let total: Int64

  public init?(_ header: String) {
    let text = header.trimmingCharacters(in: .whitespaces)
    guard text.lowercased().hasPrefix("bytes ") else { return nil }
    let spec = text.dropFirst(6)
    let halves = spec.split(separator: "/", omittingEmptySubsequences: false)
    guard halves.count == 2, let total = Int64(halves[1]) else { return nil }
    let bounds = halves[0].split(separator: "-", omittingEmptySubsequences: false)
    guard bounds.count == 2, let start = Int64(bounds[0]), let end = Int64(bounds[1]),
      start >= 0, end >= start, total > end
    else { return nil }
    (self.start, self.end, self.total) = (start, end, total)
  }
}
