import ArgumentParser
import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate diff OLD NEW`: what changed between two exports, at any size.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two exports: records added, removed, changed (and which fields), files.",
    discussion: """
      Example: exportgate diff last-month/ this-month/ --fail-if "Contact.removed > 5%"

      Exit codes, like diff(1): without --fail-if, 0 identical and 1 different; with --fail-if, \
      0 when no rule fires and 1 when one does; 2 when the comparison could not run.
      """
  )

  /// The formats `diff` writes.
  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown, csv, html }

  @Argument(help: "OLD then NEW: each a part, a folder of parts or an extracted folder.")
  var paths: [String] = []

  @Option(name: .customLong("old"), help: "A part of OLD (repeat for several).")
  var oldParts: [String] = []

  @Option(name: .customLong("new"), help: "A part of NEW (repeat for several).")
  var newParts: [String] = []

  @Option(
    help:
      "Output: text, json, markdown, html, or csv (every change: Object,Id,Change,Field,Old,New).")
  var format: Format = .text

  @Option(
    name: .customLong("report"), parsing: .singleValue,
    help: ArgumentHelp(
      "Also write the diff to a file: FORMAT:PATH (json, markdown, html, text) or a path whose extension names it (diff.html). Repeatable.",
      valueName: "format:path"))
  var reports: [String] = []

  @Option(
    help: "Examples per object of added, removed and changed records (with before/after values).")
  var show: Int = 0

  @Option(
    name: .customLong("fail-if"), parsing: .singleValue,
    help: "A threshold such as \"Contact.removed > 5%\" or \"*.changed >= 1000\". Repeatable.")
  var failIf: [String] = []

  @Option(
    help: "The exports' encoding (auto, UTF-8, ISO-8859-1, ...).",
    transform: TextEncoding.init(name:))
  var encoding: TextEncoding = .auto

  func validate() throws {
    let positional = paths.count
    guard
      (positional == 2 && oldParts.isEmpty && newParts.isEmpty)
        || (positional == 0 && !oldParts.isEmpty && !newParts.isEmpty)
    else { throw ValidationError("give OLD and NEW, or --old ... --new ...") }
    guard show >= 0 else { throw ValidationError("--show must be 0 or more") }
    _ = try rules()
    _ = try parsedReports()
  }

  /// `--report` values as (format, path); a csv report is written as the changes come.
  private func parsedReports() throws -> [(Format, String)] {
    try reports.map { spec in
      // The extensions verify's --report reads, less JUnit (a diff is no test suite).
      let inferred = ReportFormat.inferred(fromPath: spec).flatMap { Format(rawValue: $0.rawValue) }
      if let colon = spec.firstIndex(of: ":"),
        let format = Format(rawValue: String(spec[..<colon]).lowercased()),
        spec.index(after: colon) < spec.endIndex
      {
        return (format, String(spec[spec.index(after: colon)...]))
      }
      guard let inferred else {
        throw ValidationError(
          "--report takes FORMAT:PATH with FORMAT one of json, markdown, html, text, csv (got '\(spec)')"
        )
      }
      return (inferred, spec)
    }
  }

  private func render(_ report: DiffReport, as format: Format, colour: Bool) throws -> String {
    switch format {
    case .text: DiffRenderer.text(report, colour: colour)
    case .json: try DiffRenderer.json(report)
    case .markdown: DiffRenderer.markdown(report)
    case .html: DiffRenderer.html(report)
    case .csv: ""
    }
  }

  private func rules() throws -> [DiffRule] {
    do { return try failIf.map(DiffRule.init) } catch {
      throw ValidationError("--fail-if \(error)")
    }
  }

  func run() throws {
    var options = ExportDiffer.Options()
    options.examples = show
    options.encoding = encoding
    let old = oldParts.isEmpty ? [paths[0]] : oldParts
    let new = newParts.isEmpty ? [paths[1]] : newParts
    let output = FileHandle.standardOutput
    var buffer = ""
    if format == .csv { buffer = DiffRenderer.csvHeader }
    try refuseReportsOverInputs(old + new)
    let report: DiffReport
    let meter = ProgressMeter.forTerminal()
    defer { meter?.finish() }
    // Every change as CSV, to stdout and to each csv report, as the changes come.
    let csvReports = try openCSVReports()
    let streamsCSV = format == .csv
    do {
      report = try ExportDiffer(options: options).diff(
        old: old, new: new,
        onChange: streamsCSV || !csvReports.isEmpty
          ? { change in
            let line = DiffRenderer.csvLine(change)
            for stream in csvReports { stream.write(line) }
            guard streamsCSV else { return }
            buffer += line
            if buffer.utf8.count > 1 << 16 {
              output.write(Data(buffer.utf8))
              buffer = ""
            }
          } : nil,
        progress: meter?.update)
      meter?.finish()
    } catch {
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
    // A rule naming no object of either export is the person's typo: say so before anything.
    for rule in try rules() {
      if let problem = rule.unknownObject(in: report) {
        throw ValidationError("--fail-if \(problem)")
      }
    }
    try writeReports(report, csvReports: csvReports)
    if format != .csv {
      buffer = try render(
        report, as: format,
        colour: isatty(STDOUT_FILENO) == 1
          && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }
    output.write(Data(buffer.utf8))
    // The text report already lists them; other formats say them once on stderr.
    if format != .text {
      for warning in report.warnings.prefix(5) {
        FileHandle.standardError.write(Data("exportgate: warning: \(warning)\n".utf8))
      }
    }
    try exit(for: report)
  }

  /// No report may replace an input: a file written over a part would destroy the backup.
  private func refuseReportsOverInputs(_ inputs: [String]) throws {
    let identities = InputFile.identities(ofInputs: inputs)
    for (format, path) in try parsedReports() {
      if let identity = InputFile.identity(of: path), identities.contains(identity) {
        FileHandle.standardError.write(
          Data(
            "exportgate: --report \(format.rawValue) \(path) is one of the inputs: refusing to overwrite it\n"
              .utf8))
        throw ExitCode(2)
      }
    }
  }

  /// The `--report csv:` files, opened with their header written.
  private func openCSVReports() throws -> [AtomicFileStream] {
    do {
      return try parsedReports().filter { $0.0 == .csv }.map {
        let stream = try AtomicFileStream(path: $0.1)
        stream.write(DiffRenderer.csvHeader)
        return stream
      }
    } catch {
      FileHandle.standardError.write(Data("exportgate: csv report: \(error)\n".utf8))
      throw ExitCode(2)
    }
  }

  /// Puts the csv reports in place and writes every other `--report`.
  private func writeReports(_ report: DiffReport, csvReports: [AtomicFileStream]) throws {
    for stream in csvReports {
      do { try stream.commit() } catch {
        FileHandle.standardError.write(Data("exportgate: csv report: \(error)\n".utf8))
        throw ExitCode(2)
      }
    }
    for (format, path) in try parsedReports() where format != .csv {
      do {
        try AtomicFile.write(try render(report, as: format, colour: false), to: path)
      } catch {
        FileHandle.standardError.write(
          Data("exportgate: \(format.rawValue) report: \(error)\n".utf8))
        throw ExitCode(2)
      }
    }
  }

  /// 1 when the exports differ (or, with `--fail-if`, when a rule fires), else 0.
  private func exit(for report: DiffReport) throws {
    let rules = try rules()
    if rules.isEmpty {
      if !report.identical { throw ExitCode(1) }
      return
    }
    var fired = false
    for rule in rules {
      for firing in rule.firings(in: report) {
        fired = true
        FileHandle.standardError.write(
          Data(
            "exportgate: --fail-if \"\(rule)\" fires for \(firing.object): \(firing.value)\n".utf8))
      }
    }
    if fired { throw ExitCode(1) }
  }
}
