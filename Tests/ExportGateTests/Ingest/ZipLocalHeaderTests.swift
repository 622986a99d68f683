import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// The local-header parser alone: fields at their APPNOTE offsets, ZIP64 and timestamp extras,
/// and what it states differently from the directory.
@Suite struct ZipLocalHeaderTests {
  /// A local header as an archiver writes it, field by field, little-endian.
  static func header(
    flags: UInt16 = 0x800, method: UInt16 = 8, time: UInt32 = 0x5A21_6B3C,
    crc: UInt32 = 0xDEAD_BEEF,
    compressed: UInt32 = 100, uncompressed: UInt32 = 300, name: String = "Account.csv",
    extra: [UInt8] = []
  ) -> [UInt8] {
    func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    func le32(_ value: UInt32) -> [UInt8] {
      le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16))
    }
    return le32(0x0403_4b50) + le16(20) + le16(flags) + le16(method) + le32(time) + le32(crc)
      + le32(compressed) + le32(uncompressed) + le16(UInt16(name.utf8.count))
      + le16(UInt16(extra.count)) + Array(name.utf8) + extra
  }

  static func entry(crc: UInt32 = 0xDEAD_BEEF, compressed: Int64 = 100, uncompressed: Int64 = 300)
    -> ZipStructure.Entry
  {
    ZipStructure.Entry(
      index: 0, rawName: "Account.csv", crc32: crc, compressedSize: compressed,
      uncompressedSize: uncompressed, localHeaderOffset: 0, method: 8, flags: 0x800)
  }

  @Test func readsEveryFieldAtItsOffset() throws {
    let bytes = [0xAA, 0xBB] + Self.header()
    let header = try #require(ZipLocalHeader(bytes, at: 2))
    #expect(header.flags == 0x800)
    #expect(header.method == 8)
    #expect(header.dosDateTime == 0x5A21_6B3C)
    #expect(header.crc32 == 0xDEAD_BEEF)
    #expect(header.compressedSize == 100)
    #expect(header.uncompressedSize == 300)
    #expect(header.nameLength == 11)
    #expect(header.extraLength == 0)
    #expect(header.length == 41)
    #expect(!header.isStreamed)
    #expect(header.differences(from: Self.entry()).isEmpty)
  }

  @Test func refusesWhatIsNoLocalHeader() {
    let bytes = Self.header()
    #expect(ZipLocalHeader(Array(bytes.prefix(29)), at: 0) == nil)
    #expect(ZipLocalHeader(bytes, at: 1) == nil)
    #expect(ZipLocalHeader([0x50, 0x4B, 0x01, 0x02] + bytes.dropFirst(4), at: 0) == nil)
  }

  @Test func takesZip64SizesAndTheExtendedTimestamp() throws {
    // ZIP64: uncompressed then compressed, only for saturated fields. 0x5455: flags, mtime.
    let zip64: [UInt8] =
      [0x01, 0x00, 16, 0] + [0, 0, 0, 0, 1, 0, 0, 0] + [0, 0, 0, 0x80, 0, 0, 0, 0]
    let timestamp: [UInt8] = [0x55, 0x54, 5, 0, 1] + [0x00, 0xE1, 0xF5, 0x05]
    let bytes = Self.header(
      compressed: 0xFFFF_FFFF, uncompressed: 0xFFFF_FFFF, extra: zip64 + timestamp)
    var header = try #require(ZipLocalHeader(bytes, at: 0))
    header.readExtras(bytes, from: 30 + header.nameLength)
    #expect(header.uncompressedSize == 1 << 32)
    #expect(header.compressedSize == 0x8000_0000)
    #expect(header.extendedTime == 100_000_000)
    #expect(
      header.differences(from: Self.entry(compressed: 0x8000_0000, uncompressed: 1 << 32)).isEmpty)
  }

  @Test func namesWhatItStatesDifferentlyFromTheDirectory() throws {
    let other = try #require(
      ZipLocalHeader(Self.header(flags: 0x801, method: 0, uncompressed: 999), at: 0))
    let differences = other.differences(from: Self.entry())
    #expect(differences.count == 3)
    #expect(differences[0].hasPrefix("encryption (off in the directory, on in the local header)"))
    #expect(differences[1].hasPrefix("the compression method (8 in the directory, 0"))
    #expect(differences[2].hasPrefix("the sizes or CRC (300 bytes in the directory, 999"))
  }

  @Test func aStreamedHeaderMayLeaveItsSizesZeroButNotWrong() throws {
    let zeros = try #require(
      ZipLocalHeader(Self.header(flags: 0x808, crc: 0, compressed: 0, uncompressed: 0), at: 0))
    #expect(zeros.isStreamed)
    #expect(zeros.differences(from: Self.entry()).isEmpty)
    #expect(!zeros.disagreesWhileStreamed(with: Self.entry()))
    let wrong = try #require(ZipLocalHeader(Self.header(flags: 0x808, crc: 1), at: 0))
    #expect(wrong.differences(from: Self.entry()).isEmpty)
    #expect(wrong.disagreesWhileStreamed(with: Self.entry()))
  }
}
