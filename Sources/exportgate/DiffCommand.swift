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
      Exit codes, like diff(1): without --fail-if, 0 identical and 1 different; with --fail-if, \
      0 when no rule fires and 1 when one does; 2 when the comparison could not run.
      """
  )

  /// The formats `diff` writes.
  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown, csv }

  @Argument(help: "OLD then NEW: each a part, a folder of parts or an extracted folder.")
  var paths: [String] = []

  @Option(name: .customLong("old"), help: "A part of OLD (repeat for several).")
  var oldParts: [String] = []

  @Option(name: .customLong("new"), help: "A part of NEW (repeat for several).")
  var newParts: [String] = []

  @Option(
    help: "Output: text, json, markdown, or csv (every change: Object,Id,Change,Field,Old,New).")
  var format: Format = .text

  @Option(
    help: "Examples per object of added, removed and changed records (with before/after values).")
  var show: Int = 0

  @Option(
    name: .customLong("fail-if"), parsing: .singleValue,
    help: "A threshold such as \"Contact.removed > 5%\" or \"*.changed >= 1000\". Repeatable.")
  var failIf: [String] = []

  @Option(help: "The exports' encoding (auto, UTF-8, ISO-8859-1, ...).")
  var encoding: String = "auto"

  func validate() throws {
    let positional = paths.count
    guard
      (positional == 2 && oldParts.isEmpty && newParts.isEmpty)
        || (positional == 0 && !oldParts.isEmpty && !newParts.isEmpty)
    else { throw ValidationError("give OLD and NEW, or --old ... --new ...") }
    guard show >= 0 else { throw ValidationError("--show must be 0 or more") }
    _ = try rules()
    do { _ = try TextEncoding(name: encoding) } catch { throw ValidationError("\(error)") }
  }

  private func rules() throws -> [DiffRule] {
    do { return try failIf.map(DiffRule.init) } catch {
      throw ValidationError("--fail-if \(error)")
    }
  }

  func run() throws {
    var options = ExportDiffer.Options()
    options.examples = show
    options.encoding = (try? TextEncoding(name: encoding)) ?? .auto
    let old = oldParts.isEmpty ? [paths[0]] : oldParts
    let new = newParts.isEmpty ? [paths[1]] : newParts
    let output = FileHandle.standardOutput
    var buffer = ""
    if format == .csv { buffer = DiffRenderer.csvHeader }
    let report: DiffReport
    do {
      report = try ExportDiffer(options: options).diff(
        old: old, new: new,
        onChange: format == .csv
          ? { change in
            buffer += DiffRenderer.csvLine(change)
            if buffer.utf8.count > 1 << 16 {
              output.write(Data(buffer.utf8))
              buffer = ""
            }
          } : nil)
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
    switch format {
    case .text:
      buffer = DiffRenderer.text(
        report,
        colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      )
    case .json: buffer = try DiffRenderer.json(report)
    case .markdown: buffer = DiffRenderer.markdown(report)
    case .csv: break
    }
    output.write(Data(buffer.utf8))
    // The text report already lists them; other formats say them once on stderr.
    if format != .text {
      for warning in report.warnings.prefix(5) {
        FileHandle.standardError.write(Data("exportgate: warning: \(warning)\n".utf8))
      }
    }
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
