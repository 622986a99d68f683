import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes files atomically: into a new temporary file beside the target, flushed to disk, then
/// renamed over it, so a reader never sees half a report and a failed run leaves none behind.
public enum AtomicFile {
  public struct WriteError: Error, CustomStringConvertible {
    public let description: String
    /// The system's error number (`ENOSPC`: the disk is full); 0 when none applies.
    public var code: Int32 = 0

    public init(description: String, code: Int32 = 0) {
      self.description = description
      self.code = code
    }
  }

  /// Writes `data` to `path` atomically. The file is created with `mode` from the start
  /// (a private key is never readable by others, not even for a moment). With `noClobber`, an
  /// existing file at `path` is never replaced, even by a race.
  public static func write(
    _ data: Data, to path: String, mode: mode_t = 0o644, noClobber: Bool = false
  ) throws {
    let directory = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let temporary = (directory.isEmpty ? "." : directory) + "/.\(name).\(UUID().uuidString).tmp"
    // `code` defaults to `errno` as the call begins, before anything else can change it.
    func failure(_ what: String, code: Int32 = errno) -> WriteError {
      WriteError(
        description: "cannot write \(path): \(what): \(String(cString: strerror(code)))",
        code: code)
    }
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
    guard descriptor >= 0 else { throw failure("cannot create a file there") }
    let writeError = data.withUnsafeBytes { writeAll(descriptor, $0) }
    guard writeError == nil, fsync(descriptor) == 0 else {
      let error = failure("write failed", code: writeError ?? errno)
      close(descriptor)
      unlink(temporary)
      throw error
    }
    close(descriptor)
    if noClobber {
      // link(2) fails when the target exists, where rename(2) would replace it.
      guard link(temporary, path) == 0 else {
        let code = errno
        let error = failure(
          code == EEXIST ? "it exists, not replacing it" : "link failed", code: code)
        unlink(temporary)
        throw error
      }
      unlink(temporary)
      return
    }
    guard rename(temporary, path) == 0 else {
      let error = failure("rename failed")
      unlink(temporary)
      throw error
    }
  }

  /// Writes all of `bytes` to `descriptor`, again after a short write or an interruption.
  /// Returns nil when every byte was written, else the error number of the write that failed,
  /// read at once (any later call may change `errno`).
  static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    guard var base = bytes.baseAddress else { return nil }
    var left = bytes.count
    while left > 0 {
      let written = Glibc.write(descriptor, base, left)
      if written < 0 {
        let code = errno
        if code == EINTR { continue }
        return code
      }
      base += written
      left -= written
    }
    return nil
  }

  public static func write(
    _ text: String, to path: String, mode: mode_t = 0o644, noClobber: Bool = false
  ) throws {
    try write(Data(text.utf8), to: path, mode: mode, noClobber: noClobber)
  }
}
