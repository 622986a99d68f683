import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// The structure audit announces a part's headers to the device only where the page cache does
/// not hold them: what it finds must not depend on which way it went.
@Suite struct HeaderReadAheadTests {
  /// A part of 100 entries (several groups of announcements), some of whose local headers
  /// disagree with the directory, so that the audit has findings to compare.
  static func writePart(in directory: TemporaryDirectory) throws -> PartFile {
    var entries: [RawZip.Entry] = []
    for index in 0..<100 {
      var entry = RawZip.Entry(
        "Attachments/00P5g00000Ab\(String(format: "%03d", index))", Array(repeating: 7, count: 5000)
      )
      if index % 17 == 3 { entry.localName = Array("Attachments/someone-elses-\(index)".utf8) }
      if index % 23 == 5 { entry.localMethod = 8 }
      if index % 29 == 7 { entry.descriptorCRC = 0xDEAD_BEEF }
      entries.append(entry)
    }
    let path = directory.file("WE_00D5g000004ExAmEAK_1.ZIP")
    try RawZip.write(entries, to: path)
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    return PartFile(path: path, bytes: Int64(size))
  }

  static func audit(_ part: PartFile) throws -> ZipStructure {
    try #require(ZipStructure(part: part, probe: ZipProbe(path: part.path, fileSize: part.bytes)))
  }

  static func withPart<T>(_ part: PartFile, _ body: (ZipStructure.Reader) throws -> T) throws -> T {
    let descriptor = open(part.path, O_RDONLY)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    return try body(ZipStructure.Reader(descriptor: descriptor, size: part.bytes))
  }

  @Test func bytesJustReadAreCachedAndBytesPastTheEndAreNot() throws {
    let directory = TemporaryDirectory()
    let part = try Self.writePart(in: directory)
    _ = try Data(contentsOf: URL(fileURLWithPath: part.path))
    try Self.withPart(part) { reader in
      #expect(reader.isCached(at: 0, count: 100))
      #expect(!reader.isCached(at: part.bytes, count: 100))
      #expect(!reader.isCached(at: -1, count: 100))
    }
  }

  /// Drops the part from the page cache; whether it is out.
  static func evict(_ part: PartFile) throws -> Bool {
    try withPart(part) { reader in
      fsync(reader.descriptor)
      _ = posix_fadvise(reader.descriptor, 0, 0, POSIX_FADV_DONTNEED)
      return !reader.isCached(at: 0, count: 100)
    }
  }

  @Test func aPartOutOfThePageCacheIsAuditedAsOneInIt() throws {
    // A tmpfs keeps pages it is asked to drop: then the part goes under the checkout's
    // `.build`, on the disk the project lives on.
    var directory = TemporaryDirectory()
    var part = try Self.writePart(in: directory)
    if !(try Self.evict(part)) {
      directory = TemporaryDirectory(
        "exportgate-read-ahead", in: SharedCorpus.projectRoot + "/.build")
      part = try Self.writePart(in: directory)
    }
    _ = try Data(contentsOf: URL(fileURLWithPath: part.path))
    let warm = try Self.audit(part)
    #expect(!warm.findings.isEmpty)
    let evicted = try Self.evict(part)
    let cold = try Self.audit(part)
    #expect(cold.findings.map(\.message) == warm.findings.map(\.message))
    #expect(cold.entries.map(\.dataOffset) == warm.entries.map(\.dataOffset))
    #expect(cold.entries.map(\.localName) == warm.entries.map(\.localName))
    #expect(cold.entries.map(\.hasPlainHeaders) == warm.entries.map(\.hasPlainHeaders))
    // Both ways were taken: the cold one is what this test is for.
    #expect(evicted, "the page cache kept \(part.path): only the cached path was audited")
  }
}
