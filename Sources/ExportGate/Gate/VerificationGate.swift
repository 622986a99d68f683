import Crypto
import Foundation

/// The whole `verify` run a runbook gates on: the evidence (policy, the org's counts,
/// checksums and inventory) loaded, the verification, the certificate signed and written, the
/// reports written, each output refused where it would replace an input. The command line only
/// parses flags into a ``Request`` and prints the outcome; the gate is testable without it.
public struct VerificationGate {
  /// One report file to write.
  public struct ReportFile: Sendable, Equatable {
    public var format: ReportFormat
    public var path: String

    public init(format: ReportFormat, path: String) {
      self.format = format
      self.path = path
    }
  }

  /// What to verify and what to produce.
  public struct Request: Sendable {
    public var paths: [String]
    public var policyPath: String?
    /// `--require`: replaces the policy's and the default list when not empty.
    public var requiredObjects: [String] = []
    public var filesExcluded = false
    public var encoding: TextEncoding?
    public var expectedCountsPath: String?
    public var expectedChecksumsPath: String?
    public var inventoryPath: String?
    public var reports: [ReportFile] = []
    public var certificatePath: String?
    public var signingKeyPath: String?
    public var maxFindingsPerCode = 20
    public var jobs: Int?
    /// "Now", the time of verification (nil: the clock).
    public var now: Date?
    /// `--as-of`: the day ages and deadlines are judged as of (nil: now).
    public var asOf: Date?

    public init(paths: [String]) { self.paths = paths }
  }

  /// Why the gate could not decide.
  public struct Failure: Error, CustomStringConvertible {
    /// `usage`: the person's own flags are wrong (exit 64); `cannotRun`: an input or file is
    /// unusable (exit 2).
    public enum Kind: Sendable { case usage, cannotRun }
    public let kind: Kind
    public let description: String
  }

  /// What the run produced.
  public struct Outcome: Sendable {
    public var report: VerificationReport
    /// What a person should know that is not in the report (no certificate written, and why).
    public var notes: [String]
  }

  public init() {}

  public func run(_ request: Request, progress: ((ScanProgress) -> Void)? = nil) throws -> Outcome {
    let options = try options(for: request)
    let signingKey = try request.signingKeyPath.map(Self.loadSigningKey)
    try refuseOutputsOverInputs(request)
    var report: VerificationReport
    do {
      report = try ExportVerifier(options: options).verify(paths: request.paths, progress: progress)
    } catch let typos as UnknownObjectNames {
      // A typo in a flag is a usage error; in a policy or counts file, that file is unusable.
      throw Failure(kind: typos.allFromFlags ? .usage : .cannotRun, description: typos.description)
    } catch {
      throw Failure(kind: .cannotRun, description: "\(error)")
    }
    var notes: [String] = []
    if let path = request.certificatePath {
      if let note = try writeCertificate(for: &report, to: path, signingKey: signingKey) {
        notes.append(note)
      }
    }
    for file in request.reports {
      do {
        try AtomicFile.write(Data(try file.format.render(report).utf8), to: file.path)
      } catch {
        throw Failure(kind: .cannotRun, description: "\(file.format.rawValue) report: \(error)")
      }
    }
    return Outcome(report: report, notes: notes)
  }

  /// The verification options: the policy first, then the org's files, then flags (which win).
  func options(for request: Request) throws -> VerificationOptions {
    var options = VerificationOptions()
    options.maxFindingsPerCode = request.maxFindingsPerCode
    options.jobs = request.jobs
    if let now = request.now { options.now = now }
    options.asOf = request.asOf
    do {
      if let path = request.policyPath { try PolicyLoader.load(path: path).apply(to: &options) }
      if let path = request.expectedCountsPath {
        options.expectedCounts = try ExpectedCounts.load(path: path)
      }
      if let path = request.expectedChecksumsPath {
        options.expectedChecksums = try ExpectedChecksums.load(path: path)
      }
      if let path = request.inventoryPath {
        options.inventory = try OrgInventory.load(path: path)
        options.inventoryPath = path
      }
    } catch {
      throw Failure(kind: .cannotRun, description: "\(error)")
    }
    if options.policy?.maxExportAgeDays != nil {
      options.priorCertificate = Self.priorCertificate(beside: request.paths)
    }
    if !request.requiredObjects.isEmpty {
      options.requiredObjects = request.requiredObjects
      options.requiredObjectsSource = "--require"
    }
    if request.filesExcluded { options.filesExcluded = true }
    if let encoding = request.encoding { options.encoding = encoding }
    return options
  }

