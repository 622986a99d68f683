import Foundation

/// A fresh directory under the system temporary folder, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
  public let path: String

  public init(_ label: String = "exportgate", in base: String = NSTemporaryDirectory()) {
    path = (base as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// A path inside the directory.
  public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
