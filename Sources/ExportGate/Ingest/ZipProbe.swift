/// A cheap look at a part before libarchive reads it: what kind of file it really is (sniffed
/// from the first bytes) and whether it ends with an end-of-central-directory record (a
/// truncated download does not).
public struct ZipProbe: Sendable {
  /// What the first bytes say.
  public enum Content: Sendable, Equatable {
    case zip
    case empty
    /// An HTML page, typically a login page saved instead of the export.
    case html
    /// A JSON or XML document, typically an error response saved instead of the export.
    case textDocument(kind: String)
    case otherArchive(kind: String)
    case unknown(firstBytes: String)
  }

  /// The end-of-central-directory record, as far as ExportGate needs it.
  public struct EndOfCentralDirectory: Sendable, Equatable {
    public let offset: Int64
    public let entryCount: Int64
    public let centralDirectoryOffset: Int64
    public let centralDirectorySize: Int64
    /// True when the record says this file is disk 0 of one: the directory is here and counts
    /// only entries that are here.
    public let isSingleDisk: Bool
  }

  public let content: Content
  public let fileSize: Int64
  /// Nil when no valid record ends the file.
  public let endOfCentralDirectory: EndOfCentralDirectory?

  public init(path: String, fileSize: Int64) {
    self.fileSize = fileSize
    let head = FileChunks.read(path: path, offset: 0, count: 512)
    let tailLength = Int(min(fileSize, 65_535 + 22 + 20 + 56 + 1024))
    let tail = FileChunks.read(path: path, offset: fileSize - Int64(tailLength), count: tailLength)
    let end = ZipProbe.findEnd(in: tail, tailStart: fileSize - Int64(tail.count))
    endOfCentralDirectory = end
    // The end record, not the first bytes, makes a ZIP: self-extractors and padded archives
    // start with other data.
    content = end != nil ? .zip : ZipProbe.sniff(head, fileSize: fileSize)
  }

  static func sniff(_ head: [UInt8], fileSize: Int64) -> Content {
    if fileSize == 0 || head.isEmpty { return .empty }
    if head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B
      && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)
        || (head[2] == 7 && head[3] == 8))
    {
      return .zip
    }
    if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B { return .otherArchive(kind: "gzip") }
    if head.count >= 3 && head[0] == 0x42 && head[1] == 0x5A && head[2] == 0x68 {
      return .otherArchive(kind: "bzip2")
    }
    if head.count >= 4 && head[0] == 0x25 && head[1] == 0x50 && head[2] == 0x44 && head[3] == 0x46 {
      return .otherArchive(kind: "PDF")
    }
    let text = String(decoding: head, as: UTF8.self).lowercased()
    let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
    if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || text.contains("<html")
      || text.contains("<head") || text.contains("<body")
    {
      return .html
    }
    if trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<") { return .textDocument(kind: "XML") }
    if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return .textDocument(kind: "JSON") }
    let hex = head.prefix(8).map { byte -> String in
      let digits = String(byte, radix: 16, uppercase: true)
      return digits.count == 1 ? "0" + digits : digits
    }
    return .unknown(firstBytes: hex.joined(separator: " "))
  }

  /// Finds the end-of-central-directory record: preferably one whose comment reaches exactly
  /// the end of the file, otherwise the last signature in the tail (archives with trailing
  /// junk or a mis-sized comment are still read by libarchive). Follows a ZIP64 locator.
  static func findEnd(in tail: [UInt8], tailStart: Int64) -> EndOfCentralDirectory? {
    guard tail.count >= 22 else { return nil }
    func u16(_ i: Int) -> Int64 { Int64(tail[i]) | Int64(tail[i + 1]) << 8 }
    func u32(_ i: Int) -> Int64 { u16(i) | u16(i + 2) << 16 }
    func u64(_ i: Int) -> Int64 { u32(i) | u32(i + 4) << 32 }
    var exact: Int?
    var last: Int?
    var index = tail.count - 22
    while index >= 0 {
      if tail[index] == 0x50 && tail[index + 1] == 0x4B && tail[index + 2] == 5
        && tail[index + 3] == 6
      {
        if last == nil { last = index }
        if index + 22 + Int(u16(index + 20)) == tail.count {
          exact = index
          break
        }
      }
      index -= 1
    }
    guard let index = exact ?? last else { return nil }
    var entries = u16(index + 10)
    var size = u32(index + 12)
    var offset = u32(index + 16)
    // ZIP64: the locator sits just before the record and points to the real numbers.
    let locator = index - 20
    if locator >= 0 && tail[locator] == 0x50 && tail[locator + 1] == 0x4B
      && tail[locator + 2] == 6 && tail[locator + 3] == 7
    {
      let recordOffset = u64(locator + 8) - tailStart
      if recordOffset >= 0 && recordOffset + 56 <= Int64(tail.count) {
        let record = Int(recordOffset)
        if tail[record] == 0x50 && tail[record + 1] == 0x4B && tail[record + 2] == 6
          && tail[record + 3] == 6
        {
          entries = u64(record + 32)
          size = u64(record + 40)
          offset = u64(record + 48)
        }
      }
    }
    return EndOfCentralDirectory(
      offset: tailStart + Int64(index), entryCount: entries, centralDirectoryOffset: offset,
      centralDirectorySize: size,
      isSingleDisk: u16(index + 4) == 0 && u16(index + 6) == 0
        && u16(index + 8) == u16(index + 10))
  }

  /// A sentence for `part-unreadable`, or nil when the content is a ZIP.
  public var unreadableReason: String? { Self.reason(content) }

  /// What `content` is, said for a person; nil for a ZIP.
  static func reason(_ content: Content) -> String? {
    switch content {
    case .zip: nil
    case .empty: "the file is empty (0 bytes): the download did not happen"
    case .html:
      "this is an HTML page, probably a login page saved instead of the export (the session had expired)"
    case .textDocument(let kind):
      "this is a \(kind) document, probably an error response saved instead of the export"
    case .otherArchive(let kind): "this is a \(kind) file, not a ZIP archive"
    case .unknown(let bytes): "not a ZIP archive (it starts with bytes \(bytes))"
    }
  }
}
