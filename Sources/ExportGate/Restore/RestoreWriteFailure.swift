import Foundation
import Synchronization

/// A write under the restore's folder that the system refused (a full disk, a quota, an I/O
/// error): what was being written and the system's error number, so that a full disk is told
/// apart, named as the cause and answered with what to do.
struct RestoreWriteFailure: Error, CustomStringConvertible {
  /// The path written, relative to the restore's folder where it is under it.
  let path: String
  let code: Int32

  var description: String { "cannot write \(path): \(String(cString: strerror(code)))" }

  /// The call that just failed, with `errno` read before `path` is built (building a string
  /// may call into the C library, which may change `errno`).
  static func lastError(writing path: @autoclosure () -> String) -> RestoreWriteFailure {
    let code = errno
    return RestoreWriteFailure(path: path(), code: code)
  }

  /// Whether `error`, from any writer restore uses, says the disk (or the quota) is full.
  static func isDiskFull(_ error: Error) -> Bool {
    switch error {
    case let failure as RestoreWriteFailure: DiskSpace.isFull(failure.code)
    case let failure as AtomicFile.WriteError: DiskSpace.isFull(failure.code)
    case let failure as SQLiteDatabase.Failure: failure.isDiskFull
    case let failure as RestoreRoot.Refused: DiskSpace.isFull(failure.code)
    default: false
    }
  }
}

/// Raised by the first worker that finds the restore's disk full, so that every worker skips
/// the files left instead of inflating them only to fail on each.
final class DiskFullSignal: Sendable {
  private let raised = Atomic<Bool>(false)
  /// The first write refused for a full disk.
  private let first = Locked<RestoreWriteFailure?>(nil)

  func raise(_ failure: RestoreWriteFailure) {
    first.withLock { if $0 == nil { $0 = failure } }
    raised.store(true, ordering: .relaxed)
  }

  var isRaised: Bool { raised.load(ordering: .relaxed) }
  var failure: RestoreWriteFailure? { first.withLock { $0 } }
}
