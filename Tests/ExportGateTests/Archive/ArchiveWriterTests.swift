import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// `restore` writes `archive.sqlite`: every table compared with the CSVs it came from (counts,
/// values, NULLs, Ids with their case), types only where no value changes, lookups declared
/// and recorded both ways, search over text and file names, rejected rows kept with a reason.
@Suite struct ArchiveWriterTests {
  static let word = "Zanzibarian"

  /// The small export with the cases an archive must hold: a word planted in a Description, a
  /// note body and a file name; Tasks whose WhatId points at two objects; a second copy of an
  /// Id; columns of leading zeros, long digit strings, integers and decimals.
  static func export() -> FixtureExport {
    var export = smallExport()
    var accounts = export.table("Account")!
    accounts.rows[1][accounts.column("Description")] = "Met at the \(word) fair"
    let account = accounts.rows[0][0]
    let contact = export.table("Contact")!.rows[0][0]
    let opportunity = export.table("Opportunity")!.rows[0][0]
    accounts.header += ["Code__c", "Bank__c", "Seats__c", "Rate__c"]
    for index in accounts.rows.indices {
      accounts.rows[index] += [
        index == 0 ? "007" : "12", "12345678901234567890123", "\(index * 3)", "\(index).25",
      ]
    }
    accounts.rows.append(accounts.rows[2])
    export.setTable(accounts)
    var notes = export.table("Note")!
    notes.rows = [
      [
        IdFactory.make(prefix: "002", serial: 1), "0", account, "Call", "0", "The \(word) deal", "",
        "",
      ]
    ]
    export.setTable(notes)
    var tasks = export.table("Task")!
    tasks.rows = [
      [IdFactory.make(prefix: "00T", serial: 1), contact, account, "Call", "", "Open", "", ""],
      [IdFactory.make(prefix: "00T", serial: 2), contact, opportunity, "Send", "", "Open", "", ""],
      [
        IdFactory.make(prefix: "00T", serial: 3), "", "000000000000000AAA", "Idle", "", "Open", "",
        "",
      ],
    ]
    export.setTable(tasks)
    var attachments = export.table("Attachment")!
    attachments.rows[0][attachments.column("Name")] = "\(word) brochure.pdf"
    export.setTable(attachments)
    return export
  }

  static func restored(_ export: FixtureExport) throws -> (TemporaryDirectory, SQLiteDatabase) {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(export, to: directory.path + "/parts")
    _ = try BackupRestorer(options: RestoreOptions(destination: directory.path + "/out"))
      .restore(paths: paths)
    let database = try SQLiteDatabase(
      path: directory.path + "/out/archive.sqlite", readOnly: true)
    return (directory, database)
  }

  @Test func everyTableHoldsItsCSVValueForValue() throws {
    let export = Self.export()
    let (_, database) = try Self.restored(export)
    for table in export.tables {
      var seen = Set<String>()
      let expected = table.rows.filter { seen.insert($0.first ?? "").inserted }
      let rows = try database.rows(
        "SELECT * FROM \(SQLiteDatabase.quote(table.name)) ORDER BY rowid")
      #expect(rows.count == expected.count, "\(table.name)")
      for (row, csv) in zip(rows, expected) {
        for (column, value) in zip(table.header, csv) {
          let stored = row[table.column(column)]
          if value.isEmpty || value == "000000000000000AAA" {
            #expect(stored == nil, "\(table.name).\(column)")
          } else if let number = Double(value), value.contains(".") {
            #expect(stored.flatMap(Double.init) == number, "\(table.name).\(column)")
          } else {
            #expect(stored == value, "\(table.name).\(column): \(String(describing: stored))")
          }
        }
      }
    }
  }

  @Test func typesAreInferredOnlyWhereNoValueChanges() throws {
    let (_, database) = try Self.restored(Self.export())
    let types = Dictionary(
      uniqueKeysWithValues: try database.rows("SELECT name, type FROM pragma_table_info('Account')")
        .map { ($0[0] ?? "", $0[1] ?? "") })
    #expect(types["Code__c"] == "TEXT")  // "007"
    #expect(types["Bank__c"] == "TEXT")  // 23 digits
    #expect(types["Seats__c"] == "INTEGER")
    #expect(types["Rate__c"] == "REAL")
    #expect(types["IsDeleted"] == "INTEGER")
    #expect(types["Id"] == "TEXT")
    #expect(types["CreatedDate"] == "TEXT")
    let code = try database.rows(
      "SELECT Code__c, typeof(Seats__c) FROM Account ORDER BY rowid LIMIT 1")
    #expect(code.first?[0] == "007")
    #expect(code.first?[1] == "integer")
  }

