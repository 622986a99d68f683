import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct PolicyTests {
  @Test func theDefaultTemplateIsAValidPolicy() throws {
    let policy = try PolicyLoader.parse(PolicyTemplate.text)
    #expect(policy.requiredObjects == ["Account", "Contact", "Lead", "Opportunity", "Attachment"])
    #expect(policy.minimumRecords["Account"] == 1)
    #expect(policy.filesRequired == true)
    #expect(policy.maxExportAgeDays == 2)
  }

  @Test func theTemplateNeverLowersASeverity() throws {
    let policy = try PolicyLoader.parse(PolicyTemplate.text)
    for (code, severity) in policy.severity {
      #expect(severity >= code.defaultSeverity, "\(code.rawValue) lowered to \(severity)")
    }
  }

  @Test(arguments: TemplateFault.allCases)
  func everyBundleRefusedWithoutAPolicyIsRefusedWithTheTemplate(fault: TemplateFault) throws {
    let without = try verifyFixture(fault.export, damage: fault.damage)
    #expect(!without.isCertified, "the fault must be refused by default")
    var options = VerificationOptions()
    try PolicyLoader.parse(PolicyTemplate.text).apply(to: &options)
    let with = try verifyFixture(fault.export, options: options, damage: fault.damage)
    #expect(!with.isCertified, "the template certified what the default gate refuses")
  }

  @Test func unknownKeysAreErrorsWithTheirLine() throws {
    let text = "requiredObjects: [Account]\nminimumRecords:\n  Account: 1\nrequiredObject: [Lead]\n"
    do {
      _ = try PolicyLoader.parse(text)
      Issue.record("accepted an unknown key")
    } catch let error as PolicyLoader.PolicyError {
      #expect(error.line == 4)
      #expect(error.description.contains("unknown key 'requiredObject'"))
    }
  }

  @Test(arguments: [
    ("severity:\n  no-such-code: error\n", 2, "unknown finding code"),
    ("severity:\n  id-invalid: fatal\n", 2, "severity must be"),
    ("contract:\n  endDate: 2027-01-01\n  noticeDays: 10\n", 3, "at least 30"),
    ("contract:\n  noticeDays: 60\n", 1, "endDate"),
    ("files: maybe\n", 1, "required"),
    ("maxExportAgeDays: -3\n", 1, "whole number"),
    ("encoding: KLINGON\n", 1, "unknown encoding"),
  ])
  func badValuesAreErrorsWithTheirLine(text: String, line: Int, message: String) throws {
    do {
      _ = try PolicyLoader.parse(text)
      Issue.record("accepted \(text)")
    } catch let error as PolicyLoader.PolicyError {
      #expect(error.line == line, "\(error)")
      #expect(error.description.contains(message), "\(error)")
    }
  }

  @Test func jsonPoliciesAreAccepted() throws {
    let policy = try PolicyLoader.parse(
      #"{"requiredObjects": ["Account"], "severity": {"csv-encoding": "error"}}"#)
    #expect(policy.requiredObjects == ["Account"])
    #expect(policy.severity[.csvEncoding] == .error)
  }

  func verify(_ export: FixtureExport, policy text: String, now: Date? = nil) throws
    -> VerificationReport
  {
    var options = VerificationOptions()
    try PolicyLoader.parse(text).apply(to: &options)
    if let now { options.now = now }
    return try verifyFixture(export, options: options)
  }

  @Test func minimumRecordsAreEnforced() throws {
    let report = try verify(smallExport(), policy: "minimumRecords:\n  Account: 5000\n  Lead: 1\n")
    #expect(errorCodes(report) == [.objectTooFewRecords])
    #expect(findings(report, .objectTooFewRecords).map(\.location.object) == ["Account"])
  }

  @Test func severitiesCanBeRaised() throws {
    var export = smallExport()
    var contacts = try #require(export.table("Contact"))
    contacts.rows[0][contacts.column("AccountId")] = IdFactory.make(prefix: "001", serial: 77_777)
    export.setTable(contacts)
    #expect(try verify(export, policy: "files: required\n").isCertified)
    let strict = try verify(export, policy: "severity:\n  reference-dangling: error\n")
    #expect(!strict.isCertified)
    #expect(errorCodes(strict) == [.referenceDangling])
  }

  @Test func aUTF8ExportCanBeDemanded() throws {
    var export = smallExport()
    export.encoding = .iso88591
    #expect(try verify(export, policy: "encoding: auto\n").isCertified)
    let report = try verify(export, policy: "encoding: UTF-8\n")
    #expect(errorCodes(report) == [.csvEncoding])
  }

  @Test func filesCanBeOptional() throws {
    var export = smallExport()
    export.files.removeAll()
    #expect(try verify(export, policy: "files: optional\n").isCertified)
    #expect(try !verify(export, policy: "files: required\n").isCertified)
  }

  @Test func anOldExportIsRefused() throws {
    let export = smallExport()
    let modified = Date(timeIntervalSince1970: TimeInterval(export.modified))
    let fresh = try verify(
      export, policy: "maxExportAgeDays: 2\n", now: modified.addingTimeInterval(86_400))
    #expect(fresh.isCertified)
    let stale = try verify(
      export, policy: "maxExportAgeDays: 2\n", now: modified.addingTimeInterval(5 * 86_400))
    #expect(errorCodes(stale) == [.exportTooOld])
  }

  @Test func theContractNoticeDeadlineIsStatedAndWatched() throws {
    let policy = "contract:\n  endDate: 2027-03-31\n  noticeDays: 60\n"
    let early = try verify(smallExport(), policy: policy, now: PolicyTestDates.day("2026-11-26"))
    #expect(early.policy?.contract?.lastNoticeDay == "2027-01-30")
    #expect(early.policy?.contract?.daysLeft == 65)
    #expect(
      TextReportRenderer(colour: false).render(early).contains(
        "last day to send notice 2027-01-30 (65 day(s) left)"))
    #expect(findings(early, .contractNotice).isEmpty)

    let near = try verify(smallExport(), policy: policy, now: PolicyTestDates.day("2027-01-25"))
    #expect(near.isCertified)
    #expect(findings(near, .contractNotice).first?.message.contains("5 day(s) left") == true)

    let late = try verify(
      smallExport(), policy: policy + "  noticeIsError: true\n",
      now: PolicyTestDates.day("2027-02-02"))
    #expect(!late.isCertified)
    #expect(findings(late, .contractNotice).first?.message.contains("3 day(s) ago") == true)
  }
}

