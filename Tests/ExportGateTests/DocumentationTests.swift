import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// The documentation names every finding code and every report key machines rely on.
@Suite struct DocumentationTests {
  func read(_ relative: String) throws -> String {
    try String(contentsOfFile: SharedCorpus.projectRoot + "/" + relative, encoding: .utf8)
  }

  @Test func everyFindingCodeIsDocumented() throws {
    let findings = try read("docs/findings.md")
    for code in FindingCode.allCases {
      #expect(
        findings.contains("`\(code.rawValue)`"), "\(code.rawValue) missing from docs/findings.md")
    }
  }

  @Test func theJSONSchemaNamesTheReportsKeys() throws {
    let schema = try read("docs/report.schema.json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
    let properties = try #require(object["properties"] as? [String: Any])
    for key in ["verdict", "tool", "export", "objects", "files", "findings", "summary"] {
      #expect(properties[key] != nil, "\(key)")
    }
  }
}
