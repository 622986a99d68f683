import ArgumentParser
import ExportGate
import Foundation

/// `exportgate certificate check CERT PATH...`: are these still exactly the certified bytes?
struct CertificateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "certificate", abstract: "Read and re-check certificates written by verify.",
    discussion: """
      Example: exportgate certificate check exportgate-certificate.json backup/ --public-key signer.pub

      Exit codes: see exportgate certificate check --help.
      """,
    subcommands: [Check.self, Show.self])

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print what a certificate says: export, org, parts, part list, inventory, verdict.",
      discussion:
        "Example: exportgate certificate show exportgate-certificate.json --public-key signer.pub\n\nExit code 0 when read (and, with --public-key, the signature verifies), 1 when the signature does not verify, 2 when the certificate cannot be read."
    )

    @Argument(help: "The certificate (statement or DSSE envelope).")
    var certificate: String

    @Option(
      name: .customLong("public-key"), help: "The signer's public key, to check the signature.")
    var publicKey: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
      let contents: CertificateContents
      do {
        contents = try CertificateContents.read(path: certificate, publicKeyPath: publicKey)
      } catch {
        FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
        throw ExitCode(2)
      }
      switch format {
      case .text: print(contents.text, terminator: "")
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(contents), as: UTF8.self))
      }
      if contents.signatureVerified == false { throw ExitCode(1) }
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Verify a certificate's signature and re-hash the parts it certifies.",
      discussion:
        "Example: exportgate certificate check cert.json backup/ --public-key signer.pub\n\nExit code 0 when the parts are exactly the certified bytes (and the signature verifies), 1 otherwise, 2 when the check could not run."
    )

    @Argument(help: "The certificate (statement or DSSE envelope).")
    var certificate: String

    @Argument(help: "The parts (or folders of parts) to check.")
    var paths: [String]

    @Option(name: .customLong("public-key"), help: "The signer's public key (KEYFILE.pub).")
    var publicKey: String?

    @Option(
      help:
        "The org inventory to hold against the certified one (default: org-inventory.json beside the parts)."
    )
    var inventory: String?

    func run() throws {
      let result: CertificateCheck.Result
      do {
        result = try CertificateCheck().check(
          certificatePath: certificate, paths: paths, publicKeyPath: publicKey,
          inventoryPath: inventory)
      } catch {
        FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
        throw ExitCode(2)
      }
      for name in result.matched { print("ok: \(name) matches the certified SHA-256") }
      if result.signatureVerified { print("ok: the signature verifies") }
      if let claim = result.statement?.predicate.inventory {
        if result.inventoryChecked != nil {
          print(
            "ok: \(claim.name) is the inventory of \(claim.takenAt) the export was certified against"
          )
        } else {
          print(
            "note: certified against the org's inventory of \(claim.takenAt) (\(claim.name)), which is not here to re-check (--inventory FILE)"
          )
        }
      }
      for problem in result.problems { print("FAILED: \(problem)") }
      if result.passed {
        print("certificate holds: \(result.matched.count) part(s) are exactly the certified bytes")
      } else {
        throw ExitCode(1)
      }
    }
  }
}
