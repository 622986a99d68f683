import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// `fetch` against an org (or a man in the middle, or a captive portal) that lies, and a disk
/// where someone else planted links: what is saved is a part, whole, of this export, or nothing.
@Suite(.serialized) struct HostileFetchTests {
  typealias Setup = FetchTests.Setup

  /// A fake org serving the export with the faults `change` sets (given the first part's
  /// name); stop it when done.
  func org(_ change: (inout FakeOrg.Faults, String) -> Void) throws -> Setup {
    let setup = try Setup()
    var faults = FakeOrg.Faults()
    change(&faults, (setup.parts[0] as NSString).lastPathComponent)
    try setup.org.setFaults(faults)
    return setup
  }

  func refusal(_ body: () throws -> Void) -> ExportFetcher.Failure? {
    do {
      try body()
    } catch let failure as ExportFetcher.Failure {
      return failure
    } catch {
      Issue.record("unexpected \(error)")
    }
    return nil
  }

  @Test(arguments: [
    "../../escaped.ZIP", "/tmp/absolute.ZIP", "export-parts.json", "org-inventory.json",
    "WE_00D5g000004ExAmEAK_1.ZIP\\..\\x", "WE_..\\00D5g000004ExAmEAK_9.ZIP",
    "WE_00D5g000004ExAmEAK_+9.ZIP", "WE_00D5g000004ExAmEAK_0.ZIP",
  ])
  func aPartNameThatIsNotAPartsIsRefusedBeforeAnyDownload(_ name: String) throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.extraPartNames = [name]
    try setup.org.setFaults(faults)
    let failure = refusal { _ = try setup.fetch() }
    #expect(failure?.kind == .refused)
    #expect(failure?.description.contains("WE_<OrgId>_<n>.ZIP") == true)
    let folder = setup.directory.file("fetched")
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: setup.directory.file("escaped.ZIP")))
    #expect(
      setup.parts.allSatisfy { setup.org.requests(for: ($0 as NSString).lastPathComponent) == 0 })
  }

  @Test func aPartListedTwiceIsRefused() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.extraPartNames = [
      ((setup.parts[0] as NSString).lastPathComponent as NSString).deletingPathExtension + ".zip"
    ]
    try setup.org.setFaults(faults)
    let failure = refusal { _ = try setup.fetch() }
    #expect(failure?.kind == .refused)
    #expect(failure?.description.contains("twice") == true)
  }

  @Test func aLinkPlantedAtThePartialNameIsNeverWrittenThrough() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let folder = setup.directory.file("fetched")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let victim = setup.directory.file("victim.txt")
    try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
    let first = (setup.parts[0] as NSString).lastPathComponent
    #expect(symlink(victim, (folder as NSString).appendingPathComponent(".\(first).partial")) == 0)
    // A hard link to the victim under the second part's partial name.
    let second = (setup.parts[1] as NSString).lastPathComponent
    #expect(link(victim, (folder as NSString).appendingPathComponent(".\(second).partial")) == 0)
    let (report, fetched) = try setup.fetch()
    #expect(report.isComplete, "\(report.failed)")
    #expect(try setup.identical(fetched))
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
  }

  @Test func aJSONBodyLabelledAsAZipIsNeverKept() throws {
    let setup = try org { faults, first in faults.jsonInstead = [first] }
    defer { setup.org.stop() }
    let victim = (setup.parts[0] as NSString).lastPathComponent
    let failure = refusal { _ = try setup.fetch() }
    #expect(failure?.kind == .refused)
    #expect(failure?.description.contains("JSON") == true)
    let folder = setup.directory.file("fetched")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    #expect(!names.contains(victim))
    #expect(!names.contains(".\(victim).partial"))
  }

  @Test func aResumeAnsweredForOtherBytesIsNeverStitched() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[1] as NSString).lastPathComponent
    var faults = FakeOrg.Faults()
    faults.dropOnce = [victim]
    faults.contentRangeShift = 7
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    // The stitched answer is refused; the part is fetched again from its first byte.
    #expect(report.isComplete, "\(report.failed)")
    #expect(try setup.identical(folder))
    #expect(setup.org.requests(for: victim) == 3)
  }

  @Test func anEndlessBodyEndsInAClearErrorAndLeavesNoPart() throws {
    let setup = try org { faults, first in faults.endless = [first] }
    defer { setup.org.stop() }
    let victim = (setup.parts[0] as NSString).lastPathComponent
    let (report, folder) = try setup.fetch()
    let failed = try #require(report.failed.first { $0.location.part == victim })
    #expect(failed.code == .partNotDownloaded)
    #expect(failed.message.contains("more than"))
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    #expect(!names.contains(victim) && !names.contains(".\(victim).partial"))
  }

  @Test func bytesOfTheRightLengthThatAreNoWholeZipAreNotAPart() throws {
    let setup = try org { faults, first in faults.garbageTail = [first] }
    defer { setup.org.stop() }
    let victim = (setup.parts[0] as NSString).lastPathComponent
    let (report, folder) = try setup.fetch()
    let failed = try #require(report.failed.first { $0.location.part == victim })
    #expect(failed.message.contains("not a whole ZIP"))
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    #expect(!names.contains(victim))
  }

  @Test func aFolderHoldingAnotherExportsPartsIsNotMixedWithThisOne() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let folder = setup.directory.file("fetched")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let stranger = (folder as NSString).appendingPathComponent("WE_00D000000000062AAA_7.ZIP")
    try Data("old".utf8).write(to: URL(fileURLWithPath: stranger))
    let failure = refusal { _ = try setup.fetch() }
    #expect(failure?.kind == .refused)
    #expect(failure?.description.contains("WE_00D000000000062AAA_7.ZIP") == true)
    #expect(try String(contentsOfFile: stranger, encoding: .utf8) == "old")
  }

  @Test func verifyRefusesAFolderWhosePartsComeFromTwoExports() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete)
    // A part of another export of the same org copied in beside the list.
    let stranger = (folder as NSString).appendingPathComponent(
      "WE_\(ExportGenerator.orgId)_9.ZIP")
    try FixtureWriter.writeZip(at: stranger, entries: [("Note9.txt", Array("other".utf8))])
    let verification = try ExportVerifier().verify(paths: [folder])
    #expect(!verification.isCertified)
    let mixed = verification.typedFindings.filter { $0.code == .partListMismatch }
    #expect(mixed.count == 1)
    #expect(mixed.first?.location.part == "WE_\(ExportGenerator.orgId)_9.ZIP")
    #expect(mixed.first?.message.contains("another export") == true)
  }

  @Test func aCorruptPartListIsRefusedNotIgnored() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let folder = setup.directory.file("fetched")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try "{ not json".write(
      toFile: (folder as NSString).appendingPathComponent(ExportPartList.fileName),
      atomically: true, encoding: .utf8)
    let failure = refusal { _ = try setup.fetch() }
    #expect(failure?.kind == .refused)
    #expect(failure?.description.contains("cannot be read") == true)
  }

  @Test func contentRangesAreReadStrictly() {
    let range = ContentRange("bytes 100-199/200")
    #expect(range?.start == 100 && range?.end == 199 && range?.total == 200)
    #expect(ContentRange("bytes 100-199/*") == nil)
    #expect(ContentRange("bytes 200-100/300") == nil)
    #expect(ContentRange("bytes -1-5/9") == nil)
    #expect(ContentRange("bytes 0-9/5") == nil)
    #expect(ContentRange("items 0-1/2") == nil)
  }
}

