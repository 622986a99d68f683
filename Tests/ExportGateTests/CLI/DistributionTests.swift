import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The tarball `make dist` builds (and `make test` builds before the suite): a binary that runs
/// without a Swift toolchain, its man page and completions.
enum Distribution {
  static let folder = SharedCorpus.projectRoot + "/.build/dist"

  /// This version's tarball, when built.
  static var tarball: String? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.first {
      $0.hasPrefix("exportgate-\(ExportGateVersion.current)-linux-") && $0.hasSuffix(".tar.gz")
    }.map { folder + "/" + $0 }
  }
}

@Suite(
  .enabled(
    if: Distribution.tarball != nil || SharedCorpus.isRequired,
    "needs the tarball `make dist` builds (make test builds it first)"))
struct DistributionTests {
  @Test func theStandaloneBinaryVerifiesTheExampleWithoutSwift() throws {
    let tarball = try #require(Distribution.tarball, "make test runs make dist first")
    let directory = TemporaryDirectory()
    let untar = try ExportGateBinary.run(
      ["-xzf", tarball, "-C", directory.path], binary: "/bin/tar")
    #expect(untar.status == 0, "\(untar.standardError)")
    let root =
      directory.path + "/"
      + ((tarball as NSString).lastPathComponent as NSString).deletingPathExtension
      .replacingOccurrences(of: ".tar", with: "")
    let binary = root + "/bin/exportgate"

    // No Swift runtime needed: nothing from the toolchain is linked dynamically.
    let ldd = try ExportGateBinary.run([binary], binary: "/usr/bin/ldd")
    #expect(ldd.status == 0)
    #expect(!ldd.standardOutput.contains("libswift"), "\(ldd.standardOutput)")
    #expect(!ldd.standardOutput.contains("libFoundation"), "\(ldd.standardOutput)")
    #expect(ldd.standardOutput.contains("libarchive"))

    // Run with an environment that cannot reach the toolchain's libraries.
    let example = SharedCorpus.projectRoot + "/Fixtures/example"
    let verify = try ExportGateBinary.run(
      ["-i", "PATH=/usr/bin:/bin", binary, "verify", example, "--quiet", "--no-color"],
      binary: "/usr/bin/env")
    #expect(verify.status == 0, "\(verify.standardError)")
    #expect(verify.standardOutput.hasPrefix("CERTIFIED"))
    let version = try ExportGateBinary.run([binary, "--version"], binary: "/usr/bin/env")
    #expect(version.standardOutput.contains(ExportGateVersion.current))

    // The man page and the completions travel with it.
    let manual = try String(contentsOfFile: root + "/share/man/man1/exportgate.1", encoding: .utf8)
    #expect(manual.contains(".Dt EXPORTGATE 1"))
    #expect(manual.contains("Exit codes"))
    let bash = try String(
      contentsOfFile: root + "/share/bash-completion/completions/exportgate", encoding: .utf8)
    #expect(bash.contains("verify"))
    #expect(
      FileManager.default.fileExists(atPath: root + "/share/zsh/site-functions/_exportgate"))
    #expect(
      FileManager.default.fileExists(
        atPath: root + "/share/fish/vendor_completions.d/exportgate.fish"))
  }
}
