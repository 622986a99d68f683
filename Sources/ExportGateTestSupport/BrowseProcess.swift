import Foundation

/// `exportgate browse` running as a child process on a free port, for tests that talk to it
/// as a person's browser or a script would; stopped when released.
public final class BrowseProcess {
  /// Why the page could not be started.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  private let process = Process()
  /// The URL it printed, token included.
  public let url: String

  /// Starts `exportgate browse folder` (with `arguments`) and waits for the URL it prints.
  public init(folder: String, arguments: [String] = []) throws {
    process.executableURL = URL(fileURLWithPath: ExportGateBinary.path ?? "exportgate")
    process.arguments = ["browse", folder] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The URL is the second line; the read waits for it (the page prints it once bound).
    var text = ""
    while !text.contains("(Ctrl-C") {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
    }
    guard let line = text.split(separator: "\n").first(where: { $0.contains("http://") }) else {
      process.terminate()
      throw Failure(description: "browse printed no URL: \(text)")
    }
    url = line.trimmingCharacters(in: .whitespaces)
  }

  deinit {
    process.terminate()
    process.waitUntilExit()
  }

  /// The token in the URL.
  public var token: String { url.components(separatedBy: "t=").last ?? "" }

  /// `http://host:port` of the page.
  public var origin: String {
    url.components(separatedBy: "/?").first ?? url
  }

  /// One HTTP response, as Python's standard library receives it (no redirect followed).
  public struct Response: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }
  }

  /// GETs `path` (with its query) from the page, with `headers`.
  public func get(_ path: String, headers: [String: String] = [:]) throws -> Response {
    let directory = TemporaryDirectory()
    let bodyPath = directory.file("body")
    let script = """
      import http.client, json, sys
      host, port = sys.argv[1].split("//")[1].split(":")
      connection = http.client.HTTPConnection(host, int(port), timeout=60)
      connection.request("GET", sys.argv[2], headers=json.loads(sys.argv[3]))
      response = connection.getresponse()
      open(sys.argv[4], "wb").write(response.read())
      print(json.dumps({"status": response.status, "headers": {k.lower(): v for k, v in response.getheaders()}}))
      """
    let headerJSON = String(
      decoding: try JSONSerialization.data(withJSONObject: headers), as: UTF8.self)
    let run = try ExportGateBinary.run(
      ["python3", "-c", script, origin, path, headerJSON, bodyPath], binary: "/usr/bin/env")
    guard run.status == 0,
      let meta = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any]
    else { throw Failure(description: "request failed: \(run.standardError)") }
    return Response(
      status: meta["status"] as? Int ?? 0, headers: meta["headers"] as? [String: String] ?? [:],
      body: Array(try Data(contentsOf: URL(fileURLWithPath: bodyPath))))
  }
}
