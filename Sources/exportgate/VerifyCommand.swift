import ArgumentParser
import Crypto
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
      "The export's encoding: auto (default), UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16BE, SHIFT_JIS, ..."
  )
  var encoding: String?

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

  func validate() throws {
    guard maxFindings > 0 else { throw ValidationError("--max-findings must be at least 1") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let encoding {
      do { _ = try TextEncoding(name: encoding) } catch { throw ValidationError("\(error)") }
    }
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
  }

  private func parsedReports() throws -> [(ReportFormat, String)] {
    try reports.map { spec in
      // `--report report.json`: the format from the extension.
      if let inferred = ReportFormat.inferred(fromPath: spec),
        spec.firstIndex(of: ":").map({
          ReportFormat(rawValue: String(spec[..<$0]).lowercased()) == nil
        }) ?? true
      {
        return (inferred, spec)
      }
      guard let colon = spec.firstIndex(of: ":"),
        let format = ReportFormat(rawValue: String(spec[..<colon]).lowercased()),
        spec.index(after: colon) < spec.endIndex
      else {
        throw ValidationError(
          "--report takes FORMAT:PATH with FORMAT one of json, junit, markdown, html, text (got '\(spec)')"
        )
      }
      return (format, String(spec[spec.index(after: colon)...]))
    }
  }

  private func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("exportgate: \(message)\n".utf8))
    return ExitCode(2)
  }

  func run() throws {
    var options = VerificationOptions()
    options.maxFindingsPerCode = maxFindings
    options.jobs = jobs
    do {
      if let policy { try PolicyLoader.load(path: policy).apply(to: &options) }
      if let expectCounts { options.expectedCounts = try ExpectedCounts.load(path: expectCounts) }
      if let inventory {
        options.inventory = try OrgInventory.load(path: inventory)
        options.inventoryPath = inventory
      }
      if let expectChecksums {
        options.expectedChecksums = try ExpectedChecksums.load(path: expectChecksums)
      }
    } catch {
      throw fail("\(error)")
    }
    // Flags given on the command line win over the policy.
    if !require.isEmpty {
      options.requiredObjects = require.flatMap { $0.split(separator: ",") }
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      options.requiredObjectsSource = "--require"
    }
    if noFiles { options.filesExcluded = true }
    if let encoding { options.encoding = (try? TextEncoding(name: encoding)) ?? .auto }
    let signingKey: Curve25519.Signing.PrivateKey?
    do {
      signingKey = try signKey.map { path in
        if InputFile.isReadableByOthers(path) {
          throw InputFile.Problem(
            description:
              "\(path) may be read by others: a private key must be yours alone (chmod 600 \(path))"
          )
        }
        return try SigningKey.privateKey(
          pem: String(decoding: InputFile.read(path, what: "key", limit: 1 << 20), as: UTF8.self))
      }
    } catch {
      throw fail("--sign-key: \(error)")
    }
    // No output may replace an input: a report written over a part would destroy the backup.
    let inputs = InputFile.identities(ofInputs: paths)
    let outputs =
      try parsedReports().map { ("--report \($0.0.rawValue)", $0.1) }
      + (certificate.map { [("--certificate", $0)] } ?? [])
    for (flag, path) in outputs {
      if let identity = InputFile.identity(of: path), inputs.contains(identity) {
        throw fail("\(flag) \(path) is one of the inputs: refusing to overwrite it")
      }
    }

    var report: VerificationReport
    let meter = ProgressMeter.forTerminal()
    do {
      report = try ExportVerifier(options: options).verify(paths: paths, progress: meter?.update)
      meter?.finish()
    } catch let typos as UnknownObjectNames {
      meter?.finish()
      // A typo in a flag is a usage error (64); in a policy or counts file, that file is
      // unusable (2).
      if typos.allFromFlags { throw ValidationError(typos.description) }
      throw fail(typos.description)
    } catch {
      meter?.finish()
      throw fail("\(error)")
    }
    if let certificate {
      if let statement = VerificationStatement(report: report) {
        do {
          let bytes = try statement.encoded()
          if let signingKey {
            let envelope = try DSSEEnvelope.sign(bytes, with: signingKey)
            try AtomicFile.write(try JSONReportRenderer.render(envelope), to: certificate)
          } else {
            try AtomicFile.write(bytes + Data("\n".utf8), to: certificate)
          }
          // The reports say where the certificate is and what it names.
          report.certificate = VerificationReport.CertificateInfo(
            path: certificate, signed: signingKey != nil, subjects: statement.subject.count)
        } catch {
          throw fail("certificate: \(error)")
        }
      } else if report.isCertified {
        FileHandle.standardError.write(
          Data(
            "exportgate: no certificate written: it must name the ZIP parts' bytes, and an extracted folder has none\n"
              .utf8))
      } else {
        FileHandle.standardError.write(
          Data("exportgate: not certified: no certificate written\n".utf8))
      }
    }
    for (format, path) in try parsedReports() {
      do {
        try AtomicFile.write(try format.render(report), to: path)
      } catch {
        throw fail("\(format.rawValue) report: \(error)")
      }
    }
    let colour =
      isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      && !noColor
    if quiet {
      print(TextReportRenderer(colour: colour).verdictLine(report))
    } else {
      print(try format.render(report, colour: colour), terminator: "")
    }
    if !report.isCertified { throw ExitCode(1) }
  }
}

extension ReportFormat: ExpressibleByArgument {}
