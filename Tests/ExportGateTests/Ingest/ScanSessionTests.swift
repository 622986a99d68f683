import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// Scans sharing a session audit each part once and hash it once, and read what they read
/// without one.
@Suite struct ScanSessionTests {
  static func parts(in directory: TemporaryDirectory) throws -> [String] {
    var export = smallExport()
    export.maxPartBytes = 40_000
    return try FixtureWriter.writeParts(export, to: directory.path)
  }

  @Test func laterScansReuseTheAuditAndTheDigestsAndReadTheSame() throws {
    let directory = TemporaryDirectory()
    let paths = try Self.parts(in: directory)
    #expect(paths.count >= 2)
    let bundle = try BundleLocator.locate(paths)
    let alone = BundleScanner(bundle: bundle, jobs: 2).scan(visitor: CollectingVisitor())

    let session = ScanSession()
    var scanner = BundleScanner(bundle: bundle, jobs: 2)
    scanner.session = session
    let first = CollectingVisitor()
    let firstResult = scanner.scan(visitor: first)
    let second = CollectingVisitor()
    let secondResult = scanner.scan(visitor: second)

    #expect(session.auditsMade == 1)
    for path in paths { #expect(session.digest(ofPartAt: path) != nil) }
    #expect(firstResult.parts.map(\.sha256) == alone.parts.map(\.sha256))
    #expect(secondResult.parts.map(\.sha256) == alone.parts.map(\.sha256))
    #expect(
      secondResult.findings.map { "\($0.code) \($0.message)" }
        == alone.findings.map { "\($0.code) \($0.message)" })
    #expect(first.entries.map(\.entry.path) == second.entries.map(\.entry.path))
    #expect(first.entries.map(\.content) == second.entries.map(\.content))
  }

  @Test func oneSessionKeepsEachBundlesAuditApart() throws {
    let old = TemporaryDirectory()
    let new = TemporaryDirectory()
    let session = ScanSession()
    for paths in [try Self.parts(in: old), try Self.parts(in: new)] {
      var scanner = BundleScanner(bundle: try BundleLocator.locate(paths), jobs: 1)
      scanner.session = session
      _ = scanner.scan(visitor: nil)
      _ = scanner.scan(visitor: nil)
    }
    #expect(session.auditsMade == 2)
  }

  @Test func aScanThatHashesNothingLeavesTheDigestsOut() throws {
    let directory = TemporaryDirectory()
    let paths = try Self.parts(in: directory)
    var scanner = BundleScanner(bundle: try BundleLocator.locate(paths), jobs: 1)
    scanner.hashesParts = false
    let visitor = CollectingVisitor()
    let result = scanner.scan(visitor: visitor)
    #expect(result.parts.allSatisfy { $0.sha256 == nil })
    #expect(visitor.entries.allSatisfy { $0.outcome?.isComplete == true })
    #expect(result.findings.isEmpty)
  }
}
