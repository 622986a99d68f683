import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A report too large to hold (a diff's every change as CSV), written as it is produced to a
/// new file beside its target (created with `O_EXCL|O_NOFOLLOW`) and renamed into place by
/// ``commit()``, like ``AtomicFile``: a failed run leaves no half report.
public final class AtomicFileStream {
  private let path: String
  private let temporary: String
  private var descriptor: Int32
  private var failure: String?

  public init(path: String) throws {
    self.path = path
    let directory = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    temporary = (directory.isEmpty ? "." : directory) + "/.\(name).\(UUID().uuidString).tmp"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard descriptor >= 0 else {
      throw AtomicFile.WriteError(
        description:
          "cannot write \(path): cannot create a file there: \(String(cString: strerror(errno)))")
    }
  }

  deinit {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporary)
    }
  }

  /// Appends `text`; a failure is kept and thrown by ``commit()``.
  public func write(_ text: String) {
    guard failure == nil else { return }
    var text = text
    let code = text.withUTF8 { AtomicFile.writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    if let code { failure = String(cString: strerror(code)) }
  }

  /// Syncs the file and renames it into place.
  public func commit() throws {
    defer { descriptor = -1 }
    guard failure == nil, fsync(descriptor) == 0 else {
      let reason = failure ?? String(cString: strerror(errno))
      close(descriptor)
      unlink(temporary)
      throw AtomicFile.WriteError(description: "cannot write \(path): \(reason)")
    }
    close(descriptor)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw AtomicFile.WriteError(description: "cannot write \(path): rename failed: \(reason)")
    }
  }
}
