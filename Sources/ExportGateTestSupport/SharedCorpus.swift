import Foundation

/// Finds `../shared` (the third-party conformance corpora and format notes) beside the project.
/// A user's clone has none, so tests needing it skip; in CI (`CI=true`) it must be there.
public enum SharedCorpus {
  /// The `shared` folder, if present.
  public static let root: String? = {
    var directory = URL(fileURLWithPath: #filePath)
    // Sources/ExportGateTestSupport/SharedCorpus.swift -> project root.
    for _ in 0..<3 { directory.deleteLastPathComponent() }
    let candidate = directory.deletingLastPathComponent().appendingPathComponent("shared").path
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory)
      && isDirectory.boolValue ? candidate : nil
  }()

  /// True when tests must not skip for lack of the corpus.
  public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// Whether tests that need the corpus should run (they then fail if it is absent in CI).
  public static var shouldRun: Bool { root != nil || isRequired }

  /// A path inside `shared/`.
  public static func path(_ relative: String) -> String? {
    root.map { ($0 as NSString).appendingPathComponent(relative) }
  }

  /// The project root (for `Fixtures/`).
  public static let projectRoot: String = {
    var directory = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { directory.deleteLastPathComponent() }
    return directory.path
  }()
}
