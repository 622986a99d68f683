/// What the several scans of one command share: each part's structure audit (probe, directory
/// and local headers, the bundle-wide extraction names) and SHA-256, made by the first scan
/// that needs them. `diff` scans each export three times and `restore` three times; without a
/// session each scan would audit every part again, and hash every byte again.
///
/// One session may serve several bundles (diff's OLD and NEW): audits are kept per list of
/// parts. Scans on any worker may use it at once.
public final class ScanSession: Sendable {
  private struct Memory {
    var audits: [[String]: BundleScanner.StructureAudit] = [:]
    var digests: [String: String] = [:]
    var auditsMade = 0
  }

  private let memory = Locked(Memory())

  public init() {}

  /// The audit of `parts` (their paths, in bundle order), made by `audit` the first time.
  func audit(
    of parts: [String], orMake audit: () -> BundleScanner.StructureAudit
  ) -> BundleScanner.StructureAudit {
    if let known = memory.withLock({ $0.audits[parts] }) { return known }
    // Made outside the lock: auditing reads every part's directory.
    let made = audit()
    return memory.withLock { memory in
      memory.auditsMade += 1
      if let known = memory.audits[parts] { return known }
      memory.audits[parts] = made
      return made
    }
  }

  /// How many audits were made (a test's window on the sharing).
  var auditsMade: Int { memory.withLock { $0.auditsMade } }

  /// The SHA-256 an earlier scan computed for the part at `path`.
  func digest(ofPartAt path: String) -> String? { memory.withLock { $0.digests[path] } }

  func remember(digest: String, ofPartAt path: String) {
    memory.withLock { $0.digests[path] = digest }
  }
}
