import Foundation

/// Hands each source (part or folder) its own ``ExportChecker`` and merges finished ones into
/// the global checker strictly in bundle order, as soon as a source and all before it are done,
/// then lets them go. Called from any worker; merging happens under the lock.
///
/// Unchecked: checkers are not Sendable. Each source's checker is used only by the worker
/// reading that source until it calls ``done(_:)``; from then on only under the lock, which
/// is also the only place the global checker is touched until ``finish()`` returns.
final class OrderedMerger: @unchecked Sendable {
  private struct State {
    var checkers: [ExportChecker?]
    var finished: [Bool]
    var next = 0

    /// Absorbs every checker from `next` on that may be absorbed (`all`: also unfinished).
    mutating func absorb(into global: ExportChecker, all: Bool) {
      while next < checkers.count && (all || finished[next]) {
        if let checker = checkers[next] { global.absorb(checker) }
        checkers[next] = nil
        next += 1
      }
    }
  }

  private let global: ExportChecker
  private let options: VerificationOptions
  private let state: Locked<State>

  init(count: Int, into global: ExportChecker, options: VerificationOptions) {
    self.global = global
    self.options = options
    state = Locked(
      State(
        checkers: Array(repeating: nil, count: count),
        finished: Array(repeating: false, count: count)))
  }

  /// The checker for source `index` (created on first request).
  func checker(for index: Int) -> ExportChecker {
    state.withLock { state in
      if let existing = state.checkers[index] { return existing }
      let created = ExportChecker(options: options)
      state.checkers[index] = created
      return created
    }
  }

  /// Source `index` is read: merge it, and every finished source after it, in order.
  func done(_ index: Int) {
    state.withLock { state in
      state.finished[index] = true
      state.absorb(into: global, all: false)
    }
  }

  /// Merges whatever is left (sources that never ran).
  func finish() {
    state.withLock { $0.absorb(into: global, all: true) }
  }
}
