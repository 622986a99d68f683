import Foundation

/// Hands each source (part or folder) its own ``ExportChecker`` and merges finished ones into
/// the global checker strictly in bundle order, as soon as a source and all before it are done,
/// then lets them go. Called from any worker; merging happens under a lock.
final class OrderedMerger: @unchecked Sendable {
  private let lock = NSLock()
  private let global: ExportChecker
  private let options: VerificationOptions
  private var checkers: [ExportChecker?]
  private var finished: [Bool]
  private var next = 0

  init(count: Int, into global: ExportChecker, options: VerificationOptions) {
    self.global = global
    self.options = options
    checkers = Array(repeating: nil, count: count)
    finished = Array(repeating: false, count: count)
  }

  /// The checker for source `index` (created on first request).
  func checker(for index: Int) -> ExportChecker {
    lock.withLock {
      if let existing = checkers[index] { return existing }
      let created = ExportChecker(options: options)
      checkers[index] = created
      return created
    }
  }

  /// Source `index` is read: merge it, and every finished source after it, in order.
  func done(_ index: Int) {
    lock.withLock {
      finished[index] = true
      while next < finished.count && finished[next] {
        if let checker = checkers[next] { global.absorb(checker) }
        checkers[next] = nil
        next += 1
      }
    }
  }

  /// Merges whatever is left (sources that never ran).
  func finish() {
    lock.withLock {
      while next < checkers.count {
        if let checker = checkers[next] { global.absorb(checker) }
        checkers[next] = nil
        next += 1
      }
    }
  }
}
