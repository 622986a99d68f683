import Foundation

/// Damages written parts the way real downloads go wrong.
public enum FaultInjector {
  /// Cuts the file to its first `keeping` bytes (an interrupted download).
  public static func truncate(_ path: String, keeping bytes: Int) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// Cuts the file to its first half (a download that stopped half-way).
  public static func truncateToHalf(_ path: String) throws {
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    try truncate(path, keeping: size / 2)
  }

  /// Replaces the file with a login page, as a browser saves one when the session expired.
  public static func replaceWithLoginPage(_ path: String) throws {
    let page = """
      <!DOCTYPE html>
      <html><head><title>Login | Salesforce</title></head>
      <body><form method="post" action="/"><input type="text" name="username"></form></body></html>

      """
    try Data(page.utf8).write(to: URL(fileURLWithPath: path))
  }

  /// Flips one byte inside the stored data of entry `name` (found through its local header),
  /// so that its CRC (or inflate) fails while the archive structure stays intact.
  public static func corruptEntryData(_ path: String, entry name: String) throws {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    let nameBytes = Array(name.utf8)
    var index = 0
    let bytes = [UInt8](data)
    while index + 30 < bytes.count {
      if Array(bytes[index..<index + 4]) == signature {
        let nameLength = Int(bytes[index + 26]) | Int(bytes[index + 27]) << 8
        let extraLength = Int(bytes[index + 28]) | Int(bytes[index + 29]) << 8
        let start = index + 30
        if start + nameLength <= bytes.count
          && Array(bytes[start..<start + nameLength]) == nameBytes
        {
          let dataStart = start + nameLength + extraLength
          let target = dataStart + 3
          data[target] ^= 0x5A
          try data.write(to: URL(fileURLWithPath: path))
          return
        }
      }
      index += 1
    }
    throw FixtureWriter.WriteError(description: "entry \(name) not found in \(path)")
  }
}

extension FaultInjector {
  /// Overwrites the central directory's first header signature, so that the directory is
  /// unusable while every local header (and so every entry) stays intact.
  public static func breakCentralDirectory(_ path: String) throws {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let range = data.range(of: Data([0x50, 0x4B, 0x01, 0x02])) else {
      throw FixtureWriter.WriteError(description: "no central directory in \(path)")
    }
    data[range.lowerBound + 2] = 0x09
    try data.write(to: URL(fileURLWithPath: path))
  }
}
