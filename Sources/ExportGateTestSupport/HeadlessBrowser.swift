import Foundation

/// Debian's `chromium`, headless, for tests that look at an HTML report as a person would: a
/// screenshot to keep, what a probe script saw in the first screenful, and every message the
/// page wrote to the console (a report's page must write none).
public enum HeadlessBrowser {
  /// The browser's path, or nil when it is not installed.
  public static var path: String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// What a page showed.
  public struct Rendering {
    /// For each id asked about: `visible` when the element lies wholly in the first screenful.
    public var placement: [String: String]
    /// The page's visible text, as `innerText` gives it.
    public var text: String
    /// Console messages and uncaught errors.
    public var console: [String]
    /// Text in a chart that runs past the chart's edge (cut as drawn).
    public var clipped: [String] = []
    /// Each bar of the Parts chart as drawn: its tooltip (`part: what`) and computed fill.
    public var partBars: [String] = []
  }

  /// The browser could not render the page.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public static let width = 1280
  public static let height = 900

  /// Renders `html` in a 1280x900 window: saves a screenshot to `screenshot`, and reports where
  /// the elements `ids` lie and the page's text (through a probe appended to a copy).
  public static func render(html: String, ids: [String], screenshot: String) throws -> Rendering {
    guard let browser = path else {
      throw Failure(description: "chromium is not installed")
    }
    let directory = TemporaryDirectory()
    let page = directory.file("page.html")
    try html.write(toFile: page, atomically: true, encoding: .utf8)
    let shot = try run(
      browser, ["--screenshot=\(screenshot)", "file://\(page)"], home: directory.path)
    let idList = "[" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    let probe = """
      <script>
      (function () {
        var out = {};
        \(idList).forEach(function (id) {
            var e = document.getElementById(id);
            if (!e) { out[id] = "absent"; return; }
            var r = e.getBoundingClientRect();
            out[id] = r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight
              ? "visible" : "below the fold";
          });
        var clipped = [];
        document.querySelectorAll("svg.chart").forEach(function (svg) {
          var box = svg.getBoundingClientRect();
          svg.querySelectorAll("text").forEach(function (t) {
            var r = t.getBoundingClientRect();
            if (r.right > box.right + 0.5 || r.left < box.left - 0.5) clipped.push(t.textContent);
          });
        });
        var bars = [];
        document.querySelectorAll("#parts-chart svg rect").forEach(function (rect) {
          var title = rect.querySelector("title");
          bars.push((title ? title.textContent : "") + "=" + getComputedStyle(rect).fill);
        });
        var p = document.createElement("pre");
        p.id = "probe-result";
        p.textContent = JSON.stringify({
          placement: out, text: document.body.innerText, clipped: clipped, partBars: bars });
        document.body.appendChild(p);
      })();
      </script>
      """
    let probed = directory.file("probed.html")
    try (html.replacingOccurrences(of: "</body>", with: probe + "</body>")).write(
      toFile: probed, atomically: true, encoding: .utf8)
    let dump = try run(browser, ["--dump-dom", "file://\(probed)"], home: directory.path)
    guard let start = dump.output.range(of: "<pre id=\"probe-result\">"),
      let end = dump.output.range(of: "</pre>", range: start.upperBound..<dump.output.endIndex)
    else {
      throw Failure(
        description: "the probe did not run: \(dump.errors.suffix(500))")
    }
    let json = unescape(String(dump.output[start.upperBound..<end.lowerBound]))
    let decoded = try JSONDecoder().decode(ProbeResult.self, from: Data(json.utf8))
    let console = (shot.errors + "\n" + dump.errors).split(separator: "\n").filter {
      $0.contains(":CONSOLE") || $0.contains("Uncaught")
    }.map(String.init)
    return Rendering(
      placement: decoded.placement, text: decoded.text, console: console,
      clipped: decoded.clipped, partBars: decoded.partBars)
  }

  private struct ProbeResult: Decodable {
    var placement: [String: String]
    var text: String
    var clipped: [String]
    var partBars: [String]
  }

  private static func unescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }

  /// Runs the browser (killed after a minute: a hang fails the test, never the suite), its
  /// log going to a file so that no pipe can fill and block it.
  private static func run(_ browser: String, _ arguments: [String], home: String) throws -> (
    output: String, errors: String
  ) {
    let log = home + "/browser-\(UUID().uuidString).log"
    let command =
      [
        "exec", "timeout", "-s", "KILL", "60", browser, "--headless", "--no-sandbox",
        "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
        "--window-size=\(width),\(height)", "--user-data-dir=\(home)/profile",
      ] + arguments
    let script = command.map(quoted).joined(separator: " ") + " 2>" + quoted(log)
    let result = try ExportGateBinary.run(
      ["HOME=\(home)", "/bin/sh", "-c", script], binary: "/usr/bin/env")
    let errors = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    guard result.status == 0 else {
      throw Failure(
        description: "chromium exited with \(result.status): \(errors.suffix(800))")
    }
    return (result.standardOutput, errors)
  }

  private static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
