import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Damage of every kind, at random places: the readers never crash or hang, and a damaged part
/// is never read as if it were whole.
@Suite struct DamageRobustnessTests {
  @Test(arguments: 0..<25)
  func randomBytesNeverCrashTheCSVParser(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &+ 1000)
    let alphabet: [UInt8] = [
      0x22, 0x2C, 0x0A, 0x0D, 0x00, 0x41, 0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF, 0x20,
    ]
    let bytes = (0..<random.below(3000)).map { _ in
      random.chance(70)
        ? alphabet[random.below(alphabet.count)] : UInt8(truncatingIfNeeded: random.next())
    }
    let whole = parseCSV(bytes).collected
    let pieces = parseCSV(bytes, chunkSize: 1 + random.below(17)).collected
    #expect(whole.records == pieces.records, "chunking must not change the result")
    #expect(whole.malformations.count == pieces.malformations.count)
  }

  @Test(arguments: 0..<20)
  func bitFlipsInAPartAreNamedNeverCrash(seed: Int) throws {
    var random = SeededRandom(seed: UInt64(seed) &+ 77)
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.compression = random.chance(50) ? .store : .deflate
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    var data = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    let flips = 1 + random.below(4)
    for _ in 0..<flips {
      let offset = random.below(data.count)
      data[offset] ^= UInt8(1 << random.below(8))
    }
    try data.write(to: URL(fileURLWithPath: paths[0]))
    let report = try ExportVerifier().verify(paths: paths)
    // A flipped bit lands in data (CRC), a header, the directory or a CSV: whichever, the
    // export must not certify as if nothing happened, unless the flip hit bytes no reader uses
    // (an extra field's timestamp); then every object and file must still be read intact.
    if report.isCertified {
      let complete = report.objects.allSatisfy { $0.complete }
      #expect(complete)
      #expect(report.files.reduce(0) { $0 + $1.present } == export.files.count)
      #expect(
        report.objects.reduce(0) { $0 + $1.records }
          == export.tables.reduce(0) { $0 + $1.rows.count })
    }
  }

  @Test(arguments: [0.05, 0.3, 0.5, 0.7, 0.95, 0.999])
  func aPartCutAnywhereIsTruncated(fraction: Double) throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path)
    let size = try Data(contentsOf: URL(fileURLWithPath: paths[0])).count
    try FaultInjector.truncate(paths[0], keeping: Int(Double(size) * fraction))
    let report = try ExportVerifier().verify(paths: paths)
    #expect(!report.isCertified)
    #expect(report.typedFindings.contains { $0.code == .partTruncated || $0.code == .partCorrupt })
  }
}
