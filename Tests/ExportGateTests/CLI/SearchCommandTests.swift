import ExportGateTestSupport
import Foundation
import Testing

/// `exportgate search` as a person or a script runs it: hits grouped by object with matches
/// marked, JSON for scripts, grep's exit codes.
@Suite struct SearchCommandTests {
  @Test func searchPrintsHitsByObjectAndExitsAsGrepDoes() throws {
    let (directory, _) = try ArchiveWriterTests.restored(ArchiveWriterTests.export())
    let folder = directory.path + "/out"
    let found = try ExportGateBinary.run(["search", folder, ArchiveWriterTests.word.uppercased()])
    #expect(found.status == 0, "\(found.standardError)")
    #expect(found.standardOutput.contains("Account (1)"))
    #expect(found.standardOutput.contains("[\(ArchiveWriterTests.word)]"))
    let json = try ExportGateBinary.run(
      ["search", folder, ArchiveWriterTests.word, "--format", "json"])
    let hits = try #require(
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
    #expect(Set(hits.compactMap { $0["object"] as? String }) == ["Account", "Note", "Attachment"])
    #expect(
      hits.allSatisfy { ($0["matches"] as? [String])?.contains(ArchiveWriterTests.word) == true })
    let nothing = try ExportGateBinary.run(["search", folder, "qwertyuiop"])
    #expect(nothing.status == 1)
    // FTS5's own syntax typed by accident is searched for, not an error.
    let syntax = try ExportGateBinary.run(["search", folder, "\"AND", "(OR", "NEAR*"])
    #expect(syntax.status == 1, "\(syntax.standardError)")
    let missing = try ExportGateBinary.run(["search", directory.path, "word"])
    #expect(missing.status == 2)
    #expect(missing.standardError.contains("restore the export first"))
  }
}
