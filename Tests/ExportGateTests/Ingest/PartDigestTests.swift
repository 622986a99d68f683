import Crypto
import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Each part's SHA-256 comes from the reads that stream its entries (one read per part), with
/// whatever those reads skip hashed beside them. Whichever path a part takes (read whole, entries
/// skipped, salvaged, refused, unreadable), the digest must be the file's, byte for byte.
@Suite struct PartDigestTests {
  private func fileDigest(_ path: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }

  /// `visitor` makes one visitor per part: a visitor is touched by one worker only (one shared
  /// by parts read at once would be a data race).
  private func digests(
    _ paths: [String], visitor: () -> BundleVisitor? = { nil }, jobs: Int = 2
  ) throws -> [String: String?] {
    let bundle = try BundleLocator.locate(paths)
    let scanner = BundleScanner(bundle: bundle, jobs: jobs)
    let result = scanner.scan(visitors: (0..<scanner.sourceCount).map { _ in visitor() })
    var found: [String: String?] = [:]
    for part in result.parts { found[part.path] = part.sha256 }
    return found
  }

  /// Large stored binaries, several parts: reads of 1 MiB, many of them per entry.
  private func largeExport() -> FixtureExport {
    var export = smallExport()
    export.compression = .store
    export.maxPartBytes = 1_500_000
    for index in export.files.indices {
      export.files[index].content = Array(
        repeating: UInt8(truncatingIfNeeded: index), count: 700_000 + index * 1_337)
    }
    return export
  }

  @Test(arguments: [1, 2])
  func everyPartsDigestIsTheFilesWhenEverythingIsRead(jobs: Int) throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(largeExport(), to: directory.path)
    #expect(paths.count >= 2)
    let found = try digests(paths, visitor: { CollectingVisitor() }, jobs: jobs)
    for path in paths { #expect(found[path] == (try fileDigest(path)), "\(path)") }
  }

  /// A visitor whose sinks want only the first bytes of each entry: libarchive then skips the
  /// rest of every entry, and the hash must still cover those bytes.
  private final class FirstChunkOnly: BundleVisitor {
    final class Sink: EntrySink {
      var seen = false
      func consume(_ chunk: UnsafeRawBufferPointer) { seen = true }
      func finish(_ outcome: EntryOutcome) {}
      var isSatisfied: Bool { seen }
    }
    func sink(for entry: BundleEntry) -> EntrySink? { Sink() }
  }

  /// Skips every binary without inflating it.
  private final class CSVOnly: BundleVisitor {
    func sink(for entry: BundleEntry) -> EntrySink? { nil }
    func skips(_ entry: BundleEntry) -> Bool { !entry.path.hasSuffix(".csv") }
  }

  @Test func bytesTheReaderSkipsAreHashedAllTheSame() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(largeExport(), to: directory.path)
    for makeVisitor in [{ FirstChunkOnly() }, { CSVOnly() }] as [() -> BundleVisitor] {
      let found = try digests(paths, visitor: makeVisitor)
      for path in paths { #expect(found[path] == (try fileDigest(path)), "\(path)") }
    }
  }

  @Test func aTruncatedPartsDigestIsOfWhatIsThere() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(largeExport(), to: directory.path)
    try FaultInjector.truncate(paths[0], keeping: 900_000)
    let found = try digests(paths, visitor: { CollectingVisitor() })
    for path in paths { #expect(found[path] == (try fileDigest(path)), "\(path)") }
  }

  @Test func aPartWithLeadingBytesIsHashedFromItsFirstByte() throws {
    // Junk before the ZIP (a self-extractor's stub): offsets in the directory are off by it.
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(largeExport(), to: directory.path)
    let original = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    try (Data(repeating: 0x5A, count: 70_000) + original).write(to: URL(fileURLWithPath: paths[0]))
    let found = try digests(paths, visitor: { CollectingVisitor() })
    for path in paths { #expect(found[path] == (try fileDigest(path)), "\(path)") }
  }

  @Test func partsThatAreNeverInflatedAreHashedAllTheSame() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(largeExport(), to: directory.path)
    try FaultInjector.replaceWithLoginPage(paths[0])
    try FaultInjector.breakCentralDirectory(paths[1])
    let found = try digests(paths, visitor: { CollectingVisitor() })
    for path in paths { #expect(found[path] == (try fileDigest(path)), "\(path)") }
  }
}
