import Foundation

/// A value reachable only under its lock: ``withLock(_:)`` hands it to a closure, and nothing
/// else can read or write it, so what a lock guards is visible in the type and no field is read
/// outside it, as with the standard library's `Mutex`.
///
/// Why not `Mutex` itself: on Linux it waits on a futex that ThreadSanitizer cannot see, so a
/// counter two threads increment under a `Mutex` is reported as a race (tried with this
/// toolchain), and a sanitizer run full of such reports hides the real ones. This lock is a
/// pthread mutex (through `NSLock`), which ThreadSanitizer understands.
public final class Locked<Value> {
  private var value: Value
  private let lock = NSLock()

  public init(_ value: Value) { self.value = value }

  /// Runs `body` with the value, holding the lock.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}

/// Sendable when what it holds is: the value is only ever touched under the lock.
extension Locked: @unchecked Sendable where Value: Sendable {}