enum PolicyTestDates {
  static func day(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text + "T09:00:00Z") ?? Date(timeIntervalSince1970: 0)
  }
}

/// Faults the default gate refuses, one per kind of evidence.
enum TemplateFault: String, CaseIterable, Sendable {
  case filesLeftOut, fileMissing, truncatedPart, loginPage, mixedEncodings, invalidId

  var export: FixtureExport {
    var export = smallExport()
    export.maxPartBytes = 15_000
    switch self {
    case .filesLeftOut:
      export.files.removeAll { ["Attachments", "Documents"].contains($0.folder) }
    case .fileMissing:
      export.files.remove(at: 3)
    case .invalidId:
      if let index = export.tables.firstIndex(where: { $0.name == "Lead" }) {
        export.tables[index].rows[0][0] = "00QDn0000000002XXX"
      }
    case .truncatedPart, .loginPage, .mixedEncodings:
      break
    }
    return export
  }

  func damage(_ paths: [String], _ directory: String) throws {
    switch self {
    case .truncatedPart:
      let size = try FileManager.default.attributesOfItem(atPath: paths[0])[.size] as? Int ?? 0
      try FaultInjector.truncate(paths[0], keeping: size * 3 / 5)
    case .loginPage: try FaultInjector.replaceWithLoginPage(paths[1])
    case .mixedEncodings:
      // One more part holding a CSV in ISO-8859-1, while the others are UTF-8 with accents.
      let text = "\"Id\",\"Name\"\n\"\(IdFactory.make(prefix: "a0C", serial: 1))\",\"M"
      let latin = Array(text.utf8) + [0xFC] + Array("ller\"\n".utf8)
      try FixtureWriter.writeZip(
        at: (directory as NSString).appendingPathComponent(
          "WE_\(ExportGenerator.orgId)_\(paths.count + 1).ZIP"),
        entries: [("Legacy__c.csv", latin)])
    default: break
    }
  }
}
