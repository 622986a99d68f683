import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// A part that changes between two attempts (the org regenerated it, or something between us
/// and the org answers for other bytes) is fetched whole from its first byte, never stitched
/// from the old bytes kept and the new ones: a resume is asked with `If-Range` and its answer
/// must carry the validators the download began under.
@Suite(.serialized) struct ResumeValidatorTests {
  typealias Setup = FetchTests.Setup

  /// A ZIP other than the victim part, longer than the half of it a dropped download keeps
  /// (so a stitched answer would have the right length and end record), dated a day later.
  func replacement(for setup: Setup, part: String) throws -> (path: String, bytes: Data) {
    let size = try Data(contentsOf: URL(fileURLWithPath: part)).count
    var random = SeededRandom(seed: 26)
    let path = setup.directory.file("changed.ZIP")
    try FixtureWriter.writeZip(
      at: path, entries: [("Changed.bin", random.bytes(size))],
      compression: .store)
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(86_400)], ofItemAtPath: path)
    return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  func fetched(_ folder: String, _ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
  }

  @Test(arguments: ["both", "etag", "lastModified", "weak"])
  func aPartThatChangedBetweenAttemptsComesWholeNeverStitched(_ validators: String) throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[1] as NSString).lastPathComponent
    let changed = try replacement(for: setup, part: setup.parts[1])
    var faults = FakeOrg.Faults()
    faults.validators = validators
    faults.dropOnce = [victim]
    faults.changedAfterFirst = [victim: changed.path]
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete, "\(report.failed)")
    #expect(try fetched(folder, victim) == changed.bytes)
    // The resume named the bytes it wanted, and the org sent the changed part whole at once.
    #expect(setup.org.requests(for: victim) == 2)
  }

  @Test func aRestUnderOtherValidatorsIsRefusedAndThePartFetchedAgain() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[1] as NSString).lastPathComponent
    let changed = try replacement(for: setup, part: setup.parts[1])
    var faults = FakeOrg.Faults()
    faults.dropOnce = [victim]
    faults.changedAfterFirst = [victim: changed.path]
    faults.ignoreIfRange = true
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete, "\(report.failed)")
    #expect(try fetched(folder, victim) == changed.bytes)
    #expect(setup.org.requests(for: victim) == 3)
  }

  @Test func aPartialKeptFromAnEarlierRunResumesOnlyTheSameBytes() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[1] as NSString).lastPathComponent
    var faults = FakeOrg.Faults()
    faults.alwaysShort = [victim]
    try setup.org.setFaults(faults)
    let (first, folder) = try setup.fetch(retries: 0)
    #expect(first.failed.map { $0.location.part } == [victim])
    let list = try #require(try ExportPartList.load(folder: folder))
    #expect(list.parts.first { $0.name == victim }?.validators?.etag != nil)
    #expect(
      FileManager.default.fileExists(
        atPath: (folder as NSString).appendingPathComponent(".\(victim).partial")))

    // Between the runs the org's part changed under the same name.
    let changed = try replacement(for: setup, part: setup.parts[1])
    try setup.org.setFaults(FakeOrg.Faults())
    try FileManager.default.removeItem(atPath: setup.parts[1])
    try FileManager.default.copyItem(atPath: changed.path, toPath: setup.parts[1])
    let (second, _) = try setup.fetch(retries: 0)
    #expect(second.isComplete, "\(second.failed)")
    #expect(try fetched(folder, victim) == changed.bytes)
  }

  @Test func aPartialOfUnknownOriginIsNotResumed() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[1] as NSString).lastPathComponent
    let changed = try replacement(for: setup, part: setup.parts[1])
    let folder = setup.directory.file("fetched")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // Someone's half of another file, left under the partial name with no part list beside it.
    try changed.bytes.prefix(changed.bytes.count / 2).write(
      to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(".\(victim).partial")))
    let (report, _) = try setup.fetch()
    #expect(report.isComplete, "\(report.failed)")
    #expect(try setup.identical(folder))
  }

  @Test func validatorsAreReadStrictly() {
    let valid = PartValidators(etag: "\"abc\"", lastModified: "Sat, 05 Dec 2026 10:00:00 GMT")
    #expect(valid.contradict(["etag": "\"abc\""]) == nil)
    #expect(valid.contradict(["etag": "\"abd\""])?.contains("ETag") == true)
    #expect(
      valid.contradict(["last-modified": "Sun, 06 Dec 2026 10:00:00 GMT"])?.contains(
        "Last-Modified") == true)
    // An answer without validators says nothing against them (Content-Range still guards).
    #expect(valid.contradict([:]) == nil)
    // If-Range takes a strong ETag, else the date; a value read back from a crafted list that
    // would inject a header is never sent.
    #expect(valid.ifRange == "\"abc\"")
    #expect(PartValidators(etag: "W/\"abc\"", lastModified: "x").ifRange == "x")
    #expect(PartValidators(etag: "\"a\"\r\nCookie: sid=1", lastModified: nil).ifRange == nil)
    #expect(PartValidators(headers: ["etag": "\"a\"\nX: y"]).etag == nil)
  }
}
