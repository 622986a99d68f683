import Foundation

/// Renders an ``Inventory`` for people (aligned text) or machines (JSON).
public enum InventoryRenderer {
  public static func text(_ inventory: Inventory) -> String {
    var out = ""
    out += "Org Id: \(inventory.orgId ?? "unknown (no part carries a Salesforce name)")\n\n"
    out += "Parts (\(inventory.parts.count)):\n"
    for part in inventory.parts {
      var line = "  \(part.name)  \(ByteFormat.human(part.bytes))"
      if part.isFolder { line += " (extracted folder)" }
      line += "  \(part.entries) entries"
      if let excluded = part.excludedBecause { line += "  [left out: \(excluded)]" }
      out += line + "\n"
    }
    out += "\nObjects (\(Set(inventory.objects.map(\.name)).count)):\n"
    let width = inventory.objects.map(\.name.count).max() ?? 0
    for object in inventory.objects {
      let name = object.name.padding(toLength: width, withPad: " ", startingAt: 0)
      out +=
        "  \(name)  \(ByteFormat.human(object.bytes).leftPadded(10))  \(object.part)\(object.intact ? "" : "  DAMAGED")\n"
    }
    out += "\nBinary folders:\n"
    if inventory.folders.isEmpty { out += "  (none)\n" }
    for folder in inventory.folders {
      out += "  \(folder.name)/  \(folder.files) files, \(ByteFormat.human(folder.bytes))\n"
    }
    out += "\nFindings: "
    if inventory.findings.isEmpty {
      out += "none\n"
    } else {
      out += "\(inventory.findings.count)\n"
      for finding in inventory.findings {
        out +=
          "  [\(finding.severity.rawValue)] \(finding.code.rawValue): \(finding.location.description): \(finding.message)\n"
      }
    }
    return out
  }

  public static func json(_ inventory: Inventory) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(inventory), as: UTF8.self) + "\n"
  }
}
