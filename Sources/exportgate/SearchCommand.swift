import ArgumentParser
import ExportGate
import Foundation

/// `exportgate search`: full-text search of a restored archive from the command line, for
/// people in a terminal and for scripts.
struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Find records by the words they contain in a restored archive.",
    discussion: """
      Example: exportgate search restored/ acme contract

      DIR is a folder `exportgate restore` wrote (it holds archive.sqlite). Every word must be \
      in the record; case and accents do not matter (krakow finds Kraków). Hits are grouped by \
      object, best first, each with its Id, name and the text around the match. Exit codes: 0 \
      found, 1 nothing found, 2 the archive could not be read, 64 bad flags.
      """
  )

  @Argument(help: "The restore folder (or its archive.sqlite).")
  var folder: String

  @Argument(help: "The words to find.")
  var words: [String]

  @Option(help: "Output format: text or json.")
  var format: OutputFormat = .text

  @Option(help: "At most this many records (default 50).")
  var limit = 50

  func validate() throws {
    if limit < 1 { throw ValidationError("--limit must be at least 1") }
    if words.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
      throw ValidationError("give at least one word to search for")
    }
  }

  func run() throws {
    let hits: [ArchiveSearch.Hit]
    do {
      hits = try ArchiveSearch(folder: folder).search(words.joined(separator: " "), limit: limit)
    } catch {
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(hits), as: UTF8.self))
    case .text: print(Self.text(hits), terminator: "")
    }
    if hits.isEmpty { throw ExitCode(1) }
  }

  /// Hits grouped by object (objects in the order of their best hit), matches in `[ ]`.
  static func text(_ hits: [ArchiveSearch.Hit]) -> String {
    guard !hits.isEmpty else { return "no record holds every word\n" }
    var order: [String] = []
    var groups: [String: [ArchiveSearch.Hit]] = [:]
    for hit in hits {
      if groups[hit.object] == nil { order.append(hit.object) }
      groups[hit.object, default: []].append(hit)
    }
    var out = ""
    for object in order {
      let group = groups[object] ?? []
      out += "\(object) (\(group.count))\n"
      for hit in group {
        let name = hit.label.map { " \($0)" } ?? ""
        out += "  \(hit.id ?? "-")\(name)\n"
        let snippet = hit.snippetPieces.map { $0.isMatch ? "[\($0.text)]" : $0.text }.joined()
          .replacingOccurrences(of: "\n", with: " ")
        out += "    \(snippet)\n"
      }
    }
    return out
  }
}
