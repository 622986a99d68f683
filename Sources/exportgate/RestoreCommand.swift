import ArgumentParser
import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate restore`: the backup back as files people can open, under their real names, with
/// a manifest proving every file the export lists was restored intact.
struct RestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Restore a Data Export as records (UTF-8 CSV) and files under their real names.",
    discussion: """
      Example: exportgate restore backup/ --to restored/

      Years later: exportgate restore --check restored/ (every restored file still there, \
      same SHA-256 as manifest.csv; exit 0 intact, 1 changed or gone, 2 no manifest).

      Writes DIR/records/<Object>.csv, DIR/files/<Parent object>/<Parent name> (<Parent Id>)/<file \
      name>, and DIR/manifest.csv (one row per file the export lists: path, bytes, SHA-256, MD5, \
      source part and entry, or why it could not be restored), and DIR/archive.sqlite: every \
      record in a table per object, lookups declared, full-text search, the manifest (open it \
      with `exportgate search DIR WORDS`, or Datasette with DIR/metadata.json). Nothing is ever overwritten and \
      nothing is written outside DIR. Exit codes: 0 every file restored intact, 1 some could \
      not be (listed), 2 the restore could not run (no such input, DIR not empty without \
      --resume), 64 bad flags.
      """
  )

  @Argument(help: "ZIP parts, folders of parts, or an extracted export folder.")
  var paths: [String] = []

  @Option(name: .customLong("to"), help: "The folder to restore into (new, or empty).")
  var destination: String?

  @Option(
    name: .customLong("check"),
    help: "Re-check a restore folder against its manifest.csv (files present, same SHA-256).")
  var checkFolder: String?

  @Flag(name: .customLong("files-only"), help: "Only the files (no records/).")
  var filesOnly = false

  @Flag(name: .customLong("records-only"), help: "Only the records (no files/).")
  var recordsOnly = false

  @Flag(name: .customLong("latest-only"), help: "Only the latest version of each Salesforce File.")
  var latestOnly = false

  @Flag(name: .customLong("jsonl"), help: "Also write each object's records as JSON lines.")
  var jsonLines = false

  @Flag(
    name: .customLong("no-bom"),
    help: "No UTF-8 byte-order mark at the start of each records CSV (Excel needs it).")
  var noByteOrderMark = false

  @Flag(name: .customLong("no-database"), help: "Do not write DIR/archive.sqlite.")
  var noDatabase = false

  @Flag(help: "Continue a restore in DIR: identical files already there are kept.")
  var resume = false

  @Option(
    help: "The export's encoding: auto (default), UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16BE, ...",
    transform: TextEncoding.init(name:))
  var encoding: TextEncoding?

  @Option(help: "Parts read and files written at once (default: every core).")
  var jobs: Int?

  func validate() throws {
    if checkFolder != nil {
      guard paths.isEmpty, destination == nil else {
        throw ValidationError("--check DIR takes no parts and no --to: it reads DIR/manifest.csv")
      }
      return
    }
    if paths.isEmpty { throw ValidationError("give the export's parts (or a folder of them)") }
    if destination == nil { throw ValidationError("--to DIR is required: where to restore") }
    if filesOnly && recordsOnly {
      throw ValidationError("--files-only and --records-only exclude each other")
    }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    if let checkFolder { return try Self.check(checkFolder) }
    var options = RestoreOptions(destination: destination ?? "")
    options.filesOnly = filesOnly
    options.recordsOnly = recordsOnly
    options.latestOnly = latestOnly
    options.jsonLines = jsonLines
    options.database = !noDatabase
    options.byteOrderMark = !noByteOrderMark
    options.resume = resume
    options.jobs = jobs
    if let encoding { options.encoding = encoding }
    // Said before anything is written: restoring a damaged export is allowed, never silent.
    if let warning = try? RestorePrecheck(paths: paths).warning {
      FileHandle.standardError.write(Data(warning.utf8))
    }
    let meter = ProgressMeter.forTerminal()
    let report: RestoreReport
    do {
      report = try BackupRestorer(options: options).restore(paths: paths, progress: meter?.update)
      meter?.finish()
    } catch {
      meter?.finish()
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
    let noFile = report.rows.filter { $0.status == .noFile }.count
    let skipped = report.rows.filter { $0.status == .skipped }.count
    var summary =
      "restored \(report.restoredCount) file(s) and \(report.objects) object(s) into \(report.destination)"
    if noFile > 0 { summary += "; \(noFile) row(s) have no file (links)" }
    if skipped > 0 { summary += "; \(skipped) older version(s) left out" }
    print(summary)
    for row in report.failed.prefix(20) {
      print("NOT RESTORED: \(row.id): \(row.reason)")
    }
    if report.failed.count > 20 { print("... and \(report.failed.count - 20) more (manifest.csv)") }
    for problem in report.recordProblems.prefix(10) {
      print(
        "RECORDS: \(problem.location.object ?? ""): \(problem.code.rawValue): \(problem.message)")
    }
    if report.recordProblems.count > 10 {
      print("... and \(report.recordProblems.count - 10) more")
    }
    for code in Set(report.recordProblems.map(\.code)).sorted(by: {
      $0.reportOrder < $1.reportOrder
    }) {
      print("  what to do (\(code.rawValue)): \(code.advice)")
    }
    for (object, count) in report.removedNULs.sorted(by: { $0.key < $1.key }) {
      print(
        "note: \(count) NUL character(s) left out of \(report.recordFiles[object] ?? "records/\(object).csv") (spreadsheets and grep stop at them; archive.sqlite keeps them)"
      )
    }
    for (object, path) in report.renamedRecordFiles {
      print(
        "note: \(object)'s records are in \(path): its name is another object's once made safe for every file system (records-manifest.csv lists each object's file)"
      )
    }
    if !options.recordsOnly { print("manifest: \(report.destination)/manifest.csv") }
    if let archive = report.archive {
      var line =
        "archive: \(archive.path) (\(archive.records) record(s) in \(archive.tables) table(s)"
      if archive.rejected > 0 {
        line +=
          "; \(archive.rejected) record(s) could not be stored as they are: see _rejected_rows"
      }
      print(line + "); search it: exportgate search \(report.destination) WORDS")
    }
    if !report.isComplete { throw ExitCode(1) }
  }

  /// `--check DIR`: the restore as its manifest says it is, or what changed.
  static func check(_ folder: String) throws {
    let result: RestoreCheck.Result
    do {
      result = try RestoreCheck.check(folder: folder)
    } catch {
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
    for problem in result.problems.prefix(50) {
      print("CHANGED: \(problem.path) (\(problem.id)): \(problem.reason)")
    }
    if result.problems.count > 50 { print("... and \(result.problems.count - 50) more") }
    let verdict =
      result.isIntact
      ? "INTACT: all \(result.checked) restored file(s) are as manifest.csv says"
      : "NOT INTACT: \(result.problems.count) of \(result.checked) restored file(s) changed or gone"
    print(verdict)
    if result.notRestored > 0 {
      print(
        "note: \(result.notRestored) file(s) the manifest lists as failed were never restored (see manifest.csv)"
      )
    }
    if !result.isIntact { throw ExitCode(1) }
  }
}