  /// The name a certificate is kept under beside the parts (the runbook's).
  public static let certificateFileName = "exportgate-certificate.json"

  /// A certificate kept beside the parts, read (not trusted: the checks hold its digests
  /// against the parts). One that cannot be read is as none: it could only soften a verdict.
  static func priorCertificate(beside paths: [String]) -> VerificationStatement? {
    for path in paths {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
      let folder = isFolder.boolValue ? path : (path as NSString).deletingLastPathComponent
      let candidate = (folder as NSString).appendingPathComponent(certificateFileName)
      if let contents = try? CertificateContents.read(path: candidate) { return contents.statement }
    }
    return nil
  }

  /// What verify says of the certificate it wrote: where, and what it names.
  public static func describe(
    _ certificate: VerificationReport.CertificateInfo, of report: VerificationReport
  ) -> String {
    var named = ["\(certificate.subjects) part(s) by SHA-256"]
    if let list = report.export.partList {
      named.append("the part list \((list.path as NSString).lastPathComponent)")
    }
    if let inventory = report.inventory, inventory.comparison.usable {
      named.append("the org's inventory of \(inventory.takenAt)")
    }
    if let digest = report.policy?.sha256 {
      named.append("the policy (SHA-256 \(digest.prefix(12))...)")
    }
    return
      "certificate written to \(certificate.path) (\(certificate.signed ? "signed, DSSE Ed25519" : "unsigned in-toto statement")): it names \(named.joined(separator: ", ")); re-check it with exportgate certificate check \(certificate.path) PARTS..."
  }

  static func loadSigningKey(_ path: String) throws -> Curve25519.Signing.PrivateKey {
    do {
      // A public key given where the private one is wanted is said first, whatever its mode.
      if let text = try? InputFile.read(path, what: "key", limit: 1 << 20),
        String(decoding: text, as: UTF8.self).contains("-----BEGIN PUBLIC KEY-----")
      {
        throw SigningKey.KeyError(
          description:
            "\(path) is a public key: --sign-key needs the private key it pairs with (exportgate key generate writes KEYFILE and KEYFILE.pub)"
        )
      }
      if InputFile.isReadableByOthers(path) {
        throw InputFile.Problem(
          description:
            "\(path) may be read by others: a private key must be yours alone (chmod 600 \(path))")
      }
      return try SigningKey.privateKey(
        pem: String(decoding: InputFile.read(path, what: "key", limit: 1 << 20), as: UTF8.self))
    } catch {
      throw Failure(kind: .cannotRun, description: "--sign-key: \(error)")
    }
  }

  /// No output may replace an input: a report written over a part would destroy the backup.
  private func refuseOutputsOverInputs(_ request: Request) throws {
    let inputs = InputFile.identities(
      ofInputs: request.paths + [request.inventoryPath, request.policyPath].compactMap { $0 })
    let outputs =
      request.reports.map { ("--report \($0.format.rawValue)", $0.path) }
      + (request.certificatePath.map { [("--certificate", $0)] } ?? [])
    for (flag, path) in outputs {
      if let identity = InputFile.identity(of: path), inputs.contains(identity) {
        throw Failure(
          kind: .cannotRun,
          description: "\(flag) \(path) is one of the inputs: refusing to overwrite it")
      }
    }
  }

  /// Writes the certificate of a certified report (signed when a key is given) and records it
  /// in the report; returns why none was written, if none was.
  private func writeCertificate(
    for report: inout VerificationReport, to path: String,
    signingKey: Curve25519.Signing.PrivateKey?
  ) throws -> String? {
    guard let statement = VerificationStatement(report: report) else {
      return report.isCertified
        ? "no certificate written: it must name the ZIP parts' bytes, and an extracted folder has none"
        : "not certified: no certificate written"
    }
    do {
      let bytes = try statement.encoded()
      if let signingKey {
        let envelope = try DSSEEnvelope.sign(bytes, with: signingKey)
        try AtomicFile.write(try JSONReportRenderer.render(envelope), to: path)
      } else {
        try AtomicFile.write(bytes + Data("\n".utf8), to: path)
      }
    } catch {
      throw Failure(kind: .cannotRun, description: "certificate: \(error)")
    }
    report.certificate = VerificationReport.CertificateInfo(
      path: path, signed: signingKey != nil, subjects: statement.subject.count)
    return nil
  }
}
