import ArgumentParser
import ExportGate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `exportgate verify`: the main job. Checks the bundle against the manifest its own data
/// carries and certifies it, or refuses with every reason located.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Certify that a Data Export bundle is complete, or say exactly why not.",
    discussion: """
      Exit codes: 0 certified, 1 not certified (at least one error finding), 2 verification \
      could not run (no such path, nothing readable), 64 bad flags.
      """
  )

  @Argument(help: "ZIP parts, folders of parts, or an extracted export folder.")
  var paths: [String]

  @Option(
    name: .long, parsing: .singleValue,
    help:
      "Objects that must be present (replaces the default Account,Contact,Lead,Opportunity,Attachment). Repeat or separate with commas."
  )
  var require: [String] = []

  @Flag(
    name: .customLong("no-files"),
    help: "Files were left out of the export on purpose: file findings become warnings.")
  var noFiles = false

  @Option(
    help: "The export's encoding: auto, UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16BE, SHIFT_JIS, ...")
  var encoding: String = "auto"

  @Option(help: "Output format on stdout: text or json.")
  var format: OutputFormat = .text

  @Option(name: .customLong("max-findings"), help: "Findings listed per code (all are counted).")
  var maxFindings: Int = 20

  func validate() throws {
    guard maxFindings > 0 else { throw ValidationError("--max-findings must be at least 1") }
    _ = try parsedEncoding()
  }

  private func parsedEncoding() throws -> TextEncoding {
    do {
      return try TextEncoding(name: encoding)
    } catch {
      throw ValidationError("\(error)")
    }
  }

  func run() throws {
    var options = VerificationOptions()
    if !require.isEmpty {
      options.requiredObjects = require.flatMap { $0.split(separator: ",") }
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    options.filesExcluded = noFiles
    options.encoding = try parsedEncoding()
    options.maxFindingsPerCode = maxFindings
    let report: VerificationReport
    let meter = ProgressMeter.forTerminal()
    do {
      report = try ExportVerifier(options: options).verify(paths: paths, progress: meter?.update)
      meter?.finish()
    } catch {
      meter?.finish()
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
    switch format {
    case .text:
      let renderer = TextReportRenderer(
        colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      )
      print(renderer.render(report), terminator: "")
    case .json:
      print(try JSONReportRenderer.render(report), terminator: "")
    }
    if !report.isCertified { throw ExitCode(1) }
  }
}
