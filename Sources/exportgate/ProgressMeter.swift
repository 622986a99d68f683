import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Shows bytes done / total, rate and time left on stderr, for long runs on a terminal only
/// (silent when stderr is a file or pipe, so logs and CI output stay clean).
final class ProgressMeter {
  private let start = DispatchTime.now().uptimeNanoseconds
  private var lastDraw: UInt64 = 0
  private var drawn = false
  /// Nothing is drawn before this (short runs stay quiet); `EXPORTGATE_PROGRESS_AFTER`
  /// (seconds) changes it, for tests on a pseudo-terminal.
  private let quietNanoseconds: UInt64 =
    ProcessInfo.processInfo.environment["EXPORTGATE_PROGRESS_AFTER"].flatMap(Double.init).map {
      UInt64(max($0, 0) * 1e9)
    } ?? 1_000_000_000

  /// A meter when stderr is a terminal, else nil.
  static func forTerminal() -> ProgressMeter? {
    isatty(STDERR_FILENO) == 1 ? ProgressMeter() : nil
  }

  func update(_ progress: ScanProgress) {
    let now = DispatchTime.now().uptimeNanoseconds
    // Nothing for the first second, then four times a second.
    guard now - start >= quietNanoseconds, now - lastDraw > 250_000_000 else { return }
    lastDraw = now
    let elapsed = Double(now - start) / 1e9
    let rate = Double(progress.bytesDone) / max(elapsed, 0.001)
    let left = rate > 0 ? Double(max(progress.bytesTotal - progress.bytesDone, 0)) / rate : 0
    let line =
      "\r  \(ByteFormat.human(progress.bytesDone)) / \(ByteFormat.human(progress.bytesTotal))  \(ByteFormat.human(Int64(rate)))/s  ETA \(Int(left) / 60):\(String(format: "%02d", Int(left) % 60))   "
    FileHandle.standardError.write(Data(line.utf8))
    drawn = true
  }

  /// Clears the line before the report is printed.
  func finish() {
    guard drawn else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
