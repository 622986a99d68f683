import Crypto
import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// `restore`: every file the metadata lists is in the manifest exactly once, restored
/// byte-identical under a safe, unique name in its record's folder, or reported.
@Suite struct RestoreTests {
  /// An export with the hard cases of real file names added.
  static func hardExport() -> FixtureExport {
    var export = smallExport()
    var attachments = export.table("Attachment")!
    let accounts = export.table("Account")!
    let parent = accounts.rows[0][0]
    let template = attachments.rows[0]
    let names = [
      "reports/2024/q1.pdf", "..", "notes.v2.final.txt", "trailing space.txt  ", "🎉 party.png",
      String(repeating: "ü", count: 150) + ".docx", "Report.PDF", "report.pdf", "same.txt",
      "same.txt", "C:\\Users\\anna\\Desktop\\scan.pdf", "CON.txt", "a/../../../etc/passwd",
    ]
    for (index, name) in names.enumerated() {
      let id = IdFactory.make(prefix: "00P", serial: 5000 + index)
      let content = Array("file \(index): \(name)".utf8)
      var row = template
      row[attachments.column("Id")] = id
      row[attachments.column("ParentId")] = parent
      row[attachments.column("Name")] = name
      row[attachments.column("BodyLength")] = String(content.count)
      attachments.rows.append(row)
      export.files.append(FixtureExport.File(folder: "Attachments", name: id, content: content))
    }
    export.setTable(attachments)

    // Three versions of one document, an Enhanced Note, a version whose file is missing.
    var versions = export.table("ContentVersion")!
    var links = export.table("ContentDocumentLink")!
    let owner = export.table("User")!.rows[0][0]
    let document = IdFactory.make(prefix: "069", serial: 7000)
    for number in 1...3 {
      let id = IdFactory.make(prefix: "068", serial: 7000 + number)
      let content = Array("version \(number)".utf8)
      versions.rows.append([
        id, document, number == 3 ? "1" : "0", "", String(number), "Plan", "",
        "C:\\plans\\Plan.xlsx", String(content.count), "EXCEL_X", "S", owner, "2024-01-01 00:00:00",
      ])
      export.files.append(FixtureExport.File(folder: "ContentVersion", name: id, content: content))
    }
    // Shared with two records: found under each.
    links.rows.append([
      IdFactory.make(prefix: "06A", serial: 7000), parent, document, "0", "V", "AllUsers",
    ])
    links.rows.append([
      IdFactory.make(prefix: "06A", serial: 7001), accounts.rows[1][0], document, "0", "V",
      "AllUsers",
    ])
    let note = IdFactory.make(prefix: "068", serial: 7100)
    let noteBody = Array("<p>Called the customer.</p>".utf8)
    versions.rows.append([
      note, IdFactory.make(prefix: "069", serial: 7100), "1", "", "1", "Call notes", "", "",
      String(noteBody.count), "SNOTE", "S", owner, "2024-01-01 00:00:00",
    ])
    export.files.append(FixtureExport.File(folder: "ContentVersion", name: note, content: noteBody))
    versions.rows.append([
      IdFactory.make(prefix: "068", serial: 7200), IdFactory.make(prefix: "069", serial: 7200), "1",
      "",
      "1", "Lost", "", "lost.pdf", "10", "PDF", "S", owner, "2024-01-01 00:00:00",
    ])
    export.setTable(versions)
    export.setTable(links)
    return export
  }

  struct Restored {
    let directory = TemporaryDirectory()
    let export: FixtureExport
    let parts: String
    let root: String
    let report: RestoreReport
    let manifest: [[String: String]]

    init(_ export: FixtureExport, options configure: (inout RestoreOptions) -> Void = { _ in })
      throws
    {
      self.export = export
      parts = directory.file("parts")
      root = directory.file("restored")
      var export = export
      export.maxPartBytes = 20_000
      try FixtureWriter.writeParts(export, to: parts)
      var options = RestoreOptions(destination: root)
      configure(&options)
      report = try BackupRestorer(options: options).restore(paths: [parts])
      manifest = try Restored.readManifest(root + "/manifest.csv")
    }

