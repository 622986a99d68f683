import Foundation
import Hummingbird
import Logging
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate browse`: a local, read-only web page over a restore's archive (Hummingbird on
/// SwiftNIO). It listens on 127.0.0.1 unless told otherwise, and answers only requests that
/// carry its token (new each run, as Jupyter's): in the URL it prints, or in the cookie the
/// first such request sets. Everything else is a 403 with no page. Pages are rendered on the
/// server; files are served by manifest Id from the restore folder only.
public struct BrowseServer: Sendable {
  public let folder: String
  public let host: String
  public let port: Int
  public let token: String

  /// A new random token: 32 bytes from the system's generator, as hex.
  public static func newToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator))
    }
    .joined()
  }

  public init(folder: String, host: String = "127.0.0.1", port: Int = 0, token: String = newToken())
  {
    self.folder = folder
    self.host = host
    self.port = port
    self.token = token
  }

  /// Serves until cancelled; `ready` gets the URL to open once the port is bound.
  public func run(ready: @escaping @Sendable (String) -> Void) async throws {
    let session = try BrowseSession(folder: folder, token: token)
    let router = Router()
    router.add(
      middleware: TokenMiddleware(token: token, checksHost: SalesforceSession.isLoopback(host)))
    let pages = BrowseRoutes(session: session, folder: folder)
    pages.register(on: router)
    let host = self.host
    let token = self.token
    let app = Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? 0
        let shown = host.contains(":") ? "[\(host)]" : host
        ready("http://\(shown):\(bound)/?t=\(token)")
      },
      logger: Self.quietLogger())
    try await app.runService()
  }

  static func quietLogger() -> Logger {
    var logger = Logger(label: "exportgate-browse")
    logger.logLevel = .error
    return logger
  }
}

/// The archive behind the pages, one request at a time (SQLite connections are not shared
/// between threads; a local page for one person needs no more).
actor BrowseSession {
  private let pages: BrowsePages

  init(folder: String, token: String) throws {
    let browser = try ArchiveBrowser(folder: folder)
    pages = BrowsePages(
      browser: browser, search: try ArchiveSearch(folder: folder), token: token,
      title: "Salesforce archive")
  }

  func render(_ page: @Sendable (BrowsePages) throws -> String?) throws -> String? {
    try page(pages)
  }

  func filePath(id: String) throws -> String? {
    try pages.browser.database.rows(
      "SELECT \"Path\" FROM manifest WHERE \"Id\" = ? AND \"Status\" IN ('restored', 'already-restored')",
      [.text(id)]
    ).first?[0] ?? nil
  }
}
