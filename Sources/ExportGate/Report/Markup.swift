/// Text made safe for XML and HTML alike (JUnit, the HTML reports): markup characters escaped,
/// and control characters that XML 1.0 forbids even escaped replaced by `?`.
enum Markup {
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) } else { out += "?" }
      }
    }
    return out
  }
}
