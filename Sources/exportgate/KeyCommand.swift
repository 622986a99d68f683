import ArgumentParser
import Crypto
import ExportGate
import Foundation

/// `exportgate key generate KEYFILE`: an Ed25519 key pair for signing certificates.
struct KeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key", abstract: "Signing keys for certificates.",
    discussion: """
      Example: exportgate key generate exportgate-signer

      Exit codes: see exportgate key generate --help.
      """, subcommands: [Generate.self])

  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write an Ed25519 private key (PEM) to KEYFILE and its public key to KEYFILE.pub.",
      discussion:
        "Example: exportgate key generate exportgate-signer\n\nExit codes: 0 written (the private key readable by you alone); 2 a key file exists (never overwritten) or cannot be written; 64 usage error."
    )

    @Argument(help: "The private key file to write (KEYFILE.pub gets the public key).")
    var keyFile: String

    func run() throws {
      let publicFile = keyFile + ".pub"
      for path in [keyFile, publicFile] where FileManager.default.fileExists(atPath: path) {
        FileHandle.standardError.write(
          Data("exportgate: \(path) exists: not overwriting a key\n".utf8))
        throw ExitCode(2)
      }
      let key = Curve25519.Signing.PrivateKey()
      do {
        // 0600 from the first byte: the private key is never readable by others.
        try AtomicFile.write(SigningKey.privatePEM(key), to: keyFile, mode: 0o600, noClobber: true)
        try AtomicFile.write(SigningKey.publicPEM(key.publicKey), to: publicFile, noClobber: true)
      } catch {
        FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
        throw ExitCode(2)
      }
      print(
        "wrote \(keyFile) (keep it secret) and \(publicFile) (key id \(SigningKey.keyID(key.publicKey).prefix(16)))"
      )
    }
  }
}
