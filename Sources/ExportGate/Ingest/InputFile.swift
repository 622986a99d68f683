import Foundation

/// Every file a person names (parts, policies, counts and checksum files, keys, certificates)
/// is opened through here: read-only, never blocking, and refused at once with a plain reason
/// when it is not a regular file we may read. A FIFO or `/dev/zero` named as a part would
/// otherwise hang a run or feed it forever.
public enum InputFile {
  /// Why a named file cannot be used, in one line.
  public struct Problem: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
  }

  /// The identity of a file on its device, to tell whether two paths are the same file
  /// (symbolic links resolved).
  public struct Identity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
  }

  /// Opens `path` read-only as a regular file. `what` names the file in messages
  /// ("policy", "counts file", "part"). The caller closes the descriptor.
  public static func open(_ path: String, what: String) throws -> Int32 {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; cleared once the file is known
    // to be regular.
    let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard descriptor >= 0 else {
      throw Problem(description: "\(what) \(path): \(reason(errno))")
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let error = errno
      close(descriptor)
      throw Problem(description: "\(what) \(path): \(reason(error))")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      close(descriptor)
      throw Problem(
        description: "\(what) \(path) is \(kind(info.st_mode)), not a regular file: refused")
    }
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    return descriptor
  }

  /// Checks that `path` can be opened as a regular file, without reading it.
  public static func check(_ path: String, what: String) throws {
    close(try open(path, what: what))
  }

  /// Reads a small file whole (a policy, a key, a certificate); larger than `limit` is refused.
  public static func read(_ path: String, what: String, limit: Int = 16 << 20) throws -> Data {
    let descriptor = try open(path, what: what)
    defer { close(descriptor) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes {
        Foundation.read(descriptor, $0.baseAddress, $0.count)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw Problem(description: "\(what) \(path): \(reason(errno))")
      }
      if count == 0 { return data }
      data.append(contentsOf: buffer[0..<count])
      if data.count > limit {
        throw Problem(
          description: "\(what) \(path) is larger than \(limit >> 20) MiB: not a \(what), refused")
      }
    }
  }

  /// The file's identity, or nil when it does not exist.
  public static func identity(of path: String) -> Identity? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }

  /// The identities of every file the inputs name: the files given, and the files inside the
  /// folders given (and one level below, where download tools put parts). An output that is
  /// one of these would destroy an input.
  public static func identities(ofInputs paths: [String]) -> Set<Identity> {
    var found = Set<Identity>()
    func add(_ path: String, depth: Int) {
      var info = stat()
      guard stat(path, &info) == 0 else { return }
      found.insert(Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
      guard (info.st_mode & S_IFMT) == S_IFDIR, depth < 2,
        let names = try? FileManager.default.contentsOfDirectory(atPath: path)
      else { return }
      for name in names { add((path as NSString).appendingPathComponent(name), depth: depth + 1) }
    }
    for path in paths { add(path, depth: 0) }
    return found
  }

  /// Whether a private key file may be read by others than its owner (as ssh refuses).
  public static func isReadableByOthers(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & 0o077) != 0
  }

  static func reason(_ error: Int32) -> String {
    switch error {
    case EACCES, EPERM: "permission denied"
    case ENOENT: "no such file"
    case EISDIR: "is a folder, not a file"
    default: String(cString: strerror(error))
    }
  }

  static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: "a folder"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
  }
}
