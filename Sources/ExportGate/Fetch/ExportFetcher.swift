import Crypto
import Foundation
import NIOCore
import Synchronization

/// `fetch`: reads the org's Data Export page, records its part list in `export-parts.json`,
/// and downloads every part: `jobs` at once, each streamed to disk under a temporary name,
/// hashed while streaming, checked against its length, retried with backoff (resumed with a
/// Range request where the org honours it), and renamed to its final name only when complete.
/// Running it again downloads only what is missing or incomplete.
public struct ExportFetcher: Sendable {
  /// How to fetch.
  public struct Options: Sendable {
    public var destination: String
    public var jobs = 2
    /// Further attempts per part after the first.
    public var retries = 4
    /// The first retry's delay; each next one doubles (capped at 30 s).
    public var retryDelay: TimeInterval = 1
    public var timeout: TimeInterval = 60

    public init(destination: String) { self.destination = destination }
  }

  /// Why a fetch could not run or complete.
  public struct Failure: Error, CustomStringConvertible {
    /// `refused`: what the page or the folder holds cannot be trusted (a part name that is
    /// not a part's, another export's parts in the folder, a body that is no part, no room
    /// before the start); `diskFull`: the disk filled up while downloading.
    public enum Kind: Sendable {
      case sessionRejected, noExport, unreachable, incomplete, refused, diskFull
    }
    public let kind: Kind
    public let description: String
  }

  /// What a fetch did.
  public struct Report: Sendable {
    public var list: ExportPartList
    public var downloaded: [String]
    public var alreadyComplete: [String]
    /// Parts not downloaded (`part-not-downloaded`, located by part), in name order.
    public var failed: [Finding]
    /// About when the links expire (48 hours after the export; the page shows the day only).
    public var expiresAround: Date?
    /// The day the page dates the export (midnight UTC of the date shown).
    public var scheduledDay: Date?
    public var isComplete: Bool { failed.isEmpty }
  }

  public static let pagePath = "/ui/setup/export/DataExportPage/d?setupid=DataManagementExport"

  public let options: Options

  public init(options: Options) { self.options = options }

