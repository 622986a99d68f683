import CArchive
import Foundation

/// Writes ZIP archives byte by byte (stored entries), with every header field under the test's
/// control: names that differ between the central directory and the local header, flags and
/// methods that disagree, extra fields, entries the directory does not list, entries that share
/// bytes. libarchive's writer never produces these; attackers do.
public enum RawZip {
  /// One entry as the test wants it written.
  public struct Entry: Sendable {
    /// The name in the central directory.
    public var name: [UInt8]
    /// The name in the local header (default: the same).
    public var localName: [UInt8]?
    public var content: [UInt8]
    public var centralFlags: UInt16 = 0x800
    public var localFlags: UInt16 = 0x800
    public var centralMethod: UInt16 = 0
    public var localMethod: UInt16 = 0
    /// Extra fields of the central-directory record (e.g. an Info-ZIP Unicode Path).
    public var centralExtra: [UInt8] = []
    /// Added to the uncompressed size the local header states.
    public var localSizeDelta: Int = 0
    /// False: written as a local header and data only, absent from the central directory.
    public var listed = true
    /// Point the directory record at another entry's local header (by index) instead.
    public var sharesLocalHeaderOf: Int?
    /// XORed into the CRC-32 both headers state: non-zero makes the data fail its check.
    public var statedCRCXor: UInt32 = 0
    /// When set, the entry is streamed (flag bit 3): a data descriptor with its signature
    /// follows the data and states this CRC-32.
    public var descriptorCRC: UInt32?
    /// The bytes written as the entry's data when they are not `content` itself (Deflate data,
    /// with both methods set to 8); the headers state `content`'s size and CRC-32.
    public var data: [UInt8]?

    public init(_ name: String, _ content: [UInt8]) {
      self.name = Array(name.utf8)
      self.content = content
    }
  }

  /// Writes the archive; `countDelta` is added to the end record's entry count.
  @discardableResult
  public static func write(_ entries: [Entry], to path: String, countDelta: Int = 0) throws
    -> [UInt8]
  {
    var out: [UInt8] = []
    var offsets: [Int] = []
    for entry in entries {
      offsets.append(out.count)
      let localName = entry.localName ?? entry.name
      let streamed = entry.descriptorCRC != nil
      out += le32(0x0403_4b50) + le16(20) + le16(entry.localFlags | (streamed ? 8 : 0))
      out += le16(entry.localMethod)
      let data = entry.data ?? entry.content
      out += le16(0) + le16(0x21) + le32(crc(entry.content) ^ entry.statedCRCXor)
      out += le32(UInt32(data.count))
      out += le32(UInt32(entry.content.count + entry.localSizeDelta))
      out += le16(UInt16(localName.count)) + le16(0) + localName + data
      if let descriptorCRC = entry.descriptorCRC {
        out += le32(0x0807_4b50) + le32(descriptorCRC) + le32(UInt32(data.count))
        out += le32(UInt32(entry.content.count))
      }
    }
    let directoryStart = out.count
    var listed = 0
    for (index, entry) in entries.enumerated() where entry.listed {
      listed += 1
      let offset = offsets[entry.sharesLocalHeaderOf ?? index]
      out += le32(0x0201_4b50) + le16(20) + le16(20)
      out += le16(entry.centralFlags | (entry.descriptorCRC != nil ? 8 : 0))
      out += le16(entry.centralMethod) + le16(0) + le16(0x21)
      out += le32(crc(entry.content) ^ entry.statedCRCXor)
      out += le32(UInt32((entry.data ?? entry.content).count))
      out += le32(UInt32(entry.content.count))
      out += le16(UInt16(entry.name.count)) + le16(UInt16(entry.centralExtra.count)) + le16(0)
      out += le16(0) + le16(0) + le32(0) + le32(UInt32(offset)) + entry.name + entry.centralExtra
    }
    let directorySize = out.count - directoryStart
    let count = UInt16(max(listed + countDelta, 0))
    out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(count) + le16(count)
    out += le32(UInt32(directorySize)) + le32(UInt32(directoryStart)) + le16(0)
    try Data(out).write(to: URL(fileURLWithPath: path))
    return out
  }

  /// An Info-ZIP Unicode Path extra field (0x7075) giving `unicode` as the name of an entry
  /// whose stored name is `stored`.
  public static func unicodePath(_ unicode: String, forStored stored: [UInt8]) -> [UInt8] {
    let data: [UInt8] = [1] + le32(crc(stored)) + Array(unicode.utf8)
    return le16(0x7075) + le16(UInt16(data.count)) + data
  }

  /// `bytes` as raw Deflate data (ZIP method 8), by zlib at `level`; with a `dictionary`, the
  /// data may refer back into it (as a stream's later blocks refer to its earlier output).
  public static func deflate(_ bytes: [UInt8], level: Int32 = 6, dictionary: [UInt8] = [])
    -> [UInt8]
  {
    var stream = z_stream()
    guard
      deflateInit2_(
        &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { return [] }
    defer { deflateEnd(&stream) }
    if !dictionary.isEmpty {
      let set = dictionary.withUnsafeBufferPointer {
        deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count))
      }
      guard set == Z_OK else { return [] }
    }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
    let produced = input.withUnsafeMutableBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target -> Int in
        stream.next_in = source.baseAddress
        stream.avail_in = uInt(source.count)
        stream.next_out = target.baseAddress
        stream.avail_out = uInt(target.count)
        guard CArchive.deflate(&stream, Z_FINISH) == Z_STREAM_END else { return 0 }
        return target.count - Int(stream.avail_out)
      }
    }
    return Array(output.prefix(produced))
  }

  public static func crc(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
  }

  static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  static func le32(_ value: UInt32) -> [UInt8] {
    le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16))
  }
}
