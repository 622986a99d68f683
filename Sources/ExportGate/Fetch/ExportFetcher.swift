import Crypto
import Foundation
import NIOCore

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
    public enum Kind: Sendable { case sessionRejected, noExport, unreachable, incomplete }
    public let kind: Kind
    public let description: String
  }

  /// What a fetch did.
  public struct Report: Sendable {
    public var list: ExportPartList
    public var downloaded: [String]
    public var alreadyComplete: [String]
    public var failed: [(name: String, reason: String)]
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
    let connection = OrgConnection(session: session, timeout: options.timeout)
    defer { connection.shutdown() }
    let page = try readPage(connection, session: session)
    let folder = options.destination
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw Failure(
        kind: .unreachable, description: "cannot create \(folder): \(error.localizedDescription)")
    }
    let previous = try? ExportPartList.load(folder: folder)
    var list = ExportPartList(
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
          bytes: known?.bytes, sha256: known?.sha256, downloadedAt: known?.downloadedAt)
      })
    try list.save(folder: folder)

    let state = FetchState(list: list, folder: folder, progress: progress)
    let links = page.links
    let workers = max(1, min(options.jobs, links.count))
    let next = Counter()
    let task: @Sendable (Int) -> Void = { _ in
      while let index = next.take(below: links.count) {
        self.fetchPart(links[index], connection: connection, state: state)
      }
    }
    if workers == 1 {
      task(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: task)
    }
    if let rejected = state.rejected { throw rejected }
    list = state.list
    var report = Report(
      list: list, downloaded: state.downloaded.sorted(),
      alreadyComplete: state.alreadyComplete.sorted(),
      failed: state.failed.sorted { $0.name < $1.name }, expiresAround: nil)
    report.expiresAround = page.scheduledDay.map { $0.addingTimeInterval(2 * 86_400) }
    report.scheduledDay = page.scheduledDay
    return report
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

  // MARK: One part

  private func fetchPart(
    _ link: DataExportPage.Link, connection: OrgConnection, state: FetchState
  ) {
    guard state.rejected == nil else { return }
    let final = (state.folder as NSString).appendingPathComponent(
      SafeFileName.make(link.fileName, fallback: "part.zip"))
    let partial = (state.folder as NSString).appendingPathComponent(
      ".\(SafeFileName.make(link.fileName, fallback: "part.zip")).partial")
    // Complete and matching the list: nothing to do.
    if let known = state.part(link.fileName), let bytes = known.bytes, let sha = known.sha256,
      PartHasher.matches(fileAt: final, size: bytes, sha256: sha)
    {
      state.complete(link.fileName, bytes: bytes, sha256: sha, downloadedNow: false)
      return
    }
    var lastProblem = "not attempted"
    var rangesHonoured = true
    for attempt in 0...options.retries {
      if attempt > 0 {
        Thread.sleep(forTimeInterval: min(options.retryDelay * pow(2, Double(attempt - 1)), 30))
      }
      switch downloadOnce(
        link, to: partial, resume: rangesHonoured, connection: connection, state: state)
      {
      case .complete(let bytes, let sha):
        guard rename(partial, final) == 0 else {
          lastProblem = "cannot move the part into place: \(String(cString: strerror(errno)))"
          continue
        }
        state.complete(link.fileName, bytes: bytes, sha256: sha, downloadedNow: true)
        return
      case .retry(let problem, let honoured):
        lastProblem = problem
        rangesHonoured = honoured
      case .rejected(let failure):
        state.reject(failure)
        return
      case .give(let problem):
        state.fail(link.fileName, problem)
        return
      }
    }
    state.fail(link.fileName, "\(lastProblem) (after \(options.retries + 1) attempts)")
  }

  private enum Attempt {
    case complete(bytes: Int64, sha256: String)
    case retry(String, rangesHonoured: Bool)
    case rejected(Failure)
    case give(String)
  }

  private func downloadOnce(
    _ link: DataExportPage.Link, to partial: String, resume: Bool, connection: OrgConnection,
    state: FetchState
  ) -> Attempt {
    var existing: Int64 = 0
    var info = stat()
    if resume, lstat(partial, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
      existing = Int64(info.st_size)
    } else {
      unlink(partial)
    }
    if existing == 0 {
      guard FileManager.default.createFile(atPath: partial, contents: nil) else {
        return .give("cannot create \(partial)")
      }
    }
    guard let handle = FileHandle(forUpdatingAtPath: partial) else {
      return .give("cannot open \(partial)")
    }
    defer { try? handle.close() }
    let hasher = PipelinedHasher()
    if existing > 0 {
      // The bytes kept from an earlier attempt count in the hash.
      try? FileChunks.read(path: partial, chunkSize: 1 << 20) { hasher.update($0) }
    }
    _ = try? handle.seekToEnd()
    let startOffset = existing
    let response: OrgConnection.Response
    do {
      response = try connection.download(
        link.path, resumingAt: existing > 0 ? existing : nil, into: handle.fileDescriptor,
        onResponse: { status, _ in
          // The org ignored the Range request: start the part again.
          if status == 200 && startOffset > 0 {
            try? handle.truncate(atOffset: 0)
            hasher.reset()
            state.progressed(-startOffset)
          }
        },
        onBytes: { bytes in
          hasher.update(bytes)
          state.progressed(Int64(bytes.readableBytes))
        })
    } catch let failure as OrgConnection.WriteFailure {
      return .give("\(failure) (\(partial))")
    } catch {
      return .retry("the connection failed: \(error)", rangesHonoured: true)
    }
    if response.status >= 500 {
      return .retry("the org answered HTTP \(response.status)", rangesHonoured: true)
    }
    if (300..<400).contains(response.status)
      || response.contentType.lowercased().hasPrefix("text/html")
    {
      return .rejected(
        Failure(
          kind: .sessionRejected,
          description:
            "the org answered \(link.fileName) with a web page instead of the file (the session expired or was not accepted): run `sf org login web` again; nothing was saved as the part"
        ))
    }
    guard response.status == 200 || response.status == 206 else {
      return .give("the org answered HTTP \(response.status) for \(link.fileName)")
    }
    // The length the part must have: Content-Range's total, else Content-Length.
    var expected: Int64?
    if response.status == 206, let range = response.headers["content-range"],
      let total = range.split(separator: "/").last.flatMap({ Int64($0) })
    {
      expected = total
    } else if let length = response.headers["content-length"].flatMap(Int64.init) {
      expected = response.status == 206 ? startOffset + length : length
    }
    try? handle.synchronize()
    let size = Int64((try? handle.seekToEnd()) ?? 0)
    guard let expected else {
      return .retry(
        "the org sent no length for \(link.fileName): it cannot be checked",
        rangesHonoured: response.status == 206)
    }
    guard size == expected else {
      return .retry(
        "\(link.fileName) stopped at \(size) of \(expected) bytes",
        rangesHonoured: response.status == 206 || startOffset == 0)
    }
    return .complete(bytes: size, sha256: hasher.hex)
  }
}

