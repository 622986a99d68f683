/// A `--fail-if` threshold such as `Contact.removed > 5%` or `*.changed >= 1000`: fires when
/// an object's added, removed or changed records pass a number, or a percentage of OLD's count.
public struct DiffRule: Sendable, Equatable, CustomStringConvertible {
  public enum Measure: String, Sendable { case added, removed, changed }
  public enum Comparison: String, Sendable, CaseIterable {
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
    case greater = ">"
    case less = "<"
    case equal = "=="
  }

  public struct ParseError: Error, CustomStringConvertible {
    public let description: String
  }

  /// The object name, or `*` for every object.
  public let object: String
  public let measure: Measure
  public let comparison: Comparison
  public let threshold: Double
  public let isPercentage: Bool
  public let text: String

  public var description: String { text }

  public init(_ text: String) throws {
    self.text = text
    let compact = text.replacingOccurrences(of: " ", with: "")
    guard
      let comparison = Comparison.allCases.first(where: { compact.contains($0.rawValue) }),
      let range = compact.range(of: comparison.rawValue)
    else {
      throw ParseError(
        description:
          "'\(text)': expected OBJECT.MEASURE OP NUMBER[%], e.g. \"Contact.removed > 5%\"")
    }
    let left = compact[..<range.lowerBound]
    var right = String(compact[range.upperBound...])
    guard let dot = left.lastIndex(of: "."),
      let measure = Measure(rawValue: String(left[left.index(after: dot)...]))
    else {
      throw ParseError(
        description:
          "'\(text)': the measure must be added, removed or changed (e.g. Contact.removed)")
    }
    object = String(left[..<dot])
    guard !object.isEmpty else { throw ParseError(description: "'\(text)': name an object or *") }
    isPercentage = right.hasSuffix("%")
    if isPercentage { right.removeLast() }
    guard let threshold = Double(right), threshold >= 0 else {
      throw ParseError(description: "'\(text)': the threshold must be a number or a percentage")
    }
    self.measure = measure
    self.comparison = comparison
    self.threshold = threshold
  }

  /// Why the rule names nothing in `report` (a typo, with a suggestion), or nil when its
  /// object is `*` or is in either export. Object names match in any case.
  public func unknownObject(in report: DiffReport) -> String? {
    guard object != "*" else { return nil }
    let names = ObjectNameResolver(objects: report.objects.map(\.name))
    switch names.resolve(object) {
    case .found: return nil
    case .absent(let suggestion, _):
      return "'\(text)': no object '\(object)' in either export"
        + (suggestion.map { ": did you mean \($0)?" } ?? "")
    }
  }

  /// The objects (with the value that passed the threshold) for which the rule fires.
  public func firings(in report: DiffReport) -> [(object: String, value: String)] {
    report.objects.filter { object == "*" || $0.name.lowercased() == object.lowercased() }
      .compactMap { diff in
        let count: Int
        switch measure {
        case .added: count = diff.added
        case .removed: count = diff.removed
        case .changed: count = diff.changed
        }
        let value: Double
        if isPercentage {
          guard diff.oldRecords > 0 else {
            // Nothing to take a percentage of: only additions to an empty object can fire.
            return count > 0 && comparison != .less && comparison != .lessOrEqual
              ? (diff.name, "\(count) of 0") : nil
          }
          value = Double(count) * 100 / Double(diff.oldRecords)
        } else {
          value = Double(count)
        }
        let fires: Bool
        switch comparison {
        case .greater: fires = value > threshold
        case .greaterOrEqual: fires = value >= threshold
        case .less: fires = value < threshold
        case .lessOrEqual: fires = value <= threshold
        case .equal: fires = value == threshold
        }
        guard fires else { return nil }
        let shown =
          isPercentage
          ? "\(count) of \(diff.oldRecords) (\(String(format: "%.1f", value))%)" : "\(count)"
        return (diff.name, shown)
      }
  }
}
