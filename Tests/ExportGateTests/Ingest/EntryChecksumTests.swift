import CArchive
import CISAL
import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Every entry's CRC-32 is checked by ExportGate itself (ISA-L) against the central directory,
/// with libarchive told to skip its own (zlib) check: these hold that nothing slips through the
/// hand-over, including entries the reader cannot pair with a directory record.
@Suite struct EntryChecksumTests {
  private let id = "00P5g00000AbCdEAAV"

  @Test func isalComputesZlibsCRC32InAnyChunking() {
    var random = SeededRandom(seed: 42)
    for length in [0, 1, 7, 15, 16, 63, 64, 255, 4096, 65_537, 1 << 20] {
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      let zlib = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
      // In one call, and continued over uneven chunks as the reader's blocks arrive.
      var whole: UInt32 = 0
      var chunked: UInt32 = 0
      bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress {
          whole = crc32_gzip_refl(0, base, UInt64(buffer.count))
          var start = 0
          var step = 1
          while start < buffer.count {
            let count = min(step, buffer.count - start)
            chunked = crc32_gzip_refl(chunked, base + start, UInt64(count))
            start += count
            step = step * 3 + 1
          }
        }
      }
      #expect(whole == zlib, "length \(length)")
      #expect(chunked == zlib, "length \(length)")
    }
  }

  private func scanOne(_ entries: [RawZip.Entry]) throws -> (IngestResult, CollectingVisitor) {
    let directory = TemporaryDirectory()
    let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
    try RawZip.write(entries, to: path)
    return try scan([path])
  }

  @Test func damagedDataIsFoundAndTheOtherEntriesStayIntact() throws {
    var damaged = RawZip.Entry("Attachments/\(id)", Array(repeating: 7, count: 5000))
    damaged.statedCRCXor = 0x10
    let (result, visitor) = try scanOne([
      RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8)), damaged,
      RawZip.Entry("Contact.csv", Array("\"Id\"\n".utf8)),
    ])
    let corrupt = result.findings.filter { $0.code == .entryCorrupt }
    #expect(corrupt.map(\.location.entry) == ["Attachments/\(id)"])
    #expect(corrupt.first?.message.contains("ZIP bad CRC") == true)
    #expect(
      visitor.entries.filter { $0.outcome?.isComplete == true }.map(\.entry.path) == [
        "Account.csv", "Contact.csv",
      ])
  }

  @Test func entriesAreCheckedInTheirPlaceOnDiskNotTheirPlaceInTheDirectory() throws {
    // The directory lists two copies of one name in the other order than the file holds them;
    // the reader visits them by offset, and each must be held to its own CRC-32 (the name
    // cannot tell them apart).
    let first = RawZip.Entry("Attachments/\(id)", Array(repeating: 1, count: 3000))
    let second = RawZip.Entry("Attachments/\(id)", Array(repeating: 2, count: 3000))
    let directory = TemporaryDirectory()
    let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
    let bytes = try RawZip.write([first, second], to: path)
    // Swap the two central-directory records.
    let records = centralRecords(bytes)
    #expect(records.count == 2)
    var swapped = Array(bytes[..<records[0].lowerBound])
    swapped += bytes[records[1]] + bytes[records[0]]
    swapped += bytes[records[1].upperBound...]
    try Data(swapped).write(to: URL(fileURLWithPath: path))
    let (result, visitor) = try scan([path])
    #expect(result.findings.filter { $0.code == .entryCorrupt }.isEmpty, "\(result.findings)")
    #expect(visitor.entries.allSatisfy { $0.outcome?.isComplete == true })
  }

  @Test func anEntryTheReaderNamesDifferentlyIsCheckedByLibarchiveInstead() throws {
    // Made on DOS, a backslash is a folder separator to libarchive: it reports the name with a
    // slash, so the entry cannot be paired by name and is read again with libarchive checking.
    var damaged = RawZip.Entry("Attachments\\\(id)", Array(repeating: 9, count: 4000))
    damaged.statedCRCXor = 0x1
    let (result, _) = try scanOne([RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8)), damaged])
    let crc = result.findings.filter {
      $0.code == .entryCorrupt && $0.message.contains("ZIP bad CRC")
    }
    #expect(crc.count == 1, "\(result.findings)")
  }

  @Test func aDataDescriptorThatDisagreesWithTheDirectoryIsAnError() throws {
    // The data matches the directory's CRC-32 but not the descriptor's: a streaming extractor
    // reports damage where the others do not.
    let content = Array(repeating: UInt8(3), count: 2000)
    var streamed = RawZip.Entry("Attachments/\(id)", content)
    streamed.descriptorCRC = RawZip.crc(content) ^ 0xFF
    let (result, _) = try scanOne([RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8)), streamed])
    let disagreement = result.findings.filter {
      $0.code == .entryCorrupt && $0.message.contains("data descriptor")
    }
    #expect(disagreement.count == 1, "\(result.findings)")
    #expect(disagreement.first?.severity == .error)
    #expect(disagreement.first?.location.entry == "Attachments/\(id)")
  }

  @Test func aStreamedEntryWhoseDescriptorAgreesIsClean() throws {
    let content = Array(repeating: UInt8(4), count: 2000)
    var streamed = RawZip.Entry("Attachments/\(id)", content)
    streamed.descriptorCRC = RawZip.crc(content)
    let (result, visitor) = try scanOne([
      RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8)), streamed,
    ])
    #expect(result.findings.filter { $0.code == .entryCorrupt }.isEmpty, "\(result.findings)")
    #expect(visitor.entries.allSatisfy { $0.outcome?.isComplete == true })
  }

  /// The byte ranges of the central-directory records of an archive written by ``RawZip``.
  private func centralRecords(_ bytes: [UInt8]) -> [Range<Int>] {
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    let end = bytes.count - 22
    var cursor = u32(end + 16)
    var records: [Range<Int>] = []
    while cursor + 46 <= end, u32(cursor) == 0x0201_4b50 {
      let length = 46 + u16(cursor + 28) + u16(cursor + 30) + u16(cursor + 32)
      records.append(cursor..<(cursor + length))
      cursor += length
    }
    return records
  }
}