    static func readManifest(_ path: String) throws -> [[String: String]] {
      let (collected, _) = parseCSV(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
      guard let header = collected.records.first else { return [] }
      return collected.records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
  }

  @Test func everyListedFileIsInTheManifestOnceAndNoPathTwice() throws {
    let restored = try Restored(Self.hardExport())
    let ids = restored.manifest.map { $0["Id"] ?? "" }
    #expect(Set(ids).count == ids.count, "a file listed twice")
    // Every binary the export holds, and every metadata row without one, has its row.
    #expect(Set(restored.export.files.map(\.name)).isSubset(of: Set(ids)))
    #expect(ids.contains(IdFactory.make(prefix: "068", serial: 7200)))
    let paths = restored.manifest.compactMap { $0["Path"] }.filter { !$0.isEmpty }
    let folded = paths.map { $0.lowercased() }
    #expect(Set(folded).count == folded.count, "two rows share a path (case-insensitively)")
  }

  @Test func everyRestoredFileIsByteIdenticalToItsEntry() throws {
    let restored = try Restored(Self.hardExport())
    let contentById = Dictionary(
      restored.export.files.map { ($0.name, $0.content) }, uniquingKeysWith: { a, _ in a })
    var checked = 0
    for row in restored.manifest where row["Status"] == "restored" {
      let id = try #require(row["Id"])
      guard let content = contentById[id] else { continue }
      for path in [row["Path"] ?? ""] + (row["AlsoAt"] ?? "").split(separator: ";").map(String.init)
      {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: restored.root + "/" + path))
        #expect(Array(bytes) == content, "\(path)")
        checked += 1
      }
    }
    #expect(checked > restored.export.files.count)
  }

  @Test func theManifestIsSafeToOpenInASpreadsheetWhateverTheNamesHold() throws {
    var export = smallExport()
    var attachments = try #require(export.table("Attachment"))
    let template = attachments.rows[0]
    let names = [
      "=HYPERLINK(\"http://evil.example\",\"x\").pdf", "+1+1.txt", "-2+3.txt", "@SUM(A1).txt",
      "\tTabbed.txt", "comma, \"quoted\"\nand a new line.txt",
    ]
    for (index, name) in names.enumerated() {
      let id = IdFactory.make(prefix: "00P", serial: 6000 + index)
      let content = Array("file \(index)".utf8)
      var row = template
      row[attachments.column("Id")] = id
      row[attachments.column("Name")] = name
      row[attachments.column("BodyLength")] = String(content.count)
      attachments.rows.append(row)
      export.files.append(FixtureExport.File(folder: "Attachments", name: id, content: content))
    }
    export.setTable(attachments)
    // A part renamed by someone to what a spreadsheet runs as a formula.
    let directory = TemporaryDirectory()
    let folder = directory.file("parts")
    let parts = try FixtureWriter.writeParts(export, to: folder)
    let renamed = (folder as NSString).appendingPathComponent("=HYPERLINK(1).zip")
    try FileManager.default.moveItem(atPath: parts[0], toPath: renamed)
    let root = directory.file("restored")
    _ = try BackupRestorer(options: RestoreOptions(destination: root)).restore(paths: [renamed])
    // Every row parses as RFC 4180 with the documented columns.
    let text = try Data(contentsOf: URL(fileURLWithPath: root + "/manifest.csv"))
    let (parsed, invalidUTF8) = parseCSV(Array(text))
    #expect(parsed.malformations.isEmpty && invalidUTF8 == nil)
    #expect(parsed.records.count > names.count)
    #expect(parsed.records.allSatisfy { $0.count == 12 })
    // No cell begins as a formula would; the renamed part is shown as text.
    for record in parsed.records {
      for cell in record {
        #expect(
          !["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), "\(cell)")
      }
    }
    let manifest = try Restored.readManifest(root + "/manifest.csv")
    #expect(manifest.contains { $0["Part"] == "'=HYPERLINK(1).zip" })
    #expect(
      manifest.contains {
        ($0["Path"] ?? "").hasSuffix("/=HYPERLINK('http-__evil.example','x').pdf")
      })
  }

