import Foundation

/// A disk of a few KiB (a tmpfs mounted on a fresh temporary folder), for tests of what fetch
/// and restore do when the disk fills up part-way. Mounting needs root (CAP_SYS_ADMIN):
/// ``isAvailable`` says whether this run may, and the tests that need one are skipped visibly
/// without it. Unmounted when released.
public final class SmallDisk {
  public let path: String
  private let directory = TemporaryDirectory("exportgate-small-disk")

  /// Whether a tmpfs can be mounted here (tried once).
  public static let isAvailable: Bool = {
    guard getuid() == 0 else { return false }
    return (try? SmallDisk(bytes: 64 << 10)) != nil
  }()

  public init(bytes: Int) throws {
    path = directory.file("mount")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try Self.mount(["-t", "tmpfs", "-o", "size=\(bytes),mode=0755", "tmpfs", path])
  }

  /// Gives the disk `bytes` in all (what it holds is kept).
  public func resize(bytes: Int) throws {
    try Self.mount(["-o", "remount,size=\(bytes)", path])
  }

  /// A path on the disk.
  public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit {
    // Lazily: a descriptor a failed test left open must not keep the mount (or the run) alive.
    _ = try? Self.run("/bin/umount", ["-l", path])
  }

  private static func mount(_ arguments: [String]) throws {
    let status = try run("/bin/mount", arguments)
    guard status == 0 else {
      throw FixtureWriter.WriteError(description: "mount \(arguments) exited \(status)")
    }
  }

  private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}
