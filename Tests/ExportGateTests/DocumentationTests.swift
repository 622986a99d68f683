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

  @Test func findingsMdStatesEachCodesDefaultSeverity() throws {
    // Rows read `| \`code\` | severity ... | meaning |`: the severity cell starts with the
    // code's default, so the doctrine on paper is the one in code.
    let findings = try read("docs/findings.md")
    var documented: [String: String] = [:]
    for line in findings.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 2 else { continue }
      documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
    }
    for code in FindingCode.allCases {
      let cell = try #require(documented[code.rawValue], "\(code.rawValue) has no row")
      #expect(
        cell.hasPrefix(code.defaultSeverity.rawValue),
        "\(code.rawValue): docs say '\(cell)', the code says \(code.defaultSeverity.rawValue)")
    }
  }

  @Test func theSchemaListsEveryFindingCode() throws {
    let schema = try read("docs/report.schema.json")
    for code in FindingCode.allCases {
      #expect(schema.contains("\"\(code.rawValue)\""), "\(code.rawValue) missing from the schema")
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
