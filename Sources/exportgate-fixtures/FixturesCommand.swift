import ArgumentParser
import ExportGateTestSupport
import Foundation

/// Regenerates the bundled example export (byte-identical for the same version) and writes
/// benchmark inputs.
@main
struct FixturesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exportgate-fixtures",
    abstract: "Writes synthetic Salesforce Data Export bundles.",
    subcommands: [ExampleCommand.self]
  )
}

/// `exportgate-fixtures example DIR`: the two-part example bundled in `Fixtures/`.
struct ExampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "example", abstract: "Write the bundled two-part example export.")

  @Argument(help: "Directory to write the parts into (created if needed).")
  var directory: String = "Fixtures/example"

  func run() throws {
    let export = ExampleExport.make()
    let paths = try FixtureWriter.writeParts(export, to: directory)
    for path in paths { print(path) }
  }
}
