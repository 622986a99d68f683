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
    /// Extra rows on the page listing parts of these names (hostile or broken pages).
    public var extraPartNames: [String] = []
    /// Serve a JSON error body labelled `application/zip` in place of these parts.
    public var jsonInstead: [String] = []
    /// Shift the start a 206 answer's Content-Range states by this many bytes (a resume
    /// answered for other bytes than asked).
    public var contentRangeShift = 0
    /// Serve these parts as a body with no length that never ends (bounded at 64 MiB here).
    public var endless: [String] = []
    /// The page shows every part as 1.0K (a page that understates what is to come).
    public var understateSizes = false
    /// Serve these parts at their full length with their last 200 bytes zeroed (no end record).
    public var garbageTail: [String] = []
    /// Validators sent with parts: `both` (a strong ETag and Last-Modified), `etag`,
    /// `lastModified`, `weak` (a weak ETag and Last-Modified) or `none`.
    public var validators = "both"
    /// After the first request for a part, serve the bytes of another file under its name (a
    /// part that changed between two attempts), by part name.
    public var changedAfterFirst: [String: String] = [:]
    /// Answer a Range request with 206 whatever its If-Range says.
    public var ignoreIfRange = false
    /// REST API: objects whose COUNT() queries time out (QUERY_TIMEOUT).
    public var countTimeout: [String] = []
    /// REST API: answer 401 INVALID_SESSION_ID after this many API requests (0: never).
    public var expireAfterAPIRequests = 0
    /// REST API: records per query page (Salesforce's default is 2,000).
    public var queryPageSize = 2000
    /// REST API: `nextRecordsUrl` names another host (a hostile or broken answer).
    public var foreignNextRecordsUrl = false
    /// REST API: answer 503 to the first request of these paths' describes (object names).
    public var describeErrorOnce: [String] = []

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

  /// Serves the `*.ZIP` files of `folder`, for a session whose token is `token`, and, when
  /// `model` is given, the REST API of an org holding it.
  public init(
    serving folder: String, token: String = "00D5g000004ExAm!AQ4AQ.fake.token",
    model: FakeOrgModel? = nil
  ) throws {
    self.folder = folder
    self.token = token
    directory = TemporaryDirectory()
    let script = directory.file("fake_org.py")
    try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
    try setFaults(Faults())
    if let model { try setModel(model) }
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", script, folder, token, directory.file("faults.json"), directory.file("model.json"),
    ]
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

  /// Replaces what the org holds behind its REST API.
  public func setModel(_ model: FakeOrgModel) throws {
    try JSONEncoder().encode(model).write(to: URL(fileURLWithPath: directory.file("model.json")))
  }

  /// Every REST API request's path and query, in order, as the server received them.
  public var apiRequests: [String] {
    let log =
      (try? String(contentsOfFile: directory.file("faults.json.api.log"), encoding: .utf8)) ?? ""
    return log.split(separator: "\n").map(String.init)
  }

  /// Requests served for a part (downloads started), from the server's log.
  public func requests(for part: String) -> Int {
    let log =
      (try? String(contentsOfFile: directory.file("faults.json.log"), encoding: .utf8)) ?? ""
    return log.split(separator: "\n").filter { $0 == part }.count
  }

  public static let script = #"""
    import email.utils, hashlib, json, os, re, sys, time, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlparse, parse_qs

    folder, token, faults_path = sys.argv[1], sys.argv[2], sys.argv[3]
    model_path = sys.argv[4] if len(sys.argv) > 4 else ""
    served_once = set()
    lock = threading.Lock()
    api_count = [0]
    cursors = {}
    model_cache = {"mtime": None, "model": None}

    def model():
        try:
            mtime = os.path.getmtime(model_path)
        except OSError:
            return None
        with lock:
            if model_cache["mtime"] != mtime:
                with open(model_path) as f:
                    model_cache["model"] = json.load(f)
                model_cache["mtime"] = mtime
            return model_cache["model"]

    def total(o):
        return sum(o["created"].values())

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

        def send_json(self, obj, status=200):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def api_error(self, status, code, message):
            self.send_json([{"message": message, "errorCode": code}], status)

        def api(self, f, url):
            with lock:
                api_count[0] += 1
                count = api_count[0]
                with open(faults_path + ".api.log", "a") as log:
                    log.write(self.path + "\n")
            if self.headers.get("Authorization", "") != "Bearer " + token:
                return self.api_error(401, "INVALID_SESSION_ID", "Session expired or invalid")
            expire = f.get("expireAfterAPIRequests", 0)
            if expire and count > expire:
                return self.api_error(401, "INVALID_SESSION_ID", "Session expired or invalid")
            m = model()
            if m is None:
                return self.api_error(404, "NOT_FOUND", "The requested resource does not exist")
            if url.path == "/services/data/":
                return self.send_json([{"label": "Release", "url": "/services/data/v" + v, "version": v} for v in m["versions"]])
            if url.path == "/services/oauth2/userinfo":
                return self.send_json(m["user"])
            match = re.match(r"^/services/data/v[0-9.]+/(.*)$", url.path)
            if not match:
                return self.api_error(404, "NOT_FOUND", "The requested resource does not exist")
            rest = match.group(1)
            objects = {o["name"]: o for o in m["objects"]}
            if rest == "sobjects/":
                return self.send_json({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [
                    {"name": o["name"], "label": o["name"], "keyPrefix": o.get("keyPrefix"), "custom": o["custom"],
                     "queryable": o.get("queryable", True), "replicateable": o.get("replicateable", True),
                     "deprecatedAndHidden": False, "customSetting": False} for o in m["objects"]]})
            described = re.match(r"^sobjects/([^/]+)/describe/?$", rest)
            if described:
                name = described.group(1)
                if name not in objects:
                    return self.api_error(404, "NOT_FOUND", "The requested resource does not exist")
                with lock:
                    first = ("describe", name) not in served_once
                    served_once.add(("describe", name))
                if first and name in f.get("describeErrorOnce", []):
                    return self.api_error(503, "SERVER_UNAVAILABLE", "try again")
                return self.send_json({"name": name, "fields": objects[name]["fields"]})
            if rest == "limits/recordCount":
                names = parse_qs(url.query).get("sObjects", [""])[0].split(",")
                return self.send_json({"sObjects": [
                    {"count": o["approximate"] if o.get("approximate") is not None else total(o), "name": o["name"]}
                    for o in m["objects"] if o["name"] in names]})
            if rest in ("query/", "query"):
                return self.query(f, m, objects, parse_qs(url.query).get("q", [""])[0])
            cursor = re.match(r"^query/(01g[A-Za-z0-9]+)-([0-9]+)$", rest)
            if cursor and cursor.group(1) in cursors:
                return self.query_page(f, cursor.group(1), int(cursor.group(2)))
            return self.api_error(404, "NOT_FOUND", "The requested resource does not exist")

        def query(self, f, m, objects, q):
            counted = re.match(r"^SELECT COUNT\(\) FROM (\w+)(?: WHERE CreatedDate <= (\S+))?$", q)
            if counted:
                o = objects.get(counted.group(1))
                if o is None:
                    return self.api_error(400, "INVALID_TYPE", "sObject type '%s' is not supported." % counted.group(1))
                if o["name"] in f.get("countTimeout", []):
                    return self.api_error(400, "QUERY_TIMEOUT", "Your query request was running for too long.")
                if counted.group(2):
                    if not any(field["name"] == "CreatedDate" for field in o["fields"]):
                        return self.api_error(400, "INVALID_FIELD", "No such column 'CreatedDate' on entity '%s'." % o["name"])
                    n = sum(c for d, c in o["created"].items() if d <= counted.group(2))
                else:
                    n = total(o)
                return self.send_json({"totalSize": n, "done": True, "records": []})
            if q.endswith("FROM UserPermissionAccess"):
                record = {"attributes": {"type": "UserPermissionAccess"}}
                record.update(m["permissions"])
                return self.send_json({"totalSize": 1, "done": True, "records": [record]})
            files = re.match(r"^SELECT Id, ContentDocumentId, Checksum, ContentSize FROM ContentVersion WHERE ContentLocation = 'S' AND CreatedDate <= (\S+)$", q)
            if files:
                rows = [{"attributes": {"type": "ContentVersion", "url": "/services/data/v62.0/sobjects/ContentVersion/" + cv["Id"]},
                         "Id": cv["Id"], "ContentDocumentId": cv["ContentDocumentId"], "Checksum": cv["Checksum"],
                         "ContentSize": cv["ContentSize"]}
                        for cv in m["contentVersions"] if cv["ContentLocation"] == "S" and cv["CreatedDate"] <= files.group(1)]
                with lock:
                    name = "01gFAKE%d" % (len(cursors) + 1)
                    cursors[name] = rows
                return self.query_page(f, name, 0)
            return self.api_error(400, "MALFORMED_QUERY", "unexpected query: " + q)

        def query_page(self, f, name, start):
            rows = cursors[name]
            size = f.get("queryPageSize", 2000)
            end = min(start + size, len(rows))
            answer = {"totalSize": len(rows), "done": end >= len(rows), "records": rows[start:end]}
            if end < len(rows):
                host = "https://evil.example" if f.get("foreignNextRecordsUrl") else ""
                answer["nextRecordsUrl"] = "%s/services/data/v62.0/query/%s-%d" % (host, name, end)
            self.send_json(answer)

        def do_GET(self):
            f = faults()
            time.sleep(f.get("delay", 0))
            url = urlparse(self.path)
            if url.path.startswith("/services/"):
                return self.api(f, url)
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
                             f'<th scope="row" class=" dataCell  ">{name}</th><td class=" dataCell  ">{"1.0K" if f.get("understateSizes") else human(size)}</td></tr>\n')
                for i, name in enumerate(f.get("extraPartNames", [])):
                    rows += ('<tr class=" dataRow"><td class=\'actionColumn\'>'
                             f'<a href="/servlet/servlet.OrgExport?fileName={name}&amp;id=0924J000000Yq{i:02d}" class="actionLink">download</a></td>'
                             f'<th scope="row" class=" dataCell  ">{name}</th><td class=" dataCell  ">1.0K</td></tr>\n')
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
            if name in f.get("jsonInstead", []):
                data = b'[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]'
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if name in f.get("endless", []):
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    self.wfile.write(b"PK\x03\x04")
                    for _ in range(1024):
                        self.wfile.write(b"\0" * (1 << 16))
                except OSError:
                    pass
                return
            if not first and name in f.get("changedAfterFirst", {}):
                path = f["changedAfterFirst"][name]
            data = open(path, "rb").read()
            if name in f.get("garbageTail", []):
                data = data[:-200] + b"\0" * 200
            kind = f.get("validators", "both")
            etag = '"%s"' % hashlib.sha1(data).hexdigest()[:20]
            if kind == "weak":
                etag = "W/" + etag
            modified = email.utils.formatdate(os.stat(path).st_mtime, usegmt=True)
            validators = []
            if kind in ("both", "etag", "weak"):
                validators.append(("ETag", etag))
            if kind in ("both", "lastModified", "weak"):
                validators.append(("Last-Modified", modified))
            start = 0
            status = 200
            rng = self.headers.get("Range")
            condition = self.headers.get("If-Range")
            current = condition is None or f.get("ignoreIfRange") or condition in (
                v for k, v in validators if not v.startswith("W/"))
            if rng and not f.get("ignoreRanges") and rng.startswith("bytes=") and current:
                start = int(rng[6:].split("-")[0])
                status = 206
            body = data[start:]
            self.send_response(status)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Accept-Ranges", "bytes")
            for header, value in validators:
                self.send_header(header, value)
            self.send_header("Content-Length", str(len(body)))
            if status == 206:
                shifted = start + f.get("contentRangeShift", 0)
                self.send_header("Content-Range", f"bytes {shifted}-{len(data) - 1}/{len(data)}")
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
