import ArgumentParser
import ExportGate

/// The `exportgate` command line: a thin layer over the ExportGate library.
@main
struct ExportGateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exportgate",
    abstract: "Proves a Salesforce Data Export backup is complete before you cancel Salesforce.",
    discussion: """
      Example: exportgate fetch --to backup/ --verify   (then: exportgate restore backup/ --to restored/)

      Exit codes (every command lists its own): 0 success (verify: certified); 1 the check \
      failed (verify: not certified; diff: a difference or a --fail-if rule fired); 2 the \
      command could not run (unreadable input, session refused, disk full); 64 usage error.
      """,
    version: ExportGateVersion.current,
    subcommands: [
      FetchCommand.self, InventoryCommand.self, VerifyCommand.self, RestoreCommand.self,
      SearchCommand.self, BrowseCommand.self, DiffCommand.self,
      InspectCommand.self,
      CatCommand.self,
      PolicyCommand.self,
      KeyCommand.self,
      CertificateCommand.self,
    ]
  )

  /// No command given: the usage, as a usage error (64), never a silent success.
  func run() throws {
    throw ValidationError("choose a command, e.g. exportgate verify PATH...")
  }
}
