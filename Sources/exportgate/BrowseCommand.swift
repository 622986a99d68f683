import ArgumentParser
import ExportGate
import Foundation

/// `exportgate browse`: a local web page over a restored archive, offline, read-only.
struct BrowseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "browse",
    abstract: "Browse a restored archive in a local web page: search, tables, records, files.",
    discussion: """
      Example: exportgate browse restored/

      DIR is a folder `exportgate restore` wrote (it holds archive.sqlite). Prints one URL with a \
      random token, new each run; open it in a browser (or pass --open). Only this machine can \
      reach the page (127.0.0.1) unless --host says otherwise, and every request without the \
      token is refused. The archive is opened read-only and only files the restore wrote are \
      served. Stop with Ctrl-C. Exit codes: 0 stopped, 2 the archive could not be opened or \
      the port bound, 64 bad flags.
      """
  )

  @Argument(help: "The restore folder.")
  var folder: String

  @Option(help: "The port to listen on (default: a free one).")
  var port = 0

  @Option(
    help: "The address to listen on (default 127.0.0.1; another exposes the page to your network).")
  var host = "127.0.0.1"

  @Flag(help: "Open the page in the desktop's browser.")
  var open = false

  func validate() throws {
    if port < 0 || port > 65_535 { throw ValidationError("--port must be 0-65535") }
  }

  func run() async throws {
    if !["127.0.0.1", "localhost", "::1"].contains(host) {
      FileHandle.standardError.write(
        Data(
          "exportgate: warning: listening on \(host): anyone who can reach it and has the URL can read the archive\n"
            .utf8))
    }
    let server = BrowseServer(folder: folder, host: host, port: port)
    let opens = open
    do {
      try await server.run { url in
        // Written at once (not buffered): a script waiting for the URL reads it now.
        FileHandle.standardOutput.write(
          Data("Browse the archive at:\n  \(url)\n(Ctrl-C to stop)\n".utf8))
        if opens { Self.openInBrowser(url) }
      }
    } catch {
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
  }

  static func openInBrowser(_ url: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["xdg-open", url]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try? process.run()
  }
}
