import ExportGateTestSupport
import Foundation
import Testing

/// ExportGate is a library too: SwiftPM refuses a dependency whose targets use `unsafeFlags`.
@Suite struct PackageManifestTests {
  @Test func theManifestUsesNoUnsafeFlags() throws {
    let manifest = try String(
      contentsOfFile: SharedCorpus.projectRoot + "/Package.swift", encoding: .utf8)
    #expect(manifest.contains(".target(\n      name: \"ExportGate\","))
    #expect(!manifest.contains("unsafeFlags"))
  }
}
