/// Renders a report as JUnit XML for CI systems: one `testsuite` per check family (parts,
/// objects, files, references, policy), one `testcase` per part / object / file folder, and a
/// `failure` carrying the error findings (warnings go to `system-out`).
public enum JUnitReportRenderer {
  struct Case {
    var name: String
    var errors: [Finding] = []
    var warnings: [Finding] = []
    /// Said in `system-out` (a header-only object), besides any warnings.
    var note: String?
  }

  public static func render(_ report: VerificationReport) -> String {
    let outline = FindingOutline(report)
    let suites = suites(report)
    let total = suites.reduce(0) { $0 + $1.cases.count }
    let failures = suites.reduce(0) { $0 + $1.cases.filter { !$0.errors.isEmpty }.count }
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml +=
      "<testsuites name=\"exportgate verify\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"0\">\n"
    for suite in suites {
      let suiteFailures = suite.cases.filter { !$0.errors.isEmpty }.count
      xml +=
        "  <testsuite name=\"\(escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"0\">\n"
      for testCase in suite.cases {
        xml += testCaseXML(testCase, in: suite.name, report, outline)
      }
      xml += "  </testsuite>\n"
    }
    xml += "</testsuites>\n"
    return xml
  }

  /// The suites and their cases, each finding in the first case it belongs to.
  private static func suites(_ report: VerificationReport) -> [(name: String, cases: [Case])] {
    // Consequences are told inside their cause's failure, not as failures of their own.
    var findings = report.typedFindings.filter { $0.severity != .info && $0.causedBy == nil }
    var suites: [(name: String, cases: [Case])] = []

    func take(_ predicate: (Finding) -> Bool) -> [Finding] {
      let taken = findings.filter(predicate)
      findings.removeAll(where: predicate)
      return taken
    }
    func makeCase(_ name: String, _ taken: [Finding]) -> Case {
      Case(
        name: name, errors: taken.filter { $0.severity == .error },
        warnings: taken.filter { $0.severity == .warning })
    }

    let partCases = report.export.parts.map { part in
      makeCase(
        part.name,
        take { $0.location.part == part.name && $0.location.object == nil && isIngest($0.code) })
    }
    let otherIngest = take { isIngest($0.code) }
    suites.append(
      ("parts", partCases + (otherIngest.isEmpty ? [] : [makeCase("bundle", otherIngest)])))

    var objectNames = report.objects.map(\.name)
    let headerOnly = Set(report.objects.filter { $0.records == 0 }.map(\.name))
    for finding in findings where isObject(finding.code) {
      if let object = finding.location.object, !objectNames.contains(object) {
        objectNames.append(object)
      }
    }
    suites.append(
      (
        "objects",
        objectNames.map { name in
          var objectCase = makeCase(name, take { isObject($0.code) && $0.location.object == name })
          if headerOnly.contains(name) {
            objectCase.note = "header only: no records in this export"
          }
          return objectCase
        }
          + [makeCase("objects", take { isObject($0.code) })].filter {
            !$0.errors.isEmpty || !$0.warnings.isEmpty
          }
      ))

    suites.append(
      (
        "files",
        report.files.map { files in
          makeCase(files.folder, take { isFile($0.code) && belongs($0, to: files) })
        }
          + [makeCase("files", take { isFile($0.code) })].filter {
            !$0.errors.isEmpty || !$0.warnings.isEmpty
          }
      ))
    suites.append(("references", [makeCase("lookups", take { $0.code == .referenceDangling })]))
    suites.append(("policy", [makeCase("policy", findings)]))
    return suites
  }

  /// One `testcase`: its failure (errors, with what each explains) and its `system-out`.
  private static func testCaseXML(
    _ testCase: Case, in suite: String, _ report: VerificationReport, _ outline: FindingOutline
  ) -> String {
    var xml =
      "    <testcase classname=\"exportgate.\(escape(suite))\" name=\"\(escape(testCase.name))\""
    if testCase.errors.isEmpty && testCase.warnings.isEmpty && testCase.note == nil {
      return xml + "/>\n"
    }
    xml += ">\n"
    if !testCase.errors.isEmpty {
      let codes = Array(Set(testCase.errors.map(\.code.rawValue))).sorted().joined(
        separator: ", ")
      // True totals: when a case holds every listed finding of a code, it holds the ones
      // past --max-findings too.
      let total = Set(testCase.errors.map(\.code)).reduce(0) { sum, code in
        let here = testCase.errors.filter { $0.code == code }.count
        let listed = report.typedFindings.filter { $0.code == code && $0.causedBy == nil }.count
        let all = report.summary.countsByCode[code.rawValue] ?? here
        return sum + (here == listed ? max(all - explained(code, report), here) : here)
      }
      let shown = total > testCase.errors.count ? " (\(testCase.errors.count) listed)" : ""
      xml +=
        "      <failure message=\"\(escape("\(total) error\(total == 1 ? "" : "s")\(shown): \(codes)"))\" type=\"\(escape(codes))\">"
      xml += escape(
        testCase.errors.map { cause in
          ([line(cause)]
            + outline.consequences(of: cause).flatMap { nested in
              ["  explains \(nested.total) \(nested.code.rawValue):"]
                + nested.findings.prefix(5).map { "    " + line($0) }
            }).joined(separator: "\n")
        }.joined(separator: "\n"))
      xml += "</failure>\n"
    }
    let out = (testCase.note.map { [$0] } ?? []) + testCase.warnings.map(line)
    if !out.isEmpty {
      xml += "      <system-out>" + escape(out.joined(separator: "\n")) + "</system-out>\n"
    }
    xml += "    </testcase>\n"
    return xml
  }

  /// Findings of `code` that a root cause explains (told under the cause, not counted twice).
  private static func explained(_ code: FindingCode, _ report: VerificationReport) -> Int {
    report.typedFindings.flatMap(\.explains).filter { $0.code == code }.reduce(0) { $0 + $1.count }
  }

  private static func line(_ finding: Finding) -> String {
    "[\(finding.severity.rawValue)] \(finding.code.rawValue): \(finding.location.description): \(finding.message)"
  }

  private static func isIngest(_ code: FindingCode) -> Bool {
    code.rawValue.hasPrefix("part-") || code.rawValue.hasPrefix("entry-")
  }

  private static func isObject(_ code: FindingCode) -> Bool {
    code.rawValue.hasPrefix("object-") || code.rawValue.hasPrefix("csv-")
      || code.rawValue.hasPrefix("id-") || code == .countMismatch
  }

  private static func isFile(_ code: FindingCode) -> Bool { code.rawValue.hasPrefix("file") }

  private static func belongs(_ finding: Finding, to files: VerificationReport.Files) -> Bool {
    finding.location.object == files.metadataObject
      || finding.location.entry?.hasPrefix(files.folder + "/") == true
  }

  static func escape(_ text: String) -> String { Markup.escape(text) }
}