  @Test func everyNameWindowsReservesIsAvoidedWithAnyExtension() {
    for reserved in [
      "CON", "prn.txt", "AUX.tar.gz", "NUL", "COM0", "com9.log", "LPT0.pdf", "COM\u{00B9}",
      "LPT\u{00B2}.txt", "LPT\u{00B3}", "CONIN$", "conout$.txt", "CON .txt",
    ] {
      let safe = SafeFileName.make(reserved, fallback: "x")
      #expect(safe.hasPrefix("_"), "\(reserved) -> \(safe)")
    }
    #expect(SafeFileName.make("COM10", fallback: "x") == "COM10")
    #expect(SafeFileName.make("CONSOLE.txt", fallback: "x") == "CONSOLE.txt")
  }

  @Test func noNameEndsWithADotOrSpaceEvenAfterACut() {
    let long = String(repeating: "a", count: 250) + ".    ." + String(repeating: "b", count: 40)
    let safe = SafeFileName.make(long, fallback: "x")
    #expect(safe.utf8.count <= SafeFileName.maximumBytes)
    #expect(!safe.hasSuffix(".") && !safe.hasSuffix(" "))
    #expect(SafeFileName.make("report. . .", fallback: "x") == "report")
  }

  @Test func aTitleIsNotAPathButAClientPathIsCutToItsFile() {
    #expect(SafeFileName.make("Q3/Q4 plan", fallback: "x") == "Q3_Q4 plan")
    // What Windows refuses is written as a person would, not as underscores.
    #expect(SafeFileName.make("Deal 14: \"Phase 2\"", fallback: "x") == "Deal 14 - 'Phase 2'")
    #expect(SafeFileName.make("Call at 10:30?", fallback: "x") == "Call at 10-30")
    #expect(SafeFileName.make("<draft> A | B *final*", fallback: "x") == "(draft) A - B _final_")
    #expect(SafeFileName.make("Deal \\ draft", fallback: "x") == "Deal _ draft")
    #expect(
      SafeFileName.make("C:\\Users\\anna\\Desktop\\scan.pdf", fallback: "x", clientPath: true)
        == "scan.pdf")
    #expect(
      SafeFileName.make("/home/anna/contract.pdf", fallback: "x", clientPath: true)
        == "contract.pdf")
    #expect(
      SafeFileName.make("Q3/Q4 plan.pdf", fallback: "x", clientPath: true) == "Q3_Q4 plan.pdf")
  }

  @Test func namesAreSafeUniqueAndKeepTheirExtensions() throws {
    let restored = try Restored(Self.hardExport())
    let paths = restored.manifest.compactMap { $0["Path"] }.filter { !$0.isEmpty }
    for path in paths {
      let name = (path as NSString).lastPathComponent
      #expect(name.utf8.count <= 255)
      #expect(!name.contains("\\") && !name.hasSuffix(" ") && !name.hasSuffix("."))
      #expect(!path.split(separator: "/").contains(".."))
      #expect(!["CON", "CON.txt"].contains(name))
    }
    let names = paths.map { ($0 as NSString).lastPathComponent }
    // A name with separators keeps every word; only a whole client path is cut to its file.
    #expect(names.contains("reports_2024_q1.pdf"))
    #expect(names.contains("scan.pdf"))
    #expect(names.contains("notes.v2.final.txt"))
    #expect(names.contains("🎉 party.png"))
    #expect(names.contains { $0.hasPrefix("üü") && $0.hasSuffix(".docx") })
    #expect(names.contains("_CON.txt"))
    #expect(names.contains("a_.._.._.._etc_passwd"))
    // Two names equal on a case-insensitive disk, and two attachments of one name: the later
    // gets its record Id.
    #expect(names.contains("Report.PDF") && names.contains { $0.hasPrefix("report (00P") })
    #expect(names.contains("same.txt") && names.contains { $0.hasPrefix("same (00P") })
  }

  @Test func versionsAreAllKeptTheLatestUnderThePlainName() throws {
    let restored = try Restored(Self.hardExport())
    let plans = restored.manifest.filter { ($0["Path"] ?? "").contains("/Plan") }
    let names = Set(plans.map { (($0["Path"] ?? "") as NSString).lastPathComponent })
    #expect(names == ["Plan.xlsx", "Plan (v1).xlsx", "Plan (v2).xlsx"])
    // Shared with two accounts: found under both.
    #expect(plans.allSatisfy { !($0["AlsoAt"] ?? "").isEmpty })
    let latestOnly = try Restored(Self.hardExport()) { $0.latestOnly = true }
    #expect(latestOnly.manifest.filter { $0["Status"] == "skipped" }.count >= 2)
    #expect(latestOnly.report.isComplete == false)  // the lost file is still reported
  }

  @Test func anEnhancedNoteIsAlsoReadableHTML() throws {
    let restored = try Restored(Self.hardExport())
    let note = try #require(
      restored.manifest.first { ($0["Path"] ?? "").hasSuffix("Call notes.snote") })
    let readable = try #require(note["Readable"])
    let page = try String(contentsOfFile: restored.root + "/" + readable, encoding: .utf8)
    #expect(page.contains("<p>Called the customer.</p>") && page.hasPrefix("<!DOCTYPE html>"))
  }

  @Test func linksAndMissingFilesAreReportedAndTheExitSaysSo() throws {
    let restored = try Restored(Self.hardExport())
    #expect(
      restored.manifest.contains {
        $0["Status"] == "no-file" && ($0["Reason"] ?? "").contains("a link to")
      })
    let lost = try #require(
      restored.manifest.first { $0["Id"] == IdFactory.make(prefix: "068", serial: 7200) })
    #expect(lost["Status"] == "failed")
    #expect(lost["Reason"]?.contains("in no part") == true)
    #expect(!restored.report.isComplete)
    // Without that row the restore is complete.
    var clean = smallExport()
    clean.maxPartBytes = 20_000
    let complete = try Restored(clean)
    #expect(complete.report.isComplete, "\(complete.report.failed.map(\.reason))")
  }

  @Test func recordsAreOneUTF8CSVPerObjectWithOneHeader() throws {
    var export = smallExport()
    export.encoding = .iso88591
    export.splitObjects = ["Contact"]
    let restored = try Restored(export) { $0.jsonLines = true }
    let contacts = try Data(
      contentsOf: URL(fileURLWithPath: restored.root + "/records/Contact.csv"))
    let (collected, invalid) = parseCSV(Array(contacts))
    #expect(invalid == nil)
    #expect(collected.records.count == export.table("Contact")!.rows.count + 1)
    #expect(collected.records[0] == export.table("Contact")!.header)
    #expect(FileManager.default.fileExists(atPath: restored.root + "/records/Contact.jsonl"))
    let text = String(decoding: contacts, as: UTF8.self)
    #expect(text.contains("Müller") || text.contains("Zürich") || text.contains("Jürgen"))
  }

  @Test func aFolderThatIsNotEmptyIsRefusedAndResumeKeepsIdenticalFiles() throws {
    let restored = try Restored(Self.hardExport())
    #expect(throws: BackupRestorer.Failure.self) {
      try BackupRestorer(options: RestoreOptions(destination: restored.root)).restore(paths: [
        restored.parts
      ])
    }
    var options = RestoreOptions(destination: restored.root)
    options.resume = true
    let again = try BackupRestorer(options: options).restore(paths: [restored.parts])
    #expect(
      again.rows.filter { $0.status == .alreadyRestored }.count == restored.report.restoredCount)
    // A planted symbolic link is never followed.
    let victim = restored.directory.file("outside")
    try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
    let fresh = restored.directory.file("fresh")
    try FileManager.default.createDirectory(
      atPath: fresh + "/files", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: fresh + "/files/Account", withDestinationPath: victim)
    var planted = RestoreOptions(destination: fresh)
    planted.resume = true
    #expect(throws: (any Error).self) {
      try BackupRestorer(options: planted).restore(paths: [restored.parts])
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: victim).isEmpty)
  }

  /// A link planted at any level of a resumed restore: the files folder, a record's folder, a
  /// file's own name, the records folder, a record file's name, the destination itself. Each
  /// is refused or replaced as a link, never followed: nothing appears outside DIR and the
  /// link's target is untouched.
  @Test(arguments: ["files", "files/Account", "records", "records/Account.csv", "."])
  func aLinkPlantedAtAnyLevelIsNeverFollowed(level: String) throws {
    let restored = try Restored(Self.hardExport())
    let victim = restored.directory.file("outside")
    try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
    try Data("precious".utf8).write(to: URL(fileURLWithPath: victim + "/Account.csv"))
    let fresh = restored.directory.file("fresh")
    try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)
    var destination = fresh
    if level == "." {
      destination = restored.directory.file("link")
      try FileManager.default.createSymbolicLink(atPath: destination, withDestinationPath: victim)
    } else {
      let parent = (fresh + "/" + level as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      let target = level.hasSuffix(".csv") ? victim + "/Account.csv" : victim
      try FileManager.default.createSymbolicLink(
        atPath: fresh + "/" + level, withDestinationPath: target)
    }
    var options = RestoreOptions(destination: destination)
    options.resume = true
    _ = try? BackupRestorer(options: options).restore(paths: [restored.parts])
    #expect(try FileManager.default.contentsOfDirectory(atPath: victim) == ["Account.csv"])
    #expect(try String(contentsOfFile: victim + "/Account.csv", encoding: .utf8) == "precious")
  }

  /// Two parts holding one file with different bytes (verify's `entry-conflict`): which copy is
  /// right cannot be told, so restore and verify agree: the file is `failed`, the run is not
  /// complete, and neither copy is left under the file's real name. An identical copy is fine.
  @Test(arguments: [true, false])
  func differingCopiesOfAFileAreFailedAndNeitherIsKept(differ: Bool) throws {
    let directory = TemporaryDirectory()
    let export = smallExport()
    let attachment = try #require(export.files.first { $0.folder == "Attachments" })
    var paths = try FixtureWriter.writeParts(export, to: directory.path + "/parts")
    let extra = directory.path + "/parts/WE_\(ExportGenerator.orgId)_\(paths.count + 1).ZIP"
    let copy = differ ? [UInt8](repeating: 0, count: attachment.content.count) : attachment.content
    try RawZip.write([RawZip.Entry("Attachments/\(attachment.name)", copy)], to: extra)
    paths.append(extra)
    let report = try BackupRestorer(options: RestoreOptions(destination: directory.path + "/out"))
      .restore(paths: paths)
    let row = try #require(report.rows.first { $0.id == attachment.name })
    let verified = try ExportVerifier().verify(paths: paths)
    if differ {
      #expect(row.status == .failed)
      #expect(row.reason.contains("entry-conflict"), "\(row.reason)")
      #expect(!report.isComplete)
      #expect(!verified.isCertified)
      let written = try FileManager.default.subpathsOfDirectory(
        atPath: directory.path + "/out/files")
      #expect(!written.contains { $0.hasSuffix(".pdf") && $0.contains(attachment.name) })
      let database = try SQLiteDatabase(
        path: directory.path + "/out/archive.sqlite", readOnly: true)
      #expect(
        try database.rows("SELECT Status FROM manifest WHERE Id = ?", [.text(attachment.name)])
          .first?[0] == "failed")
    } else {
      #expect(row.status == .restored, "\(row.reason)")
      #expect(report.isComplete)
    }
    // No restored file anywhere holds the zeros of the bad copy.
    let zeros = [UInt8](repeating: 0, count: attachment.content.count)
    let files = FileManager.default.enumerator(atPath: directory.path + "/out/files")
    while let path = files?.nextObject() as? String {
      let full = directory.path + "/out/files/" + path
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder),
        !isFolder.boolValue
      else { continue }
      #expect(Array(try Data(contentsOf: URL(fileURLWithPath: full))) != zeros, "\(path)")
    }
  }

  /// Records CSVs open cleanly in Excel on Windows (a UTF-8 byte-order mark; `--no-bom` to
  /// leave it out) and in grep and spreadsheets (NUL left out of the cells, counted); the
  /// archive keeps every character.
  @Test func recordsCSVsCarryAByteOrderMarkAndNoNUL() throws {
    let export = smallExport()
    let withNUL = try #require(
      export.tables.first { $0.rows.contains { $0.contains { $0.contains("\u{0}") } } })
    let restored = try Restored(export)
    let csv = Array(
      try Data(contentsOf: URL(fileURLWithPath: restored.root + "/records/\(withNUL.name).csv")))
    #expect(csv.prefix(3) == [0xEF, 0xBB, 0xBF])
    #expect(!csv.contains(0))
    #expect((restored.report.removedNULs[withNUL.name] ?? 0) > 0)
    let database = try SQLiteDatabase(path: restored.root + "/archive.sqlite", readOnly: true)
    let stored = try database.rows(
      "SELECT count(*) FROM \(SQLiteDatabase.quote(withNUL.name)) WHERE instr(Description, char(0)) > 0"
    )
    #expect(stored.first?[0].flatMap { Int($0) } ?? 0 > 0)
    let plain = try Restored(export) { $0.byteOrderMark = false }
    let bare = Array(
      try Data(contentsOf: URL(fileURLWithPath: plain.root + "/records/\(withNUL.name).csv")))
    #expect(bare.prefix(3) != [0xEF, 0xBB, 0xBF])
    #expect(bare.starts(with: Array("Id,".utf8)))
  }

  /// ContentBody files have only an Id for a name: they get the extension their bytes say
  /// (`.pdf`, `.png`, ...), and none when the bytes say nothing certain.
  @Test func filesNamedByIdAloneGetTheExtensionTheirBytesSay() throws {
    var export = smallExport()
    var bodies = try #require(export.table("ContentBody"))
    let contents: [[UInt8]] = [
      Array("%PDF-1.7 rest".utf8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2],
      Array("plain words".utf8),
    ]
    var expected: [String: String] = [:]
    for (index, row) in bodies.rows.prefix(contents.count).enumerated() {
      let id = row[bodies.column("Id")]
      let content = contents[index]
      bodies.rows[index][bodies.column("Size")] = String(content.count)
      bodies.rows[index][bodies.column("Hash")] = Insecure.MD5.hash(data: content)
        .map { String(format: "%02x", $0) }.joined()
      let fileIndex = try #require(
        export.files.firstIndex { $0.folder == "Other Uploaded Collateral" && $0.name == id })
      export.files[fileIndex].content = content
      expected[id] = ["pdf", "png", ""][index]
    }
    export.setTable(bodies)
    let restored = try Restored(export)
    for (id, ext) in expected {
      let row = try #require(restored.report.rows.first { $0.id == id })
      #expect(row.status == .restored, "\(row.reason)")
      #expect((row.path as NSString).pathExtension == ext, "\(row.path)")
      #expect(FileManager.default.fileExists(atPath: restored.root + "/" + row.path))
    }
  }

  @Test(arguments: 0..<40)
  func noNameEverLeavesItsFolder(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed))
    let alphabet = Array("ab./\\\u{0}\u{1F}: ..😀ü%*?\"<>|CONaux")
    let raw = String(
      (0..<(1 + random.below(80))).map { _ in alphabet[random.below(alphabet.count)] })
    let name = SafeFileName.make(raw, fallback: "file")
    #expect(!name.isEmpty && name != "." && name != "..")
    #expect(!name.contains("/") && !name.contains("\\") && !name.contains("\u{0}"))
    #expect(name.utf8.count <= 255)
    #expect(!name.unicodeScalars.contains { $0.value < 0x20 })
  }
}

@Suite(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct RestoreCommandTests {
  @Test func theExampleRestoresWithExitZeroAndANonEmptyFolderIsRefused() throws {
    let directory = TemporaryDirectory()
    let example = SharedCorpus.projectRoot + "/Fixtures/example"
    let target = directory.file("restored")
    let run = try ExportGateBinary.run(["restore", example, "--to", target], timeoutSeconds: 120)
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("restored "))
    #expect(FileManager.default.fileExists(atPath: target + "/manifest.csv"))
    let again = try ExportGateBinary.run(["restore", example, "--to", target], timeoutSeconds: 120)
    #expect(again.status == 2)
    #expect(again.standardError.contains("not empty"))
    let both = try ExportGateBinary.run(
      ["restore", example, "--to", target, "--files-only", "--records-only"], timeoutSeconds: 20)
    #expect(both.status == 64)
  }

  @Test func aMissingFileExitsOne() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.files.removeFirst()
    try FixtureWriter.writeParts(export, to: directory.file("parts"))
    let run = try ExportGateBinary.run(
      ["restore", directory.file("parts"), "--to", directory.file("out")], timeoutSeconds: 120)
    #expect(run.status == 1)
    #expect(run.standardOutput.contains("NOT RESTORED"))
  }
}