/// The part list and outcomes, shared by the download workers.
private final class FetchState: @unchecked Sendable {
  private let lock = NSLock()
  let folder: String
  private let progress: (@Sendable (Int64, Int64) -> Void)?
  private(set) var list: ExportPartList
  private(set) var downloaded: [String] = []
  private(set) var alreadyComplete: [String] = []
  private(set) var failed: [(name: String, reason: String)] = []
  private(set) var rejected: ExportFetcher.Failure?
  private var bytesDone: Int64 = 0
  private let bytesTotal: Int64

  init(list: ExportPartList, folder: String, progress: (@Sendable (Int64, Int64) -> Void)?) {
    self.list = list
    self.folder = folder
    self.progress = progress
    bytesTotal = list.parts.reduce(0) { $0 + (FetchState.approximateBytes($1.displayedSize) ?? 0) }
  }

  func part(_ name: String) -> ExportPartList.Part? {
    lock.withLock { list.parts.first { $0.name == name } }
  }

  func complete(_ name: String, bytes: Int64, sha256: String, downloadedNow: Bool) {
    lock.withLock {
      if let index = list.parts.firstIndex(where: { $0.name == name }) {
        list.parts[index].bytes = bytes
        list.parts[index].sha256 = sha256
        if downloadedNow {
          list.parts[index].downloadedAt = ISO8601DateFormatter().string(from: Date())
        }
      }
      if downloadedNow { downloaded.append(name) } else { alreadyComplete.append(name) }
      try? list.save(folder: folder)
    }
  }

  func fail(_ name: String, _ reason: String) { lock.withLock { failed.append((name, reason)) } }

  func reject(_ failure: ExportFetcher.Failure) {
    lock.withLock { if rejected == nil { rejected = failure } }
  }

  func progressed(_ bytes: Int64) {
    lock.withLock {
      bytesDone += bytes
      progress?(bytesDone, max(bytesTotal, bytesDone))
    }
  }

  /// `81.7K`, `512.0M`, `1.2G` as bytes.
  static func approximateBytes(_ text: String?) -> Int64? {
    guard var text = text?.trimmingCharacters(in: .whitespaces).uppercased(), let unit = text.last
    else { return nil }
    let scale: Double
    switch unit {
    case "K": scale = 1024
    case "M": scale = 1024 * 1024
    case "G": scale = 1024 * 1024 * 1024
    default: scale = 1
    }
    if scale > 1 { text.removeLast() }
    return Double(text).map { Int64($0 * scale) }
  }
}

/// A part's SHA-256, computed on a thread of its own while the network thread goes on reading
/// and writing: hashing inline stalls the socket for as long as it takes. At most `depth`
/// chunks wait to be hashed; past that the network thread waits, so memory stays bounded.
private final class PipelinedHasher: @unchecked Sendable {
  private let queue = DispatchQueue(label: "exportgate.fetch.sha256")
  private let slots: DispatchSemaphore
  /// Touched only on `queue`.
  private var hasher = SHA256()

  init(depth: Int = 8) { slots = DispatchSemaphore(value: depth) }

  func update(_ buffer: ByteBuffer) {
    slots.wait()
    queue.async {
      buffer.withUnsafeReadableBytes { self.hasher.update(bufferPointer: $0) }
      self.slots.signal()
    }
  }

  /// Bytes already on disk (a resumed part), hashed before any new chunk.
  func update(_ bytes: UnsafeRawBufferPointer) {
    queue.sync { hasher.update(bufferPointer: bytes) }
  }

  func reset() { queue.sync { hasher = SHA256() } }

  /// Waits for every queued chunk.
  var hex: String { queue.sync { PartHasher.hex(hasher.finalize()) } }
}

/// Hands out indices to workers, each once.
private final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0

  func take(below limit: Int) -> Int? {
    lock.withLock {
      guard next < limit else { return nil }
      defer { next += 1 }
      return next
    }
  }
}
