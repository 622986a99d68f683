import ArgumentParser
import ExportGate
import Foundation

/// `exportgate cat`: prints one object's records straight out of a bundle, or a plain CSV file,
/// as UTF-8 JSON lines or CSV.
struct CatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat",
    abstract: "Print one object's records from an export bundle (or a plain CSV file) as UTF-8.",
    discussion: """
      Example: exportgate cat WE_00D*.ZIP --object Account > Account.jsonl

      Reads the object's CSV across all parts (header printed once) without extracting \
      anything. Exit code: 0 clean, 1 when the input is malformed (each problem is named on \
      stderr with its line, record and byte offset), 2 when nothing could be read.
      """
  )

  @Argument(help: "ZIP parts, folders, an extracted export, or one plain .csv file.")
  var paths: [String]

  @Option(help: "The object to print (e.g. Contact); not needed for a plain .csv file.")
  var object: String?

  @Option(help: "Output format: jsonl (one JSON array per record, header first) or csv.")
  var format: RecordOutputFormat = .jsonl

  @Option(
    help: "The export's encoding: auto, UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16BE, SHIFT_JIS, ...",
    transform: TextEncoding.init(name:))
  var encoding: TextEncoding = .auto

  private var isPlainCSV: Bool { paths.count == 1 && paths[0].lowercased().hasSuffix(".csv") }

  /// Usage errors found here print `cat`'s usage with them (from `run` they would not).
  func validate() throws {
    if object == nil && !isPlainCSV {
      throw ValidationError("--object is required when reading a bundle (e.g. --object Contact)")
    }
  }

  func run() throws {
    let textEncoding = encoding
    let standardOutput = FileHandle.standardOutput
    let cat = ObjectCat(
      format: format, encoding: textEncoding,
      write: { standardOutput.write(Data($0)) },
      diagnose: {
        FileHandle.standardError.write(
          Data("exportgate: \($0.isError ? "" : "note: ")\($0)\n".utf8))
      })
    do {
      if isPlainCSV {
        try cat.catFile(at: paths[0])
      } else if let object {
        try cat.catObject(object, paths: paths)
      }
    } catch let failure as ObjectCat.Failure {
      if failure.isUsageError { throw ValidationError(failure.description) }
      FileHandle.standardError.write(Data("exportgate: \(failure)\n".utf8))
      throw ExitCode(2)
    }
    if cat.hadErrors { throw ExitCode(1) }
  }
}

extension RecordOutputFormat: ExpressibleByArgument {}
