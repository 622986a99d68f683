import Foundation

/// The Classic Data Export page (`/ui/setup/export/DataExportPage/d`), read for what ExportGate
/// needs: one entry per part link (`/servlet/servlet.OrgExport?fileName=...&id=...`) with the
/// rounded size the page shows, when the export was made (in the date format the page itself
/// declares) and its encoding. A login page or a redirect to one is told apart from a page with
/// no export.
public struct DataExportPage: Sendable {
  /// One part as the page lists it.
  public struct Link: Sendable, Equatable {
    public var fileName: String
    public var exportId: String
    /// The page's rounded size (`81.7K`, `512.0M`).
    public var displayedSize: String?
    /// The link as it appears (entities decoded), relative to the instance.
    public var path: String
  }

  public var links: [Link]
  /// The "Schedule Date" shown on the page, as written there.
  public var scheduleDate: String?
  /// The user's date format the page declares (`dd/MM/yyyy`).
  public var dateFormat: String?
  /// The export file encoding the page shows.
  public var encoding: String?

  public init(html: String) {
    var links: [Link] = []
    var seen = Set<String>()
    let pattern = #"href="(/servlet/servlet\.OrgExport\?[^"]+)""#
    for match in Self.matches(pattern, in: html) {
      let path = Self.decodeEntities(match.groups[0])
      guard let components = URLComponents(string: path),
        let fileName = components.queryItems?.first(where: { $0.name == "fileName" })?.value,
        seen.insert(fileName).inserted
      else { continue }
      let exportId = components.queryItems?.first(where: { $0.name == "id" })?.value ?? ""
      // The size is the last data cell of the link's row.
      let rowEnd = html[match.range.upperBound...].range(of: "</tr>")?.lowerBound ?? html.endIndex
      let row = String(html[match.range.upperBound..<rowEnd])
      let size = Self.matches(#"<td[^>]*dataCell[^>]*>\s*([^<]*?)\s*</td>"#, in: row).last?.groups[
        0]
      links.append(Link(fileName: fileName, exportId: exportId, displayedSize: size, path: path))
    }
    self.links = links
    scheduleDate =
      Self.matches(
        #"Schedule Date</td>\s*<td[^>]*>\s*([^<]+?)\s*</td>"#, in: html
      ).first?.groups[0]
    dateFormat = Self.matches(#""dateFormat":"([^"]+)""#, in: html).first?.groups[0]
    encoding = Self.matches(#"Export File Encoding</td>\s*<td[^>]*>\s*([^<]+?)\s*</td>"#, in: html)
      .first.map { Self.decodeEntities($0.groups[0]) }
  }

  /// True when the HTML is a login page rather than a Setup page.
  public static func isLoginPage(_ html: String) -> Bool {
    let lowered = html.lowercased()
    return (lowered.contains("<form") && lowered.contains("name=\"pw\""))
      || lowered.contains("login.salesforce.com") && !lowered.contains("dataexportpage")
      || lowered.contains("<title>login")
  }

  /// When the export was made, from the schedule date in the page's own format.
  public var scheduledDay: Date? {
    guard let scheduleDate else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = dateFormat ?? "MM/dd/yyyy"
    return formatter.date(from: scheduleDate)
  }

  static func decodeEntities(_ text: String) -> String {
    text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">")
  }

  private static func matches(_ pattern: String, in text: String) -> [(
    range: Range<String.Index>, groups: [String]
  )] {
    guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    else { return [] }
    let whole = NSRange(text.startIndex..., in: text)
    return expression.matches(in: text, range: whole).compactMap { match in
      guard let range = Range(match.range, in: text) else { return nil }
      let groups = (1..<match.numberOfRanges).map { index -> String in
        Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
      }
      return (range, groups)
    }
  }
}
