/// Object names a person gave that match nothing in the export or among Salesforce's
/// standard objects, but are close to a real one: typos, named as the person's own mistake
/// rather than reported as an export fault.
public struct UnknownObjectNames: Error, Sendable, CustomStringConvertible {
  /// One name, where it came from (`--require`, `the policy's minimumRecords`, ...), and the
  /// name it is probably a typo of.
  public struct Name: Sendable, Equatable {
    public var name: String
    public var source: String
    public var suggestion: String

    public init(name: String, source: String, suggestion: String) {
      self.name = name
      self.source = source
      self.suggestion = suggestion
    }
  }

  public var names: [Name]

  /// True when every name came from a command-line flag (a usage error) rather than a file.
  public var allFromFlags: Bool { names.allSatisfy { $0.source.hasPrefix("--") } }

  public var description: String {
    names.map {
      "\($0.source): no object '\($0.name)' in the export: did you mean \($0.suggestion)?"
    }
    .joined(separator: "\n")
  }
}
