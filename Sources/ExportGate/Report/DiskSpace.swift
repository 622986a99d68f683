import Foundation

/// The disk a command writes to, as fetch and restore tell a full one: the error numbers that
/// mean "full" (the disk, or the user's quota) and the space left, said in the message.
enum DiskSpace {
  static func isFull(_ code: Int32) -> Bool { code == ENOSPC || code == EDQUOT }

  /// The bytes free to this user on the disk holding the open folder `descriptor`.
  static func free(_ descriptor: Int32) -> Int64? {
    var space = statvfs()
    guard fstatvfs(descriptor, &space) == 0 else { return nil }
    return Int64(space.f_bavail) * Int64(space.f_frsize)
  }

  /// ` (12.0 MiB free)`, or nothing when the disk cannot say.
  static func freeNote(_ descriptor: Int32) -> String {
    free(descriptor).map { " (\(ByteFormat.human($0)) free)" } ?? ""
  }
}
