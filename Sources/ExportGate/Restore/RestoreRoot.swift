import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The restore's destination, held open: every folder and file under it is reached from its
/// parent folder's descriptor (`openat`, `mkdirat`, `linkat`, `renameat`) with `O_NOFOLLOW`,
/// so a symbolic link planted at any level, before the run or while it runs, is refused and
/// never followed; nothing is written outside it.
final class RestoreRoot {
  /// Why a folder or file under the root cannot be reached.
  struct Refused: Error, CustomStringConvertible {
    let description: String
    /// The system's error number where one applies (`ENOSPC`: the disk is full).
    var code: Int32 = 0
  }

  let path: String
  let descriptor: Int32

  init(path: String) throws {
    self.path = path
    descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw Refused(description: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
  }

  deinit { close(descriptor) }

  /// The folder at `relative` (components separated by `/`), created where missing when
  /// `create`; its descriptor, which the caller closes. A component that is a link, a file or
  /// `..` is refused.
  func folder(_ relative: String, create: Bool) throws -> Int32 {
    var current = dup(descriptor)
    guard current >= 0 else { throw Refused(description: "cannot open \(path)") }
    var walked = path
    for component in relative.split(separator: "/").map(String.init) {
      guard component != "..", component != "." else {
        close(current)
        throw Refused(description: "\(relative) holds a '\(component)' component")
      }
      walked += "/" + component
      if create, mkdirat(current, component, 0o755) != 0, errno != EEXIST {
        let code = errno
        close(current)
        throw Refused(
          description: "cannot create \(walked): \(String(cString: strerror(code)))", code: code)
      }
      let next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      let failure = errno
      close(current)
      guard next >= 0 else {
        throw Refused(
          description: failure == ELOOP || failure == ENOTDIR
            ? "\(walked) exists and is not a folder (never followed)"
            : "cannot open \(walked): \(String(cString: strerror(failure)))")
      }
      current = next
    }
    return current
  }

  /// `bytes` as the file `name` directly in the folder, replacing what is there: written to a
  /// new temporary file, synced, and renamed over the name (a link planted there is replaced,
  /// never followed).
  func replace(_ name: String, with bytes: [UInt8]) throws {
    let temporary = try Self.writeTemporary(bytes, in: descriptor, for: "\(path)/\(name)")
    guard renameat(descriptor, temporary, descriptor, name) == 0 else {
      let code = errno
      unlinkat(descriptor, temporary, 0)
      throw Refused(
        description: "cannot write \(path)/\(name): \(String(cString: strerror(code)))",
        code: code)
    }
  }

  /// `bytes` as a new file at `relative`, written beside it and linked into place: an existing
  /// name is never replaced (the error says so), a link is never followed.
  func writeNew(_ bytes: [UInt8], to relative: String) throws {
    let folder = try self.folder((relative as NSString).deletingLastPathComponent, create: false)
    defer { close(folder) }
    let temporary = try Self.writeTemporary(bytes, in: folder, for: relative)
    defer { unlinkat(folder, temporary, 0) }
    guard linkat(folder, temporary, folder, (relative as NSString).lastPathComponent, 0) == 0
    else {
      let code = errno
      throw Refused(
        description: code == EEXIST
          ? "\(relative) already exists: nothing is overwritten"
          : "cannot write \(relative): \(String(cString: strerror(code)))", code: code)
    }
  }

  /// `bytes` in a new hidden file of `folder` (created with `O_EXCL|O_NOFOLLOW`), synced; its
  /// name. Nothing is left when it fails.
  private static func writeTemporary(_ bytes: [UInt8], in folder: Int32, for what: String) throws
    -> String
  {
    let temporary = ".restore-\(UUID().uuidString).partial"
    let file = openat(
      folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard file >= 0 else {
      let code = errno
      throw Refused(
        description: "cannot create a file beside \(what): \(String(cString: strerror(code)))",
        code: code)
    }
    var failure = bytes.withUnsafeBytes { AtomicFile.writeAll(file, $0) }
    if failure == nil && fsync(file) != 0 { failure = errno }
    close(file)
    if let code = failure {
      unlinkat(folder, temporary, 0)
      throw Refused(
        description: "cannot write \(what): \(String(cString: strerror(code)))", code: code)
    }
    return temporary
  }

  /// Removes the file at `relative` when it is the one this run wrote (`size` bytes of
  /// `sha256`), reaching it without following a link; anything else is left alone. False when
  /// it is still there.
  func remove(_ relative: String, ifItHolds sha256: String, size: Int64) -> Bool {
    let parent: Int32
    do {
      parent = try folder((relative as NSString).deletingLastPathComponent, create: false)
    } catch {
      return false
    }
    defer { close(parent) }
    let name = (relative as NSString).lastPathComponent
    guard Self.holds(parent, name, size: size, sha256: sha256) else { return false }
    return unlinkat(parent, name, 0) == 0
  }

  /// Whether the regular file `name` in `folder` (never a link) holds `size` bytes of `sha256`.
  static func holds(_ folder: Int32, _ name: String, size: Int64, sha256: String) -> Bool {
    let file = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard file >= 0 else { return false }
    let handle = FileHandle(fileDescriptor: file, closeOnDealloc: true)
    var info = stat()
    guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) == size
    else { return false }
    var hasher = SHA256()
    do {
      while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        hasher.update(data: chunk)
      }
    } catch {
      return false  // unreadable: not the same file
    }
    return PartHasher.hex(hasher.finalize()) == sha256
  }
}
