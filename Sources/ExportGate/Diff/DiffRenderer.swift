import Foundation

/// Renders a ``DiffReport``: text for people (removals first and loudest), Markdown, JSON.
public enum DiffRenderer {
  public static func text(_ report: DiffReport, colour: Bool = false) -> String {
    func paint(_ text: String, _ code: String) -> String {
      colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    var out =
      "ExportGate diff\n  OLD: \(report.old.joined(separator: " ")) (\(report.oldEntries) entries)\n  NEW: \(report.new.joined(separator: " ")) (\(report.newEntries) entries)\n\n"
    if report.identical {
      out +=
        report.warnings.isEmpty
        ? "IDENTICAL: every object, record and file is the same.\n"
        : "IDENTICAL as far as both could be read, but the inputs are damaged (below): do not rely on this comparison.\n"
      return out + warningsText(report)
    }
    let goneObjects = report.objects.filter { $0.presence == "removed" }
    let shrinking = report.shrinkingObjects
    if !goneObjects.isEmpty || !shrinking.isEmpty {
      out += paint("REMOVED", "1;31") + "\n"
      for object in goneObjects {
        out += "  \(object.name): the whole object is gone (\(object.oldRecords) records in OLD)\n"
      }
      for object in shrinking {
        out += "  \(object.name): \(object.removed) records removed\(object.removedShareOfOld)"
        out +=
          object.removedExamples.isEmpty
          ? "\n" : ", e.g. \(object.removedExamples.joined(separator: ", "))\n"
      }
      out += "\n"
    }
    let changed = report.objects.filter { $0.differs }
    out +=
      "Objects (added / removed / changed / unchanged\(report.objects.contains { $0.unkeyed > 0 } ? " / not compared" : "")):\n"
    let width = changed.map(\.name.count).max() ?? 0
    for object in changed {
      let name = object.name.padding(toLength: width, withPad: " ", startingAt: 0)
      var line =
        "  \(name)  +\(object.added)  -\(object.removed)  ~\(object.changed)  =\(object.unchanged)"
      if object.unkeyed > 0 {
        line += "  ?\(object.unkeyed) not compared (no usable Id)"
      }
      if object.presence == "added" { line += "  (new object)" }
      if object.presence == "removed" { line += "  (object removed)" }
      out += line + "\n"
      if !object.columnsAdded.isEmpty {
        out += "      columns added: \(object.columnsAdded.joined(separator: ", "))\n"
      }
      if !object.columnsRemoved.isEmpty {
        out += "      columns removed: \(object.columnsRemoved.joined(separator: ", "))\n"
      }
      let fields = object.fieldsChanged.sorted {
        $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
      }
      if !fields.isEmpty {
        out +=
          "      fields changed: \(fields.prefix(8).map { "\($0.key) (\($0.value))" }.joined(separator: ", "))\n"
      }
      for example in object.changedExamples {
        let detail = example.fields.sorted { $0.key < $1.key }.map {
          "\($0.key): \"\($0.value[0])\" -> \"\($0.value[1])\""
        }
        out += "      \(example.id): \(detail.joined(separator: "; "))\n"
      }
      if !object.addedExamples.isEmpty {
        out += "      added e.g. \(object.addedExamples.joined(separator: ", "))\n"
      }
    }
    let unchangedCount = report.objects.count - changed.count
    if unchangedCount > 0 { out += "  (\(unchangedCount) other objects unchanged)\n" }
    out += "\nFiles (added / removed / changed / unchanged):\n"
    for folder in report.files where folder.oldFiles + folder.newFiles > 0 {
      out +=
        "  \(folder.folder)/  +\(folder.added)  -\(folder.removed)  ~\(folder.changed)  =\(folder.unchanged)\n"
    }
    return out + warningsText(report)
  }

  private static func warningsText(_ report: DiffReport) -> String {
    guard !report.warnings.isEmpty else { return "" }
    return "\nWarning: the inputs have integrity problems, so the diff may not be complete:\n"
      + report.warnings.prefix(10).map { "  \($0)\n" }.joined()
  }

  public static func markdown(_ report: DiffReport) -> String {
    var out = "## ExportGate diff: \(report.identical ? "identical" : "differences found")\n\n"
    out +=
      "| Object | OLD | NEW | Added | Removed | Changed | Not compared | Columns |\n|---|---:|---:|---:|---:|---:|---:|---|\n"
    for object in report.objects where object.differs {
      var columns: [String] = []
      if !object.columnsAdded.isEmpty {
        columns.append("+" + object.columnsAdded.joined(separator: ", +"))
      }
      if !object.columnsRemoved.isEmpty {
        columns.append("-" + object.columnsRemoved.joined(separator: ", -"))
      }
      out +=
        "| \(object.name)\(object.presence == "both" ? "" : " (\(object.presence))") | \(object.oldRecords) | \(object.newRecords) | \(object.added) | \(strong(object.removed)) | \(object.changed) | \(object.unkeyed) | \(columns.joined(separator: " ")) |\n"
    }
    out += "\n| Folder | Added | Removed | Changed |\n|---|---:|---:|---:|\n"
    for folder in report.files where folder.oldFiles + folder.newFiles > 0 {
      out +=
        "| \(folder.folder)/ | \(folder.added) | \(strong(folder.removed)) | \(folder.changed) |\n"
    }
    return out
  }

  /// Removals are bold so they stand out; a zero is not news.
  private static func strong(_ count: Int) -> String {
    count == 0 ? "0" : "**\(count)**"
  }

  public static func html(_ report: DiffReport) -> String {
    DiffHTMLRenderer.render(report)
  }

  public static func json(_ report: DiffReport) throws -> String {
    try JSONReportRenderer.render(report)
  }

  /// The CSV header of the change listing.
  public static let csvHeader = "Object,Id,Change,Field,Old,New\r\n"

  /// One change as a CSV line (RFC 4180, CRLF).
  public static func csvLine(_ change: ExportDiffer.Change) -> String {
    [change.object, change.id, change.change, change.field, change.old, change.new].map { field in
      field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",") + "\r\n"
  }
}
