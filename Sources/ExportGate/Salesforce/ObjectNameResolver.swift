/// Matches object names people type (`--require opportunity`, a policy, a counts file,
/// `cat --object`, `diff --fail-if`) against the objects an export holds: Salesforce API
/// names are case-insensitive, so case never matters, and the export's own spelling is the one
/// reports show. A name that matches nothing but is close to a real one is most likely a typo,
/// and is answered with a suggestion.
public struct ObjectNameResolver: Sendable {
  /// What a typed name turned out to be.
  public enum Resolution: Sendable, Equatable {
    /// The name of an object in the export, as the export spells it.
    case found(String)
    /// Not in the export. `suggestion` is a close name (in the export or a standard object);
    /// `isKnownObject` says the name itself is a real standard object that is just absent.
    case absent(suggestion: String?, isKnownObject: Bool)
  }

  private let canonicalByLowercase: [String: String]
  private let present: [String]

  /// `names`: the objects the export holds.
  public init<Names: Sequence>(objects names: Names) where Names.Element == String {
    var map: [String: String] = [:]
    var ordered: [String] = []
    for name in names where map[name.lowercased()] == nil {
      map[name.lowercased()] = name
      ordered.append(name)
    }
    canonicalByLowercase = map
    present = ordered.sorted()
  }

  public func resolve(_ name: String) -> Resolution {
    if let found = canonicalByLowercase[name.lowercased()] { return .found(found) }
    let known = StandardObjects.knownNames.first { $0.lowercased() == name.lowercased() }
    if known != nil { return .absent(suggestion: nil, isKnownObject: true) }
    // A custom object typed without its suffix (`Invoice` for `Invoice__c`).
    if let custom = canonicalByLowercase[name.lowercased() + "__c"] {
      return .absent(suggestion: custom, isKnownObject: false)
    }
    return .absent(
      suggestion: Self.closest(to: name, among: present + StandardObjects.knownNames.sorted()),
      isKnownObject: false)
  }

  /// The candidate nearest to `name` within a typo's distance (case ignored), if any.
  public static func closest(to name: String, among candidates: [String]) -> String? {
    let typed = Array(name.lowercased().unicodeScalars)
    let allowed = typed.count <= 4 ? 1 : (typed.count <= 8 ? 2 : 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(typed, Array(candidate.lowercased().unicodeScalars))
      if distance <= allowed, distance < (best?.distance ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  /// Levenshtein distance with adjacent transpositions counted as one edit.
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previousPrevious[j - 2] + 1)
        }
      }
      (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
  }
}
