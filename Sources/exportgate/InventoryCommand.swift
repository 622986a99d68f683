import ArgumentParser
import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate inventory --to FILE`: asks the org what its Data Export should hold, for a
/// bundle downloaded by hand (`fetch` takes the inventory itself).
struct InventoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inventory",
    abstract: "Record what the org holds (objects, counts, fields, files), to certify against.",
    discussion: """
      Example: exportgate inventory --to export/org-inventory.json --target-org prod

      Take it the day you export, while the org exists: verify reads org-inventory.json beside \
      the parts (or --inventory FILE) and certifies the export against it. Counts are of \
      records created by T, a moment certainly before the export started: the start of the day \
      the Data Export page shows, in the earliest time zone (or --as-of). The inventory user \
      needs View All Data and Query All Files, or the inventory covers only what that user \
      sees. Credentials as for fetch; the token is never printed or written. Exit codes: 0 \
      taken, 2 could not be taken (nothing written), 64 bad flags.
      """
  )

  @Option(name: .customLong("to"), help: "The file to write (org-inventory.json beside the parts).")
  var destination: String

  @OptionGroup var login: SessionOptions

  @Option(
    name: .customLong("as-of"),
    help:
      "T, ISO 8601 (2026-12-05T07:00:00Z): a moment before the export started. Default: from the Data Export page."
  )
  var asOf: String?

  @Option(help: "Requests to the org at once.")
  var jobs: Int = 4

  @Option(help: "Further attempts per request after a dropped connection or a server error.")
  var retries: Int = 4

  func validate() throws {
    if jobs < 1 || jobs > 16 { throw ValidationError("--jobs must be between 1 and 16") }
    if retries < 0 { throw ValidationError("--retries must be 0 or more") }
    if let asOf, ISO8601DateFormatter().date(from: asOf) == nil {
      throw ValidationError(
        "--as-of '\(asOf)' is not an ISO 8601 time such as 2026-12-05T07:00:00Z")
    }
  }

  func run() async throws {
    let session = try login.session()
    let anchor: (date: Date, source: String)
    if let asOf, let date = ISO8601DateFormatter().date(from: asOf) {
      anchor = (date, "--as-of")
    } else {
      anchor = try anchorFromPage(session)
    }
    var options = InventoryTaker.Options(asOf: anchor.date, asOfSource: anchor.source)
    options.jobs = jobs
    options.retries = retries
    if let delay = ProcessInfo.processInfo.environment["EXPORTGATE_RETRY_DELAY"].flatMap(
      Double.init)
    {
      options.retryDelay = delay
    }
    try await Self.take(options: options, session: session, to: destination)
  }

  /// T from the Data Export page's date; without one, the user must say.
  private func anchorFromPage(_ session: SalesforceSession) throws -> (Date, String) {
    do {
      let page = try ExportFetcher(options: ExportFetcher.Options(destination: "."))
        .readPage(session: session)
      guard let day = page.scheduledDay else { throw ValidationError("no date") }
      return (
        InventoryTaker.asOf(scheduledDay: day),
        "the Data Export page's date \(page.scheduleDate ?? "?"), at the start of that day in UTC+14"
      )
    } catch {
      FileHandle.standardError.write(
        Data(
          "exportgate: the Data Export page gives no export date (\(session.redact("\(error)"))): give --as-of, a moment before the export started\n"
            .utf8))
      throw ExitCode(2)
    }
  }

  /// Takes the inventory and writes it (atomically), saying what it holds; exit 2 on failure.
  static func take(
    options: InventoryTaker.Options, session: SalesforceSession, to destination: String
  ) async throws {
    let onTerminal = isatty(STDERR_FILENO) == 1
    var progress: (@Sendable (String) -> Void)?
    if onTerminal {
      progress = { stage in
        FileHandle.standardError.write(Data("inventory: \(stage)...\n".utf8))
      }
    }
    do {
      let inventory = try await InventoryTaker(options: options).take(
        session: session, progress: progress)
      try inventory.save(to: destination)
      let withRecords = inventory.objects.filter { ($0.count.best ?? 0) > 0 }
      print(
        "inventory of \(inventory.instance) as of \(inventory.asOf) written to \(destination): \(withRecords.count) object(s) with records, \(inventory.skipped.count) skipped by rule, \(inventory.contentFiles.map { "\($0.count) stored file(s)" } ?? "no file list")"
      )
      if inventory.permissions.viewAllData != true || inventory.permissions.queryAllFiles != true {
        print(
          "WARNING: \(inventory.user.username ?? "the inventory user") lacks View All Data or Query All Files (or it could not be asked): the inventory covers only what that user sees"
        )
      }
      for problem in inventory.problems.prefix(10) { print("note: \(problem)") }
      if inventory.problems.count > 10 {
        print("note: \(inventory.problems.count - 10) more in \(destination) (problems)")
      }
    } catch {
      FileHandle.standardError.write(
        Data("exportgate: inventory not taken: \(session.redact("\(error)"))\n".utf8))
      throw ExitCode(2)
    }
  }
}
