import ArgumentParser
import ExportGate
import Foundation

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

  /// Parses and runs as swift-argument-parser does, after one check it does not make: a first
  /// word that is no command but a typo of one is answered with the command meant.
  static func main() async {
    // libarchive and the direct reader convert every entry's DOS time with `mktime`; with `TZ`
    // unset, glibc checks /etc/localtime on every call (two `stat`s per entry, 3% of a verify).
    // Naming that same file keeps the time zone and makes glibc read it once. The executable
    // owns its environment and sets it before any thread starts; the library never does.
    if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 0) }
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let suggestion = suggestedCommand(for: arguments.first) {
      FileHandle.standardError.write(
        Data(
          "Error: '\(arguments[0])' is not an exportgate command. Did you mean '\(suggestion)'?\nUsage: exportgate \(suggestion) --help\n"
            .utf8))
      Foundation.exit(64)
    }
    do {
      var command = try parseAsRoot(arguments)
      if var asynchronous = command as? AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }

  /// The command `word` is a typo of, when it is not a command or an option itself.
  static func suggestedCommand(for word: String?) -> String? {
    guard let word, !word.hasPrefix("-") else { return nil }
    let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    guard !names.contains(word) else { return nil }
    return ObjectNameResolver.closest(to: word, among: names)
  }
}
