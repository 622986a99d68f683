import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// No input may hang a run, take the machine down, or be overwritten: anything that is not a
/// regular file is refused at once, costs follow the parts given, outputs never replace inputs.
@Suite(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct HostileInputTests {
  let example = SharedCorpus.projectRoot + "/Fixtures/example"
  let part = "WE_\(ExportGenerator.orgId)_1.ZIP"

  @Test func aFIFONamedAsAPartIsRefusedAtOnce() throws {
    let directory = TemporaryDirectory()
    let fifo = directory.file(part)
    #expect(mkfifo(fifo, 0o644) == 0)
    let run = try ExportGateBinary.run(["verify", fifo], timeoutSeconds: 20)
    #expect(run.status == 2)
    #expect(run.standardError.contains("FIFO"))
    // The same FIFO inside a folder of parts is not taken as a part.
    let folderRun = try ExportGateBinary.run(["verify", directory.path], timeoutSeconds: 20)
    #expect(folderRun.status == 2, "\(folderRun.standardError)")
  }

  @Test(arguments: ["/dev/zero", "/dev/urandom"])
  func aDeviceAsAPartIsRefusedAtOnce(device: String) throws {
    let run = try ExportGateBinary.run(["verify", device], timeoutSeconds: 20)
    #expect(run.status == 2)
    #expect(run.standardError.contains("character device"))
  }

  @Test(arguments: ["--policy", "--expect-counts", "--expect-checksums"])
  func aDeviceAsAnInputFileIsRefusedAtOnce(flag: String) throws {
    let run = try ExportGateBinary.run(["verify", example, flag, "/dev/zero"], timeoutSeconds: 20)
    #expect(run.status == 2)
    #expect(run.standardError.contains("character device"), "\(run.standardError)")
  }

  @Test func aHugePartNumberCostsOnlyThePartsGiven() throws {
    let directory = TemporaryDirectory()
    let export = ExampleExport.make()
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    // The last part renamed with a huge number, and a part of another export's bytes (the
    // first part's, changed by one byte so it is no byte-identical copy) with an even larger.
    try FileManager.default.moveItem(
      atPath: paths[1], toPath: directory.file("WE_\(ExportGenerator.orgId)_20251124.ZIP"))
    var other = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    other.append(0)
    try other.write(
      to: URL(
        fileURLWithPath: directory.file("WE_\(ExportGenerator.orgId)_9223372036854775807.ZIP")))
    let binary = try #require(ExportGateBinary.path)
    let peak = try ExportGateBinary.peakResidentKiB(binary, ["verify", directory.path])
    #expect(peak < 1 << 20, "peak \(peak) KiB")
    let run = try ExportGateBinary.run(
      ["verify", directory.path, "--format", "json"], timeoutSeconds: 60)
    #expect(run.status == 1)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    let findings = try #require(json["findings"] as? [[String: Any]])
    let gaps = findings.filter { $0["code"] as? String == "part-missing" }
    #expect(gaps.count == 2, "\(gaps)")
    #expect(!gaps.contains { ($0["message"] as? String)?.hasPrefix("part 1 ") == true })
    #expect(gaps.contains { ($0["message"] as? String)?.contains("renamed by hand") == true })
  }

  @Test func aRowOfMillionsOfCommasStaysBounded() throws {
    let directory = TemporaryDirectory()
    var content = Array("\"Id\",\"Name\"\n".utf8)
    content += [UInt8](repeating: UInt8(ascii: ","), count: 20_000_000)
    content += Array("\n".utf8)
    let path = directory.file(part)
    try FixtureWriter.writeZip(at: path, entries: [("Account.csv", content)])
    let binary = try #require(ExportGateBinary.path)
    let peak = try ExportGateBinary.peakResidentKiB(binary, ["verify", path])
    #expect(peak < 1 << 20, "peak \(peak) KiB")
    let run = try ExportGateBinary.run(["verify", path, "--format", "json"], timeoutSeconds: 60)
    #expect(run.status == 1)
    #expect(run.standardOutput.contains("more than 20000 fields"))
    let cat = try ExportGateBinary.run(["cat", path, "--object", "Account"], timeoutSeconds: 60)
    #expect(cat.status == 1, "\(cat.standardError)")
    #expect(
      try ExportGateBinary.peakResidentKiB(binary, ["cat", path, "--object", "Account"]) < 1 << 20)
  }

  @Test func reportsAndCertificatesNeverReplaceAnInput() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.path)
    let before = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    let link = directory.file("link-to-part.json")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: paths[0])
    for output in [
      ["--report", "json:\(paths[0])"], ["--report", "html:\(link)"], ["--certificate", paths[1]],
    ] {
      let run = try ExportGateBinary.run(["verify", directory.path] + output, timeoutSeconds: 60)
      #expect(run.status == 2, "\(output)")
      #expect(run.standardError.contains("is one of the inputs"), "\(run.standardError)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: paths[0])) == before)
  }

  @Test func aPrivateKeyIsCreatedPrivateAndAnOpenOneIsRefused() throws {
    let directory = TemporaryDirectory()
    let key = directory.file("signing.pem")
    let generated = try ExportGateBinary.run(["key", "generate", key], timeoutSeconds: 20)
    #expect(generated.status == 0)
    let mode = try #require(
      try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int)
    #expect(mode & 0o077 == 0, "mode \(String(mode, radix: 8))")
    // Generating again never replaces a key.
    #expect(try ExportGateBinary.run(["key", "generate", key], timeoutSeconds: 20).status == 2)
    #expect(chmod(key, 0o644) == 0)
    let certificate = directory.file("certificate.json")
    let run = try ExportGateBinary.run(
      ["verify", example, "--certificate", certificate, "--sign-key", key], timeoutSeconds: 60)
    #expect(run.status == 2)
    #expect(run.standardError.contains("may be read by others"))
    #expect(!FileManager.default.fileExists(atPath: certificate))
  }

  @Test func inputFileErrorsNameTheRealCauseInOneLine() throws {
    let directory = TemporaryDirectory()
    let counts = directory.file("counts.csv")
    try "Object,Count\nAccount,many\n".write(toFile: counts, atomically: true, encoding: .utf8)
    let run = try ExportGateBinary.run(
      ["verify", example, "--expect-counts", counts], timeoutSeconds: 60)
    #expect(run.status == 2)
    #expect(run.standardError.contains("counts file \(counts) line 2"), "\(run.standardError)")
    #expect(!run.standardError.contains("policy"))
    let missing = try ExportGateBinary.run(
      ["certificate", "check", directory.file("nope.json"), example], timeoutSeconds: 20)
    #expect(missing.status == 2)
    #expect(missing.standardError.split(separator: "\n").count == 1, "\(missing.standardError)")
    #expect(missing.standardError.contains("no such file"))
  }

  @Test(
    .enabled(
      if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
      "needs root to run as another user"))
  func aPartWeMayNotReadIsPermissionDenied() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.path)
    #expect(chmod(paths[0], 0o000) == 0)
    _ = chmod(directory.path, 0o755)
    // A copy `nobody` can execute wherever the checkout lives (a clone inside a private 0700
    // folder, as home directories often are, puts the build out of its reach).
    // Written through a descriptor closed on exec: a child another test spawns meanwhile
    // must not keep it open for writing ("Text file busy" when `nobody` runs the copy).
    let binary = directory.file("exportgate")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(ExportGateBinary.path)))
    let descriptor = open(binary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
    #expect(descriptor >= 0)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    #expect(written == bytes.count && close(descriptor) == 0)
    var run = try ExportGateBinary.run(
      ["-u", "nobody", "--", binary, "verify", paths[0]], binary: "/usr/sbin/runuser")
    // A child forked in the instant the copy was open may still hold it: try again.
    for _ in 0..<20 where run.standardError.contains("Text file busy") {
      usleep(100_000)
      run = try ExportGateBinary.run(
        ["-u", "nobody", "--", binary, "verify", paths[0]], binary: "/usr/sbin/runuser")
    }
    #expect(run.status == 2, "\(run.standardError)")
    #expect(run.standardError.contains("permission denied"), "\(run.standardError)")
  }
}

@Suite struct ExtractedFolderHostilityTests {
  @Test func aFIFOInPlaceOfABinaryIsNotAPresentFile() throws {
    let export = smallExport()
    let report = try verifyFixture(export, asFolder: true) { _, directory in
      let victim = try #require(export.files.first { $0.folder == "Attachments" })
      let path = (directory as NSString).appendingPathComponent("Attachments/\(victim.name)")
      try FileManager.default.removeItem(atPath: path)
      #expect(mkfifo(path, 0o644) == 0)
    }
    #expect(!report.isCertified)
    let named = try #require(findings(report, .entryCorrupt).first)
    #expect(named.message.contains("FIFO"))
  }

  @Test func aFolderOfPartsThatAlsoHoldsExtractedFilesSaysSo() throws {
    let directory = TemporaryDirectory()
    try FixtureWriter.writeParts(smallExport(), to: directory.path)
    try "\"Id\"\n".write(toFile: directory.file("Account.csv"), atomically: true, encoding: .utf8)
    let report = try ExportVerifier().verify(paths: [directory.path])
    let note = try #require(findings(report, .entryUnexpected).first { $0.severity == .warning })
    #expect(note.message.contains("only the ZIP parts are verified"))
  }
}
