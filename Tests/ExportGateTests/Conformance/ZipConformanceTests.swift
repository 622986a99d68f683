import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Every archive of `../shared/conformance/zip/` against what this machine's libarchive (bsdtar)
/// was observed to do with it: ExportGate must read what bsdtar extracts without an integrity
/// finding, and name at least one problem in what bsdtar cannot extract. Never a crash or hang.
@Suite(.enabled(if: SharedCorpus.shouldRun, "needs ../shared/conformance (absent in this clone)"))
struct ZipConformanceTests {
  struct Observation: Sendable, CustomTestStringConvertible {
    let file: String
    let extractSucceeded: Bool
    let bsdtarError: String
    var testDescription: String { file }
  }

  static let integrityCodes: Set<FindingCode> = [
    .partUnreadable, .partTruncated, .partCorrupt, .partZipBomb, .entryCorrupt, .entryEncrypted,
  ]

  /// Where ExportGate is stricter than bsdtar on purpose, and why. (Links and names with
  /// backslashes, which bsdtar extracts, are always `entry-unsafe-path` errors: see the test.)
  static let stricterThanBsdtar: [String: String] = [
    "libarchive/test_read_format_zip_extra_padding.zip":
      "no end-of-central-directory record (its signature is damaged in this copy): a part without one is truncated; bsdtar streams the local headers instead",
    "libzip/incons-eocd-magic-bad.zip":
      "end record signature corrupted: a part without one is truncated (libzip also refuses it)",
    "libzip/testfile-truncated.zip": "an archive cut off, as its name says (libzip refuses it)",
    "libzip/incons-central-magic-bad2.zip":
      "the central directory is damaged and the local headers fail too (libzip refuses it); bsdtar lists nothing",
    "libzip/incons-file-count-high.zip":
      "the end record promises 32 entries and only 1 exists: for a backup, that is missing data (libzip refuses it)",
    "zip-rs-zip2/zip64_demo.zip":
      "ZIP64 with leading junk: libarchive reads none of its entries (bsdtar lists none either), so ExportGate says the announced entry could not be read",
  ]
  /// Where bsdtar fails but ExportGate has nothing to report, and why.
  static let lenienterThanBsdtar: [String: String] = [:]

  static func observations() throws -> [Observation] {
    let table = try #require(SharedCorpus.path("conformance/zip/OBSERVED-bsdtar.tsv"))
    let text = try String(contentsOfFile: table, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().compactMap { line in
      let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard columns.count >= 9 else { return nil }
      return Observation(
        file: columns[0], extractSucceeded: columns[7] == "0", bsdtarError: columns[8])
    }
  }

  @Test func corpusIsPresent() throws {
    let observations = try Self.observations()
    #expect(observations.count > 250)
  }

  @Test func everyArchiveMatchesBsdtarsVerdict() throws {
    let root = try #require(SharedCorpus.path("conformance/zip"))
    var disagreements: [String] = []
    for observation in try Self.observations() {
      let path = (root as NSString).appendingPathComponent(observation.file)
      let part = PartFile(
        path: path,
        bytes: Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0))
      let bundle = ExportBundle(
        parts: [part], folders: [], orgId: nil, findings: [], excludedParts: [])
      let result = BundleScanner(bundle: bundle).scan(visitor: nil)
      let problems = result.findings.filter { $0.severity == .error && $0.code != .entryUnsafePath }
      let anyProblem = result.findings.filter { $0.severity >= .warning }
      if observation.extractSucceeded && !problems.isEmpty
        && Self.stricterThanBsdtar[observation.file] == nil
      {
        disagreements.append(
          "\(observation.file): bsdtar extracts it, ExportGate reports \(problems.map { "\($0.code.rawValue): \($0.message)" })"
        )
      }
      if !observation.extractSucceeded && anyProblem.isEmpty
        && Self.lenienterThanBsdtar[observation.file] == nil
      {
        disagreements.append(
          "\(observation.file): bsdtar fails (\(observation.bsdtarError)), ExportGate reports nothing"
        )
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
  }
}
