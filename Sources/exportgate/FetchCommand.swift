import ArgumentParser
import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate fetch`: downloads every part of the org's Data Export, resumably, and records
/// the page's part list as proof that none is missing.
struct FetchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Download every part of the org's Data Export, and prove no part is missing.",
    discussion: """
      Example: exportgate fetch --to backup/ --verify --target-org prod

      Credentials come from the Salesforce CLI (sf org display --json [--target-org ALIAS]), or \
      with --instance-url from the environment variable SF_ACCESS_TOKEN; never from the command \
      line, never written or printed. DIR/export-parts.json records the part list as the Data \
      Export page showed it; verify reads it. Running fetch again downloads only what is \
      missing or incomplete. Exit codes: 0 every part complete (with --verify: certified), 1 \
      not certified (--verify), 2 the fetch could not complete (no export, session not \
      accepted, a part that never completed, the org's inventory not taken), 64 bad flags. \
      After the parts, fetch takes the org's inventory (DIR/org-inventory.json: objects, \
      counts, fields and files the export must hold) unless --no-inventory.
      """
  )

  @Option(name: .customLong("to"), help: "The folder to download the parts into.")
  var destination: String

  @OptionGroup var login: SessionOptions

  @Option(help: "Parts downloaded at once.")
  var jobs: Int = 2

  @Option(help: "Further attempts per part after a dropped connection or a server error.")
  var retries: Int = 4

  @Flag(help: "Verify the bundle once downloaded; exit like verify (0 certified, 1 not).")
  var verify = false

  @Flag(
    name: .customLong("no-inventory"),
    help: "Do not take the org's inventory (DIR/org-inventory.json) after the parts.")
  var noInventory = false

  func validate() throws {
    if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if retries < 0 { throw ValidationError("--retries must be 0 or more") }
  }

  func run() async throws {
    let session = try login.session()
    var options = ExportFetcher.Options(destination: destination)
    options.jobs = jobs
    options.retries = retries
    if let delay = ProcessInfo.processInfo.environment["EXPORTGATE_RETRY_DELAY"].flatMap(
      Double.init)
    {
      options.retryDelay = delay
    }
    var meter: SharedMeter?
    if let terminal = ProgressMeter.forTerminal() { meter = SharedMeter(terminal) }
    let report: ExportFetcher.Report
    do {
      var progress: (@Sendable (Int64, Int64) -> Void)?
      if let meter {
        progress = { done, total in meter.update(done, total) }
      }
      report = try ExportFetcher(options: options).fetch(session: session, progress: progress)
      meter?.finish()
    } catch {
      meter?.finish()
      FileHandle.standardError.write(Data("exportgate: \(session.redact("\(error)"))\n".utf8))
      throw ExitCode(2)
    }
    let list = report.list
    let bytes = list.parts.compactMap(\.bytes).reduce(0, +)
    print(
      "fetched \(list.parts.count) part(s) listed by the Data Export page into \(destination): \(report.downloaded.count) downloaded, \(report.alreadyComplete.count) already complete (\(ByteFormat.human(bytes)))"
    )
    if let expires = report.expiresAround {
      let hours = Int(expires.timeIntervalSinceNow / 3600)
      let when = ISO8601DateFormatter().string(from: expires).prefix(10)
      let clock =
        hours > 0
        ? "about \(hours) hour(s) left, until around \(when)"
        : "probably expired already (around \(when))"
      print(
        "links: \(clock) (48 hours after the export; approximate, the page shows only the day)\(hours < 12 ? ": WARNING, little time left" : "")"
      )
    }
    for failure in report.failed {
      print("NOT COMPLETE: \(failure.location.part ?? ""): \(session.redact(failure.message))")
    }
    if !report.failed.isEmpty {
      print(
        "  what to do (\(FindingCode.partNotDownloaded.rawValue)): \(FindingCode.partNotDownloaded.advice)"
      )
    }
    print("part list: \(destination)/\(ExportPartList.fileName)")
    guard report.isComplete else { throw ExitCode(2) }
    if !noInventory {
      try await takeInventory(session: session, scheduledDay: report.scheduledDay)
    }
    if verify {
      let verification = try ExportVerifier().verify(paths: [destination])
      print(TextReportRenderer(colour: false).render(verification), terminator: "")
      if !verification.isCertified { throw ExitCode(1) }
    }
  }
}

extension FetchCommand {
  /// The org's inventory beside the parts, anchored on the day the page dates the export.
  fileprivate func takeInventory(session: SalesforceSession, scheduledDay: Date?) async throws {
    let path = (destination as NSString).appendingPathComponent(OrgInventory.fileName)
    guard let scheduledDay else {
      print(
        "NOT TAKEN: the org's inventory: the Data Export page gives no date; run exportgate inventory --to \(path) --as-of TIME"
      )
      throw ExitCode(2)
    }
    var options = InventoryTaker.Options(
      asOf: InventoryTaker.asOf(scheduledDay: scheduledDay),
      asOfSource: "the Data Export page's date, at the start of that day in UTC+14")
    options.retries = retries
    if let delay = ProcessInfo.processInfo.environment["EXPORTGATE_RETRY_DELAY"].flatMap(
      Double.init)
    {
      options.retryDelay = delay
    }
    try await InventoryCommand.take(options: options, session: session, to: path)
  }
}

/// The terminal meter, updated from download workers one at a time. Unchecked: the meter is
/// not Sendable, and lives inside the lock, so no worker reaches it outside.
private final class SharedMeter: @unchecked Sendable {
  private let meter: Locked<ProgressMeter>

  init(_ meter: ProgressMeter) { self.meter = Locked(meter) }

  func update(_ done: Int64, _ total: Int64) {
    meter.withLock { $0.update(ScanProgress(bytesDone: done, bytesTotal: total)) }
  }

  func finish() { meter.withLock { $0.finish() } }
}
