/// A file's type from its first bytes, for files the export names by Id alone (ContentBody's
/// `Other Uploaded Collateral`): the extension that lets a person open it.
enum FileMagic {
  private static let signatures: [([UInt8], String)] = [
    (Array("%PDF-".utf8), "pdf"),
    ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "png"),
    ([0xFF, 0xD8, 0xFF], "jpg"),
    (Array("GIF87a".utf8), "gif"),
    (Array("GIF89a".utf8), "gif"),
    ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "doc"),
    (Array("{\\rtf".utf8), "rtf"),
    ([0x50, 0x4B, 0x03, 0x04], "zip"),
  ]

  /// The extension for `head` (the file's first bytes), nil when they say nothing certain.
  static func `extension`(of head: [UInt8]) -> String? {
    signatures.first { head.starts(with: $0.0) }?.1
  }
}
