import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct ExportDifferTests {
  struct Pair {
    let directory = TemporaryDirectory()
    let old: String
    let new: String

    init(_ oldExport: FixtureExport, _ newExport: FixtureExport) throws {
      old = directory.file("old")
      new = directory.file("new")
      try FixtureWriter.writeParts(oldExport, to: old)
      try FixtureWriter.writeParts(newExport, to: new)
    }

    func diff(examples: Int = 0, changes: ((ExportDiffer.Change) -> Void)? = nil) throws
      -> DiffReport
    {
      var options = ExportDiffer.Options()
      options.examples = examples
      return try ExportDiffer(options: options).diff(old: [old], new: [new], onChange: changes)
    }
  }

  func object(_ report: DiffReport, _ name: String) throws -> DiffReport.ObjectDiff {
    try #require(report.objects.first { $0.name == name })
  }

  @Test func anExportAgainstItselfIsIdentical() throws {
    let export = smallExport()
    let pair = try Pair(export, export)
    let report = try pair.diff()
    #expect(report.identical)
    let contacts = try object(report, "Contact")
    #expect(contacts.unchanged == export.table("Contact")?.rows.count)
    #expect(contacts.added + contacts.removed + contacts.changed == 0)
  }

  @Test func knownAdditionsRemovalsAndFieldChangesAreFound() throws {
    let old = smallExport()
    var new = old
    var contacts = try #require(new.table("Contact"))
    let removed = contacts.rows.removeLast()[0]
    let changedId = contacts.rows[3][0]
    contacts.rows[3][contacts.column("Email")] = "changed@example.org"
    contacts.rows[3][contacts.column("LastName")] = "Nouveau"
    contacts.rows[5][contacts.column("Email")] = "other@example.org"
    let addedId = IdFactory.make(prefix: "003", serial: 99_999)
    var added = contacts.rows[0]
    added[0] = addedId
    contacts.rows.append(added)
    new.setTable(contacts)
    let pair = try Pair(old, new)
    var changes: [ExportDiffer.Change] = []
    let report = try pair.diff(examples: 5) { changes.append($0) }
    #expect(!report.identical)
    let diff = try object(report, "Contact")
    #expect(diff.added == 1 && diff.removed == 1 && diff.changed == 2)
    #expect(diff.unchanged == contacts.rows.count - 1 - 2)
    #expect(diff.fieldsChanged == ["Email": 2, "LastName": 1])
    #expect(diff.addedExamples == [addedId] && diff.removedExamples == [removed])
    let example = try #require(diff.changedExamples.first { $0.id == changedId })
    #expect(example.fields["LastName"]?[1] == "Nouveau")
    #expect(changes.contains { $0.change == "removed" && $0.id == removed })
    #expect(changes.contains { $0.change == "added" && $0.id == addedId })
    #expect(
      changes.contains {
        $0.change == "changed" && $0.field == "Email" && $0.new == "changed@example.org"
      })
    #expect(try object(report, "Account").differs == false)
  }

  /// A record NEW cannot key (its Id malformed) is accounted for in every format: counted as
  /// not compared, never folded into "unchanged", and the export is not called identical.
  @Test func aRecordWithoutAUsableIdIsCountedAndShownEverywhere() throws {
    let old = smallExport()
    var new = old
    var contacts = try #require(new.table("Contact"))
    contacts.rows.append(
      contacts.rows[0].enumerated().map { $0.offset == 0 ? "not-an-id" : $0.element })
    new.setTable(contacts)
    let report = try Pair(old, new).diff()
    #expect(!report.identical)
    let diff = try object(report, "Contact")
    #expect(diff.unkeyed == 1)
    #expect(diff.differs)
    #expect(diff.unchanged == diff.oldRecords)
    let text = DiffRenderer.text(report)
    #expect(text.contains("?1 not compared (no usable Id)"), "\(text)")
    #expect(text.contains("(\(report.objects.count - 1) other objects unchanged)"))
    #expect(DiffRenderer.markdown(report).contains("| Not compared |"))
    let html = DiffHTMLRenderer.render(report)
    #expect(html.contains("<th class=\"n\">Not compared</th>"))
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report))
    let objects = (json as? [String: Any])?["objects"] as? [[String: Any]] ?? []
    #expect(objects.first { $0["name"] as? String == "Contact" }?["unkeyed"] as? Int == 1)
  }

  @Test func schemaDriftIsReportedWithoutCallingEveryRecordChanged() throws {
    let old = smallExport()
    var new = old
    var accounts = try #require(new.table("Account"))
    accounts.header.append("Region__c")
    accounts.rows = accounts.rows.map { $0 + ["EMEA"] }
    let phone = accounts.column("Phone")
    accounts.header.remove(at: phone)
    accounts.rows = accounts.rows.map { row in
      var row = row
      row.remove(at: phone)
      return row
    }
    new.setTable(accounts)
    let report = try Pair(old, new).diff()
    let diff = try object(report, "Account")
    #expect(diff.columnsAdded == ["Region__c"] && diff.columnsRemoved == ["Phone"])
    #expect(diff.changed == 0 && diff.unchanged == accounts.rows.count)
    #expect(!report.identical)
  }

  @Test func objectsAddedAndRemoved() throws {
    let old = smallExport()
    var new = old
    new.tables.removeAll { $0.name == "Lead" }
    new.tables.append(
      FixtureExport.Table(
        name: "Quote", header: ["Id", "Name"],
        rows: [[IdFactory.make(prefix: "0Q0", serial: 1), "Q"]]))
    let report = try Pair(old, new).diff()
    let lead = try object(report, "Lead")
    #expect(lead.presence == "removed" && lead.removed == old.table("Lead")?.rows.count)
    let quote = try object(report, "Quote")
    #expect(quote.presence == "added" && quote.added == 1)
  }

  @Test func fileChangesPerFolder() throws {
    let old = smallExport()
    var new = old
    let gone = new.files.removeFirst()
    let changedIndex = try #require(new.files.firstIndex { $0.folder == "ContentVersion" })
    new.files[changedIndex].content[4] ^= 1
    new.files.append(
      FixtureExport.File(
        folder: "Documents", name: IdFactory.make(prefix: "015", serial: 777), content: [1, 2]))
    let report = try Pair(old, new).diff()
    let attachments = try #require(report.files.first { $0.folder == gone.folder })
    #expect(attachments.removed == 1)
    #expect(report.files.first { $0.folder == "ContentVersion" }?.changed == 1)
    #expect(report.files.first { $0.folder == "Documents" }?.added == 1)
  }

  @Test func aCSVSplitOnOneSideOnlyCompares() throws {
    let old = smallExport()
    var new = old
    new.splitObjects = ["Contact", "Account"]
    let report = try Pair(old, new).diff()
    #expect(report.identical)
  }

  @Test func encodingsAreDecodedBeforeComparing() throws {
    let old = smallExport()
    var new = old
    for index in new.tables.indices {
      new.tables[index].rows = new.tables[index].rows.map { row in
        // Keep to what ISO-8859-1 can hold, so that both sides carry the same characters.
        row.map { String($0.unicodeScalars.filter { $0.value <= 0xFF }) }
      }
    }
    var latin = new
    latin.encoding = .iso88591
    let report = try Pair(new, latin).diff()
    #expect(report.identical, "\(report.objects.filter(\.differs).map(\.name))")
  }

  @Test func failIfRulesFireOnThresholds() throws {
    let old = smallExport()
    var new = old
    var contacts = try #require(new.table("Contact"))
    contacts.rows.removeLast(6)  // 6 of 30 = 20%
    new.setTable(contacts)
    let report = try Pair(old, new).diff()
    #expect(try DiffRule("Contact.removed > 5%").firings(in: report).map(\.object) == ["Contact"])
    #expect(try DiffRule("Contact.removed > 25%").firings(in: report).isEmpty)
    #expect(try DiffRule("*.removed >= 6").firings(in: report).map(\.object) == ["Contact"])
    #expect(try DiffRule("*.added > 0").firings(in: report).isEmpty)
    #expect(throws: DiffRule.ParseError.self) { _ = try DiffRule("Contact.vanished > 5%") }
  }

  @Test(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
  func exitCodesAndFormats() throws {
    let old = smallExport()
    var new = old
    var contacts = try #require(new.table("Contact"))
    contacts.rows.removeLast(3)
    new.setTable(contacts)
    let pair = try Pair(old, new)
    #expect(try ExportGateBinary.run(["diff", pair.old, pair.old]).status == 0)
    let different = try ExportGateBinary.run(["diff", pair.old, pair.new])
    #expect(different.status == 1)
    #expect(different.standardOutput.contains("REMOVED"))
    #expect(
      try ExportGateBinary.run(["diff", pair.old, pair.new, "--fail-if", "Contact.removed > 50%"])
        .status == 0)
    let fired = try ExportGateBinary.run([
      "diff", pair.old, pair.new, "--fail-if", "Contact.removed > 5%",
    ])
    #expect(fired.status == 1 && fired.standardError.contains("Contact"))
    let json = try ExportGateBinary.run(["diff", pair.old, pair.new, "--format", "json"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
    #expect(object["identical"] as? Bool == false)
    let csv = try ExportGateBinary.run(["diff", pair.old, pair.new, "--format", "csv"])
    let rows = parseCSV(Array(csv.standardOutput.utf8)).collected.records
    #expect(rows.first == ["Object", "Id", "Change", "Field", "Old", "New"])
    #expect(rows.filter { $0[2] == "removed" }.count == 3)
    #expect(try ExportGateBinary.run(["diff", pair.old, "/nonexistent"]).status == 2)
    #expect(try ExportGateBinary.run(["diff", pair.old]).status == 64)
    #expect(try ExportGateBinary.run(["diff", "--old", pair.old, "--new", pair.old]).status == 0)
  }

  // MARK: Damaged inputs are named, as verify names them

  @Test func aCorruptEntryInNEWIsAWarningNotASilentIdentical() throws {
    let export = smallExport()
    let pair = try Pair(export, export)
    let part = try #require(
      try FileManager.default.contentsOfDirectory(atPath: pair.new).first { $0.hasSuffix(".ZIP") })
    try FaultInjector.corruptEntryData(
      (pair.new as NSString).appendingPathComponent(part), entry: "Account.csv")
    let report = try pair.diff()
    #expect(report.warnings.contains { $0.hasPrefix("NEW: entry-corrupt:") }, "\(report.warnings)")
    let text = DiffRenderer.text(report)
    #expect(!text.contains("IDENTICAL: every object"))
  }

  @Test func aTruncatedCSVIsNamed() throws {
    let export = smallExport()
    let directory = TemporaryDirectory()
    let old = directory.file("old")
    let new = directory.file("new")
    try FixtureWriter.writeParts(export, to: old)
    var cut = export
    let leads = try #require(cut.table("Lead"))
    cut.tables.removeAll { $0.name == "Lead" }
    let text = FixtureWriter.csvText(leads, lineEnding: .lf)
    let damaged = Array(text.utf8.prefix(text.utf8.count / 2)) + Array("\"unterminated".utf8)
    try FixtureWriter.writeParts(
      cut, to: new, extraEntries: [FixtureWriter.ExtraEntry(name: "Lead.csv", content: damaged)])
    let report = try ExportDiffer().diff(old: [old], new: [new])
    #expect(
      report.warnings.contains { $0.hasPrefix("NEW: csv-malformed: Lead.csv") },
      "\(report.warnings)")
  }

  @Test func aBombInOLDIsNamed() throws {
    let directory = TemporaryDirectory()
    let old = directory.file("old")
    let new = directory.file("new")
    try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: new, withIntermediateDirectories: true)
    try FixtureWriter.writeLargeEntryZip(
      at: (old as NSString).appendingPathComponent("WE_\(ExportGenerator.orgId)_1.ZIP"),
      entryName: "Account.csv", size: 64 << 20)
    try FixtureWriter.writeZip(
      at: (new as NSString).appendingPathComponent("WE_\(ExportGenerator.orgId)_1.ZIP"),
      entries: [("Account.csv", Array("\"Id\"\n".utf8))])
    var options = ExportDiffer.Options()
    options.limits.maximumExpansionRatio = 50
    options.limits.expansionAllowance = 1 << 20
    let report = try ExportDiffer(options: options).diff(old: [old], new: [new])
    #expect(report.warnings.contains { $0.hasPrefix("OLD: part-zip-bomb:") }, "\(report.warnings)")
  }

  @Test func entryCountsAgreeWithInspect() throws {
    let export = smallExport()
    let pair = try Pair(export, export)
    let report = try pair.diff()
    let inventory = try Inventory.inspect(paths: [pair.old])
    #expect(report.oldEntries == inventory.parts.reduce(0) { $0 + $1.entries })
    #expect(report.oldEntries > 0 && report.oldEntries == report.newEntries)
  }
}