  /// With the org's describe beside the parts (as fetch leaves it), its types win: a phone
  /// number of digits stays text, a describe's double is REAL, its int INTEGER.
  @Test func theOrgsDescribeGivesTheTypesWhenTheBundleHasIt() throws {
    var export = Self.export()
    var accounts = export.table("Account")!
    for index in accounts.rows.indices {
      accounts.rows[index][accounts.column("Phone")] = "5550\(index)"
    }
    export.setTable(accounts)
    let directory = TemporaryDirectory()
    _ = try FixtureWriter.writeParts(export, to: directory.path + "/parts")
    try OrgInventory(
      takenAt: "2026-12-02T00:00:00Z", asOf: "2026-12-01T00:00:00Z", asOfSource: "test",
      instance: "https://example.my.salesforce.com", apiVersion: "v62.0", user: .init(),
      permissions: .init(),
      objects: [
        .init(
          name: "Account", keyPrefix: "001", custom: false,
          fields: [
            .init(name: "Phone", type: "phone"), .init(name: "Seats__c", type: "double"),
            .init(name: "Rate__c", type: "percent"), .init(name: "Code__c", type: "string"),
          ])
      ]
    ).save(to: directory.path + "/parts/" + OrgInventory.fileName)
    _ = try BackupRestorer(options: RestoreOptions(destination: directory.path + "/out"))
      .restore(paths: [directory.path + "/parts"])
    let database = try SQLiteDatabase(path: directory.path + "/out/archive.sqlite", readOnly: true)
    let types = Dictionary(
      uniqueKeysWithValues: try database.rows("SELECT name, type FROM pragma_table_info('Account')")
        .map { ($0[0] ?? "", $0[1] ?? "") })
    #expect(types["Phone"] == "TEXT")
    #expect(types["Seats__c"] == "REAL")
    #expect(types["Rate__c"] == "REAL")
    #expect(types["Code__c"] == "TEXT")
    // Fields the describe does not name are inferred as without it.
    #expect(types["NumberOfEmployees"] == "INTEGER")
    let phone = try database.rows("SELECT Phone, typeof(Phone) FROM Account ORDER BY rowid LIMIT 1")
    #expect(phone.first?[0] == "55500" && phone.first?[1] == "text")
  }

  @Test func aSecondCopyOfAnIdIsRejectedWithItsReason() throws {
    let export = Self.export()
    let (_, database) = try Self.restored(export)
    let rejected = try database.rows("SELECT object, id, reason, fields FROM _rejected_rows")
    #expect(rejected.count == 1)
    #expect(rejected.first?[0] == "Account")
    #expect(rejected.first?[1] == export.table("Account")!.rows[2][0])
    #expect(rejected.first?[2]?.contains("id-duplicate") == true)
    #expect(rejected.first?[3]?.hasPrefix("[\"\(export.table("Account")!.rows[2][0])\"") == true)
  }