  public func fetch(
    session: SalesforceSession, progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> Report {
    do {
      try session.checkTransport()
    } catch {
      throw Failure(kind: .refused, description: "\(error)")
    }
    let connection = OrgConnection(session: session, timeout: options.timeout)
    defer { connection.shutdown() }
    let page = try readPage(connection, session: session)
    try Self.checkPartNames(page.links)
    let folder = try openFolder(listing: page.links)
    let previous: ExportPartList?
    do {
      previous = try ExportPartList.load(folder: folder.path)
    } catch {
      throw Failure(
        kind: .refused,
        description:
          "\(ExportPartList.fileName) in \(folder.path) cannot be read (\(error)): move it aside (it may be another export's) and fetch again"
      )
    }
    let list = ExportPartList(
      instance: session.instanceURL.absoluteString,
      readAt: ISO8601DateFormatter().string(from: Date()), scheduleDate: page.scheduleDate,
      encoding: page.encoding,
      parts: page.links.map { link in
        // A part of the same export already downloaded keeps what was recorded of it.
        let known = previous?.parts.first {
          $0.name == link.fileName && $0.exportId == link.exportId
        }
        return ExportPartList.Part(
          name: link.fileName, exportId: link.exportId, displayedSize: link.displayedSize,
          bytes: known?.bytes, sha256: known?.sha256, downloadedAt: known?.downloadedAt,
          validators: known?.validators)
      })
    try Self.checkSpace(folder, for: list)
    do {
      try list.save(folder: folder.path)
    } catch {
      throw Failure(kind: .unreachable, description: "cannot record the part list: \(error)")
    }

    let state = FetchState(list: list, folder: folder, progress: progress)
    let links = page.links
    let workers = max(1, min(options.jobs, links.count))
    let next = Counter()
    let task: @Sendable (Int) -> Void = { _ in
      while let index = next.take(below: links.count) {
        PartDownload(
          link: links[index], connection: connection, options: self.options, state: state
        )
        .run()
      }
    }
    if workers == 1 {
      task(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: task)
    }
    if let rejected = state.rejected { throw rejected }
    var report = Report(
      list: state.list, downloaded: state.downloaded.sorted(),
      alreadyComplete: state.alreadyComplete.sorted(),
      failed: state.failed.sorted { ($0.location.part ?? "") < ($1.location.part ?? "") },
      expiresAround: nil)
    report.expiresAround = page.scheduledDay.map { $0.addingTimeInterval(2 * 86_400) }
    report.scheduledDay = page.scheduledDay
    return report
  }

  // MARK: What the page and the folder may hold

  /// Part names from the page are data from the network: only `WE_<OrgId>_<n>.ZIP` names of
  /// one valid Org Id, each once, become file names; anything else (`../`, a path, a name of
  /// fetch's own files, a duplicate) refuses the whole fetch, so that every part the page
  /// lists ends up in the folder and the list, or fetch fails.
  static func checkPartNames(_ links: [DataExportPage.Link]) throws {
    var seen = Set<String>()
    var orgs = Set<String>()
    for link in links {
      let name = link.fileName
      guard let parsed = PartName(fileName: name), parsed.orgIdIsValid, parsed.number >= 1,
        name == "WE_\(parsed.orgId)_\(parsed.number).ZIP"
          || name == "WE_\(parsed.orgId)_\(parsed.number).zip"
      else {
        throw Failure(
          kind: .refused,
          description:
            "the Data Export page lists a part named '\(name)', which is not of the WE_<OrgId>_<n>.ZIP form: refused, nothing was downloaded (is this the org's real page?)"
        )
      }
      guard seen.insert(name.uppercased()).inserted else {
        throw Failure(
          kind: .refused, description: "the Data Export page lists the part \(name) twice: refused")
      }
      orgs.insert(parsed.orgId)
    }
    if orgs.count > 1 {
      throw Failure(
        kind: .refused,
        description:
          "the Data Export page lists parts of several orgs (\(orgs.sorted().joined(separator: ", "))): refused"
      )
    }
  }

  /// Creates and opens the folder; a folder holding ZIP parts the page does not list (another
  /// export's) is refused rather than mixed.
  private func openFolder(listing links: [DataExportPage.Link]) throws -> FetchFolder {
    let path = options.destination
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw Failure(
        kind: .unreachable, description: "cannot create \(path): \(error.localizedDescription)")
    }
    let listed = Set(links.map { $0.fileName.uppercased() })
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      // What the folder holds cannot be told: another export's parts may be in it.
      throw Failure(
        kind: .unreachable,
        description: "cannot list \(path): \(error.localizedDescription)")
    }
    let foreign = names.filter {
      $0.uppercased().hasSuffix(".ZIP") && !listed.contains($0.uppercased())
    }.sorted()
    if !foreign.isEmpty {
      throw Failure(
        kind: .refused,
        description:
          "\(path) holds \(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? " and \(foreign.count - 3) more" : ""), which the Data Export page does not list (another export's parts?): fetch into an empty folder, or move them away, so that two exports are never mixed"
      )
    }
    return try FetchFolder(path: path)
  }

  /// The parts still to download must fit: checked before the first byte, with the sizes the
  /// page shows.
  private static func checkSpace(_ folder: FetchFolder, for list: ExportPartList) throws {
    let needed = list.parts.filter { $0.sha256 == nil }
      .compactMap { FetchState.approximateBytes($0.displayedSize) }.reduce(0, +)
    guard let free = DiskSpace.free(folder.descriptor) else { return }
    if needed > free {
      throw Failure(
        kind: .refused,
        description:
          "\(folder.path) has \(ByteFormat.human(free)) free; the parts still to download need about \(ByteFormat.human(needed)) (as the Data Export page lists them): free some space or fetch elsewhere"
      )
    }
  }

  // MARK: The page

  /// The Data Export page as it lists the export now (for the day the export was made).
  public func readPage(session: SalesforceSession) throws -> DataExportPage {
    let connection = OrgConnection(session: session, timeout: options.timeout)
    defer { connection.shutdown() }
    return try readPage(connection, session: session)
  }

  private func readPage(_ connection: OrgConnection, session: SalesforceSession) throws
    -> DataExportPage
  {
    let response: OrgConnection.Response
    do {
      response = try connection.page(Self.pagePath)
    } catch {
      throw Failure(
        kind: .unreachable,
        description:
          "cannot read the Data Export page of \(session.instanceURL.absoluteString): \(error)")
    }
    let html = String(decoding: response.body, as: UTF8.self)
    if (300..<400).contains(response.status) || DataExportPage.isLoginPage(html) {
      throw Failure(
        kind: .sessionRejected,
        description:
          "the org did not accept the session (it answered with its login page\(response.redirectedTo.map { ": \(session.redact($0))" } ?? "")): run `sf org login web` again"
      )
    }
    guard response.status == 200 else {
      throw Failure(
        kind: .unreachable, description: "the Data Export page answered HTTP \(response.status)")
    }
    let page = DataExportPage(html: html)
    guard !page.links.isEmpty else {
      throw Failure(
        kind: .noExport,
        description:
          "no export is available for download on the Data Export page: run Export Now (Setup > Data Export) and fetch again when its email arrives"
      )
    }
    return page
  }
}

/// Hands out indices to workers, each once.
private final class Counter: Sendable {
  private let next = Atomic<Int>(0)

  func take(below limit: Int) -> Int? {
    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return index < limit ? index : nil
  }
}
