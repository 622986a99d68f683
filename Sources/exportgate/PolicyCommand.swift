import ArgumentParser
import ExportGate
import Foundation

/// `exportgate policy`: policy files for `verify --policy`.
struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Work with policy files.",
    discussion:
      "Example: exportgate policy init exportgate-policy.yaml\n\nExit codes: see each subcommand (exportgate policy init --help, policy check --help).",
    subcommands: [Init.self, Check.self])

  /// `exportgate policy init [FILE]`: writes the commented default policy.
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a commented default policy.",
      discussion:
        "Example: exportgate policy init exportgate-policy.yaml\n\nExit codes: 0 written; 2 the file exists (without --force) or cannot be written; 64 usage error."
    )

    @Argument(help: "Where to write it.")
    var file = "exportgate-policy.yaml"

    @Flag(help: "Replace an existing file.")
    var force = false

    func run() throws {
      if FileManager.default.fileExists(atPath: file) && !force {
        FileHandle.standardError.write(
          Data("exportgate: \(file) exists (use --force to replace it)\n".utf8))
        throw ExitCode(2)
      }
      try AtomicFile.write(PolicyTemplate.text, to: file)
      print("wrote \(file)")
    }
  }

  /// `exportgate policy check FILE`: reads a policy and reports the first problem with its line.
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a policy file.",
      discussion:
        "Example: exportgate policy check exportgate-policy.yaml\n\nExit codes, as verify: 0 valid; 1 invalid (the first problem is printed with its line); 2 the file cannot be read; 64 usage error."
    )

    @Argument(help: "The policy file.")
    var file: String

    func run() throws {
      do {
        _ = try PolicyLoader.load(path: file)
        print("\(file): valid")
      } catch {
        FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
        throw ExitCode((error as? PolicyLoader.PolicyError)?.unreadable == true ? 2 : 1)
      }
    }
  }
}
