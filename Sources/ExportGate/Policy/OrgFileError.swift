/// A file of the org's own facts (`--expect-counts`, `--expect-checksums`) that cannot be
/// used, named as that file and line (never as a policy).
public struct OrgFileError: Error, CustomStringConvertible {
  /// "counts file" or "checksums file".
  public let what: String
  public let path: String
  public let line: Int?
  public let message: String

  public init(what: String, path: String, line: Int?, message: String) {
    self.what = what
    self.path = path
    self.line = line
    self.message = message
  }

  public var description: String {
    "\(what) \(path)\(line.map { " line \($0)" } ?? ""): \(message)"
  }
}
