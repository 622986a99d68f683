import ArgumentParser
import ExportGate
import Foundation

/// `exportgate inspect`: lists what a bundle holds (parts, Org Id, objects, binary folders) and
/// what ingest found wrong with it, without judging completeness.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "List the parts, objects and binary folders of an export bundle.",
    discussion: """
      Example: exportgate inspect backup/ --format json

      PATH may be a ZIP part, a folder of parts or an extracted export folder; give several \
      to read them as one export. Exit code: 0 when ingest found no error, 1 when it did, \
      2 when the input could not be read at all.
      """
  )

  @Argument(help: "ZIP parts, folders of parts, or an extracted export folder.")
  var paths: [String]

  @Option(help: "Output format: text or json.")
  var format: OutputFormat = .text

  func run() throws {
    let inventory: Inventory
    do {
      inventory = try Inventory.inspect(paths: paths)
    } catch {
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
    switch format {
    case .text: print(InventoryRenderer.text(inventory), terminator: "")
    case .json: print(try InventoryRenderer.json(inventory), terminator: "")
    }
    if inventory.hasErrors { throw ExitCode(1) }
  }
}
