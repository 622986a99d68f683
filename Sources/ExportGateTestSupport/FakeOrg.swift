import Foundation

/// A stand-in for a Salesforce org on loopback, for `fetch`'s tests: a Python standard-library
/// HTTP server (started and stopped by the test) that checks the `sid` cookie, serves a Classic
/// Data Export page listing the parts of a folder among many unrelated links, serves the parts
/// with Range support, and injects the faults a test names in `faults.json`.
public final class FakeOrg {
  /// Faults, by part name where it applies. Rewritten between requests as the test likes.
  public struct Faults: Codable, Sendable {
    /// Close the connection half-way through the first download of these parts.
    public var dropOnce: [String] = []
    /// Always stop these parts early (promising the full length).
    public var alwaysShort: [String] = []
    /// Answer 503 to the first request for these parts.
    public var errorOnce: [String] = []
    /// Ignore Range requests (send the whole part with 200).
    public var ignoreRanges = false
    /// Redirect every request to the login page (an expired session).
    public var loginRedirect = false
    /// Serve the login page as HTML in place of these parts.
    public var loginPageInstead: [String] = []
    /// Seconds to wait before each response.
    public var delay: Double = 0
    /// Omit the parts table (no export available).
    public var noExport = false

    public init() {}
  }

  public let folder: String
  public let token: String
  public private(set) var port = 0
  private let process = Process()
  private let directory: TemporaryDirectory

  public var instanceURL: URL {
    URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
  }

  /// Serves the `*.ZIP` files of `folder`, for a session whose token is `token`.
  public init(serving folder: String, token: String = "00D5g000004ExAm!AQ4AQ.fake.token") throws {
    self.folder = folder
    self.token = token
    directory = TemporaryDirectory()
    let script = directory.file("fake_org.py")
    try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
    try setFaults(Faults())
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, folder, token, directory.file("faults.json")]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let line = output.fileHandleForReading.availableData
    port =
      Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
      ?? 0
  }

  deinit { stop() }

  /// Stops the server: SIGKILL, then a bounded wait (a blocking wait could hang a test run).
  public func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { usleep(10_000) }
  }

  public func setFaults(_ faults: Faults) throws {
    try JSONEncoder().encode(faults).write(to: URL(fileURLWithPath: directory.file("faults.json")))
  }

  /// Requests served for a part (downloads started), from the server's log.
  public func requests(for part: String) -> Int {
    let log =
      (try? String(contentsOfFile: directory.file("faults.json.log"), encoding: .utf8)) ?? ""
    return log.split(separator: "\n").filter { $0 == part }.count
  }

  public static let script = #"""
    import json, os, sys, time, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlparse, parse_qs

    folder, token, faults_path = sys.argv[1], sys.argv[2], sys.argv[3]
    served_once = set()
    lock = threading.Lock()

    def faults():
        with open(faults_path) as f:
            return json.load(f)

    def parts():
        return sorted(n for n in os.listdir(folder) if n.upper().endswith(".ZIP"))

    def human(size):
        for unit in ["", "K", "M", "G"]:
            if size < 1024 or unit == "G":
                return f"{size:.1f}{unit}" if unit else str(size)
            size /= 1024.0

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def authorised(self):
            cookies = [c.strip() for c in self.headers.get("Cookie", "").split(";")]
            return ("sid=" + token) in cookies

        def redirect_to_login(self):
            self.send_response(302)
            self.send_header("Location", "/?ec=302&startURL=%2Fui%2Fsetup%2Fexport%2FDataExportPage%2Fd")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send_html(self, body, status=200):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            f = faults()
            time.sleep(f.get("delay", 0))
            url = urlparse(self.path)
            if f.get("loginRedirect") or not self.authorised():
                return self.redirect_to_login()
            if url.path == "/ui/setup/export/DataExportPage/d":
                return self.page(f)
            if url.path == "/servlet/servlet.OrgExport":
                return self.part(f, parse_qs(url.query).get("fileName", [""])[0])
            self.send_html("<html><body>not found</body></html>", 404)

        def page(self, f):
            rows = ""
            if not f.get("noExport"):
                for i, name in enumerate(parts()):
                    size = os.path.getsize(os.path.join(folder, name))
                    rows += ('<tr class=" dataRow"><td class=\'actionColumn\'>'
                             f'<a href="/servlet/servlet.OrgExport?fileName={name}&amp;id=0924J000000Yp{i:02d}" '
                             f'class="actionLink" id="0924J000000Yp{i:02d}" title="download - Record {i+1} - {name}">download</a></td>'
                             f'<th scope="row" class=" dataCell  ">{name}</th><td class=" dataCell  ">{human(size)}</td></tr>\n')
            unrelated = "".join(f'<div class="setupLeaf"><a href="/setup/page{i}?setupid=X{i}&amp;retURL=%2Fui">Item {i}</a></div>' for i in range(300))
            body = ('<!DOCTYPE HTML><html><head><title>Data Export ~ Salesforce</title>'
                    '<script>UserContext.initialize({"dateFormat":"dd/MM/yyyy","language":"en_US"});</script></head>'
                    f'<body>{unrelated}<table class="detailList"><tr><td class="labelCol">Schedule Date</td>'
                    f'<td class="data2Col" colspan="3">{time.strftime("%d/%m/%Y", time.gmtime())}</td></tr>'
                    '<tr><td class="last labelCol">Export File Encoding</td><td class="last data2Col" colspan="3">UTF-8</td></tr></table>'
                    '<table class="list"><tr class="headerRow"><th class="actionColumn" scope="col">Action</th>'
                    '<th scope="col">File Name</th><th scope="col">File Size</th></tr>\n'
                    f'{rows}</table></body></html>')
            self.send_html(body)

        def part(self, f, name):
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                return self.send_html("<html><body>no such file</body></html>", 404)
            with lock:
                with open(faults_path + ".log", "a") as log:
                    log.write(name + "\n")
                first = name not in served_once
                served_once.add(name)
            if name in f.get("loginPageInstead", []):
                return self.send_html('<html><head><title>Login | Salesforce</title></head><body><form><input name="pw"></form></body></html>')
            if first and name in f.get("errorOnce", []):
                return self.send_html("<html><body>Service Unavailable</body></html>", 503)
            data = open(path, "rb").read()
            start = 0
            status = 200
            rng = self.headers.get("Range")
            if rng and not f.get("ignoreRanges") and rng.startswith("bytes="):
                start = int(rng[6:].split("-")[0])
                status = 206
            body = data[start:]
            self.send_response(status)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(len(body)))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            if (first and name in f.get("dropOnce", [])) or name in f.get("alwaysShort", []):
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            for i in range(0, len(body), 1 << 16):
                self.wfile.write(body[i : i + (1 << 16)])

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#
}