/// fetch on a disk that fills up part-way (a small tmpfs, behind a page that understates the
/// parts' sizes so the check before the start passes): one clear error naming the full disk,
/// no part kept that is not whole, and the next run with room resumes and completes.
@Suite(.serialized, .enabled(if: SmallDisk.isAvailable, "needs root to mount a small tmpfs"))
struct FetchFullDiskTests {
  @Test func aFullDiskEndsFetchWithItsCauseAndTheNextRunCompletes() throws {
    let setup = try FetchTests.Setup()
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.understateSizes = true
    try setup.org.setFaults(faults)
    let disk = try SmallDisk(bytes: 32 << 10)
    var options = ExportFetcher.Options(destination: disk.file("fetched"))
    options.retryDelay = 0.01
    options.timeout = 10
    do {
      _ = try ExportFetcher(options: options).fetch(session: setup.session)
      Issue.record("fetch completed on a disk too small for the export")
    } catch let failure as ExportFetcher.Failure {
      #expect(failure.kind == .diskFull)
      #expect(failure.description.contains("is full"))
      #expect(failure.description.contains("No space left on device"))
      #expect(failure.description.contains("run fetch again"))
    }
    // Every part under its own name is whole.
    let served = Dictionary(
      uniqueKeysWithValues: setup.parts.map { (($0 as NSString).lastPathComponent, $0) })
    for name in try FileManager.default.contentsOfDirectory(atPath: options.destination)
    where name.hasSuffix(".ZIP") && !name.hasPrefix(".") {
      let original = try #require(served[name])
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: disk.file("fetched/\(name)")))
          == Data(contentsOf: URL(fileURLWithPath: original)), "\(name)")
    }
    try disk.resize(bytes: 4 << 20)
    let report = try ExportFetcher(options: options).fetch(session: setup.session)
    #expect(report.isComplete, "\(report.failed)")
    #expect(try setup.identical(options.destination))
  }
}
