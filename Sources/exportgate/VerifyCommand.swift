import ArgumentParser
import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate verify`: the main job. Checks the bundle against the manifest its own data
/// carries (and, when given, a policy and the org's own counts and checksums) and certifies it,
/// or refuses with every reason located.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Certify that a Data Export bundle is complete, or say exactly why not.",
    discussion: """
      Example: exportgate verify backup/ --report html:report.html

      Exit codes: 0 certified, 1 not certified (at least one error finding), 2 verification \
      could not run (no such path, nothing readable, an unusable policy, an object name in a \
      policy or counts file that is a typo), 64 bad flags (including an object name in \
      --require that matches nothing: "did you mean Contact?"). Object names match in any \
      case.
      """
  )

  @Argument(help: "ZIP parts, folders of parts, or an extracted export folder.")
  var paths: [String]

  @Option(help: "A policy file (YAML or JSON; see `exportgate policy init`).")
  var policy: String?

  @Option(
    name: .long, parsing: .singleValue,
    help:
      "Objects that must be present (replaces the default Account,Contact,Lead,Opportunity,Attachment and the policy's list). Repeat or separate with commas."
  )
  var require: [String] = []

  @Flag(
    name: .customLong("no-files"),
    help: "Files were left out of the export on purpose: file findings become warnings.")
  var noFiles = false

  @Option(
    help:
      "The export's encoding: auto (default), UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16BE, SHIFT_JIS, ...",
    transform: TextEncoding.init(name:))
  var encoding: TextEncoding?

  @Option(
    name: .customLong("expect-counts"), help: "CSV `Object,Count` with the org's record counts.")
  var expectCounts: String?

  @Option(
    name: .customLong("expect-checksums"),
    help:
      "CSV `Id,Checksum[,ContentSize]` of ContentVersion files, as `sf data query -r csv` writes it."
  )
  var expectChecksums: String?

  @Option(
    help:
      "The org's inventory to certify against (exportgate inventory; default: org-inventory.json beside the parts)."
  )
  var inventory: String?

  @Option(help: "Output format on stdout: text, json, junit, markdown or html.")
  var format: ReportFormat = .text

  @Option(
    name: .customLong("report"), parsing: .singleValue,
    help:
      "Also write a report to a file, as FORMAT:PATH (json, junit, markdown, html, text) or PATH with a known extension (.json, .xml, .md, .html, .txt). Repeatable."
  )
  var reports: [String] = []

  @Option(help: "When the export is certified, write an in-toto certificate to this file.")
  var certificate: String?

  @Option(
    name: .customLong("sign-key"),
    help: "Sign the certificate (DSSE) with this Ed25519 private key (PEM).")
  var signKey: String?

  @Flag(help: "Print only the verdict line (reports given with --report are still written).")
  var quiet = false

  @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (as NO_COLOR).")
  var noColor = false

  @Option(name: .customLong("max-findings"), help: "Findings listed per code (all are counted).")
  var maxFindings: Int = 20

  @Option(
    help: "Parts read and hashed at once (default: every core). Reports are the same for any value."
  )
  var jobs: Int?

  @Option(
    name: .customLong("as-of"),
    help:
      "Judge the export's age and the contract's deadline as of this day (YYYY-MM-DD or ISO 8601) instead of today."
  )
  var asOf: String?

  /// `--as-of`: a day (its start, UTC) or an ISO 8601 time.
  static func date(_ text: String) -> Date? {
    ISO8601DateFormatter().date(from: text)
      ?? ISO8601DateFormatter().date(from: text + "T00:00:00Z")
  }

  func validate() throws {
    guard maxFindings > 0 else { throw ValidationError("--max-findings must be at least 1") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    _ = try parsedReports()
    for value in require
    where value.split(separator: ",").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }
    ) {
      throw ValidationError(
        "--require needs object names, e.g. --require Account,Contact (got '\(value)')")
    }
    if signKey != nil && certificate == nil {
      throw ValidationError("--sign-key needs --certificate FILE")
    }
    if let asOf, Self.date(asOf) == nil {
      throw ValidationError("--as-of takes a day (2026-11-30) or an ISO 8601 time (got '\(asOf)')")
    }
  }

  private func parsedReports() throws -> [(ReportFormat, String)] {
    try reports.map { spec in
      // `--report report.json`: the format from the extension.
      if let inferred = ReportFormat.inferred(fromPath: spec),
        spec.firstIndex(of: ":").map({ ReportFormat(named: String(spec[..<$0])) == nil }) ?? true
      {
        return (inferred, spec)
      }
      guard let colon = spec.firstIndex(of: ":"),
        let format = ReportFormat(named: String(spec[..<colon])),
        spec.index(after: colon) < spec.endIndex
      else {
        throw ValidationError(
          "--report takes FORMAT:PATH with FORMAT one of \(ReportFormat.names), or a PATH whose extension names one (got '\(spec)')"
        )
      }
      return (format, String(spec[spec.index(after: colon)...]))
    }
  }

  func run() throws {
    var request = VerificationGate.Request(paths: paths)
    request.policyPath = policy
    request.requiredObjects = require.flatMap { $0.split(separator: ",") }
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    request.filesExcluded = noFiles
    request.encoding = encoding
    request.expectedCountsPath = expectCounts
    request.expectedChecksumsPath = expectChecksums
    request.inventoryPath = inventory
    request.reports = try parsedReports().map {
      VerificationGate.ReportFile(format: $0.0, path: $0.1)
    }
    request.certificatePath = certificate
    request.signingKeyPath = signKey
    request.maxFindingsPerCode = maxFindings
    request.jobs = jobs
    request.asOf = asOf.flatMap(Self.date)
    let meter = ProgressMeter.forTerminal()
    let outcome: VerificationGate.Outcome
    do {
      outcome = try VerificationGate().run(request, progress: meter?.update)
      meter?.finish()
    } catch let failure as VerificationGate.Failure {
      meter?.finish()
      if failure.kind == .usage { throw ValidationError(failure.description) }
      FileHandle.standardError.write(Data("exportgate: \(failure)\n".utf8))
      throw ExitCode(2)
    }
    for note in outcome.notes {
      FileHandle.standardError.write(Data("exportgate: \(note)\n".utf8))
    }
    if let written = outcome.report.certificate {
      FileHandle.standardError.write(
        Data("exportgate: \(VerificationGate.describe(written, of: outcome.report))\n".utf8))
    }
    let report = outcome.report
    let colour =
      isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      && !noColor
    if quiet {
      print(TextReportRenderer(colour: colour).verdictLine(report, alone: true))
    } else {
      print(try format.render(report, colour: colour), terminator: "")
    }
    if !report.isCertified { throw ExitCode(1) }
  }
}

extension ReportFormat: ExpressibleByArgument {}