  @Test func lookupsAreDeclaredAndEveryReferenceIsRecordedBothWays() throws {
    let export = Self.export()
    let (_, database) = try Self.restored(export)
    let contactSQL = try database.rows("SELECT sql FROM sqlite_master WHERE name = 'Contact'")
    #expect(
      contactSQL.first?[0]?.contains("\"AccountId\" TEXT REFERENCES \"Account\"(\"Id\")") == true)
    // WhatId points at two objects: no foreign key, but every reference recorded.
    let taskSQL = try database.rows("SELECT sql FROM sqlite_master WHERE name = 'Task'")
    #expect(taskSQL.first?[0]?.contains("\"WhatId\" TEXT,") == true)
    let whats = try database.rows(
      "SELECT target_object, target_id FROM _references WHERE source_object = 'Task' AND field = 'WhatId' ORDER BY source_id"
    )
    #expect(whats.map { $0[0] } == ["Account", "Opportunity"])
    // Reverse links: everything that points at the first account.
    let account = export.table("Account")!.rows[0][0]
    let pointing = try database.rows(
      "SELECT DISTINCT source_object FROM _references WHERE target_id = ? ORDER BY 1",
      [.text(account)])
    #expect(pointing.map { $0[0] ?? "" }.contains("Task"))
    #expect(pointing.map { $0[0] ?? "" }.contains("Note"))
    // The reverse query is answered from the lookup columns' indexes, never a scan.
    let plan = try database.rows(
      "EXPLAIN QUERY PLAN SELECT * FROM _references WHERE target_id = ?", [.text(account)]
    ).compactMap { $0.last ?? nil }
    #expect(plan.contains { $0.contains("USING") && $0.contains("INDEX") }, "\(plan)")
    #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.contains("CONSTANT") }, "\(plan)")
    #expect(try database.rows("PRAGMA integrity_check").first?[0] == "ok")
    // foreign_key_check reports exactly the lookups verify calls dangling.
    let dangling = try database.rows("PRAGMA foreign_key_check").map {
      "\($0[0] ?? "") -> \($0[2] ?? "")"
    }
    #expect(dangling.sorted() == (try Self.verifiersDanglingLookups(export)))
  }

  /// "Object -> Target" for every record verify finds pointing at a record the export lacks,
  /// where the archive declares the lookup (its column points at one object only).
  static func verifiersDanglingLookups(_ export: FixtureExport) throws -> [String] {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let report = try ExportVerifier().verify(paths: paths)
    let findings = report.typedFindings.filter { $0.code == .referenceDangling }
    #expect(!findings.isEmpty)
    let present = Set(export.tables.flatMap { $0.rows.map { $0.first ?? "" } })
    let objectByPrefix = Dictionary(
      export.tables.compactMap { table in
        table.rows.first.map { (String($0[0].prefix(3)), table.name) }
      }, uniquingKeysWith: { first, _ in first })
    let lookups = Set(
      findings.compactMap { finding -> String? in
        guard let object = finding.location.object, let field = finding.location.field else {
          return nil
        }
        return object + "." + field
      })
    return lookups.flatMap { lookup -> [String] in
      let (object, field) = (
        String(lookup.split(separator: ".")[0]), String(lookup.split(separator: ".")[1])
      )
      guard let table = export.table(object) else { return [] }
      let column = table.column(field)
      return table.rows.filter { !$0[column].isEmpty && !present.contains($0[column]) }.map {
        "\(object) -> \(objectByPrefix[String($0[column].prefix(3))] ?? "?")"
      }
    }.sorted()
  }

  @Test func aDanglingLookupIsWhatForeignKeyCheckReports() throws {
    var export = Self.export()
    var contacts = export.table("Contact")!
    let missing = IdFactory.make(prefix: "001", serial: 99_999)
    contacts.rows[0][contacts.column("AccountId")] = missing
    export.setTable(contacts)
    let (_, database) = try Self.restored(export)
    let dangling = try database.rows("PRAGMA foreign_key_check").map {
      "\($0[0] ?? "") -> \($0[2] ?? "")"
    }
    #expect(dangling.contains("Contact -> Account"))
    #expect(dangling.sorted() == (try Self.verifiersDanglingLookups(export)))
  }

  @Test func searchFindsAPlantedWordInADescriptionANoteAndAFileName() throws {
    let (directory, _) = try Self.restored(Self.export())
    let hits = try ArchiveSearch(folder: directory.path + "/out").search(Self.word.lowercased())
    let objects = Set(hits.map(\.object))
    #expect(objects == ["Account", "Note", "Attachment"], "\(hits)")
    let account = try #require(hits.first { $0.object == "Account" })
    #expect(account.snippetPieces.contains { $0.isMatch && $0.text == Self.word })
    #expect(account.label != nil && account.id != nil)
    // A file is reached from its hit: the manifest row of the attachment found.
    let attachment = try #require(hits.first { $0.object == "Attachment" }?.id)
    let database = try SQLiteDatabase(path: directory.path + "/out/archive.sqlite", readOnly: true)
    let file = try database.rows("SELECT Path FROM manifest WHERE Id = ?", [.text(attachment)])
    #expect(file.first?[0]?.hasPrefix("files/") == true)
    // Every table with text has its search table, declared as Datasette finds it.
    let fts = try database.rows("SELECT sql FROM sqlite_master WHERE name = 'Account_fts'")
    #expect(fts.first?[0]?.contains("content=\"Account\"") == true)
  }

  @Test func metadataForDatasetteNamesLabelsAndSearchTables() throws {
    let (directory, _) = try Self.restored(Self.export())
    let data = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/out/metadata.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let tables = try #require(
      ((json["databases"] as? [String: Any])?["archive"] as? [String: Any])?["tables"]
        as? [String: Any])
    let account = try #require(tables["Account"] as? [String: Any])
    #expect(account["label_column"] as? String == "Name")
    #expect(account["fts_table"] as? String == "Account_fts")
    #expect((tables["Case"] as? [String: Any])?["label_column"] as? String == "Subject")
  }

  @Test func noDatabaseWritesNone() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path + "/parts")
    var options = RestoreOptions(destination: directory.path + "/out")
    options.database = false
    let report = try BackupRestorer(options: options).restore(paths: paths)
    #expect(report.archive == nil)
    #expect(!FileManager.default.fileExists(atPath: directory.path + "/out/archive.sqlite"))
  }

  /// A link planted at the archive's hidden build name (a resumed restore) is never written
  /// through: the restore stops and the link's target is untouched.
  @Test func aLinkPlantedAtTheArchivesBuildNameIsNeverFollowed() throws {
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(smallExport(), to: directory.path + "/parts")
    let out = directory.path + "/out"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let victim = directory.path + "/victim"
    try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
    try FileManager.default.createSymbolicLink(
      atPath: out + "/" + ArchiveWriter.partialName, withDestinationPath: victim)
    var options = RestoreOptions(destination: out)
    options.resume = true
    #expect(throws: (any Error).self) { try BackupRestorer(options: options).restore(paths: paths) }
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
  }
}
