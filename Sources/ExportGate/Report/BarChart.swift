/// A horizontal bar chart drawn as inline SVG (the report stays one file that works offline):
/// one row per label, each bar made of coloured segments, a figure at its end. Segment
/// colours are CSS classes so verify and diff reports share one visual language.
public struct BarChart {
  /// One coloured piece of a bar.
  public struct Segment {
    public var value: Double
    /// `s-ok`, `s-bad`, `s-warn`, `s-neutral`, `s-empty`, `s-add`, `s-remove`, `s-change`.
    public var style: String
    public var label: String

    public init(value: Double, style: String, label: String) {
      self.value = value
      self.style = style
      self.label = label
    }
  }

  /// One bar.
  public struct Row {
    public var label: String
    public var segments: [Segment]
    /// The figure printed after the bar.
    public var note: String
    /// Draws the label in red (a damaged part, a folder missing files).
    public var flagged: Bool

    public init(label: String, segments: [Segment], note: String, flagged: Bool = false) {
      self.label = label
      self.segments = segments
      self.note = note
      self.flagged = flagged
    }
  }

  public var title: String
  public var rows: [Row]

  public init(title: String, rows: [Row]) {
    self.title = title
    self.rows = rows
  }

  // Close to a card's width on a laptop screen, so that text is drawn near its CSS size.
  static let width = 560.0
  static let rowHeight = 22.0
  // Wide enough for a part's name (`WE_<18-character Org Id>_<n>.ZIP`) at 12px.
  static let labelWidth = 215.0
  static let noteWidth = 110.0
  /// A generous width per character of a 12px note (digits are 6.7px in Liberation Sans).
  static let noteCharacterWidth = 7.2

  /// Room after the longest bar for the longest note, so that no note is cut at the chart's
  /// edge (`11 of 12, 1 missing`); bars get narrower instead.
  var noteRoom: Double {
    let longest = rows.map { Double($0.note.count) * Self.noteCharacterWidth + 12 }.max() ?? 0
    return min(max(Self.noteWidth, longest), Self.width - Self.labelWidth - 60)
  }

  /// The chart as an `<svg>` element; a bar's length is its share of the longest bar.
  public func svg() -> String {
    let height = Double(rows.count) * Self.rowHeight + 6
    let scaleWidth = Self.width - Self.labelWidth - noteRoom
    let longest = rows.map { $0.segments.reduce(0) { $0 + max($1.value, 0) } }.max() ?? 0
    var svg =
      "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">\n"
    svg += "<title>\(HTMLPage.escape(title))</title>\n"
    for (index, row) in rows.enumerated() {
      let top = Double(index) * Self.rowHeight + 3
      let middle = top + Self.rowHeight / 2 + 4
      let label = row.label.count > 28 ? "…" + String(row.label.suffix(27)) : row.label
      svg +=
        "<text x=\"\(Int(Self.labelWidth - 8))\" y=\"\(format(middle))\" text-anchor=\"end\"\(row.flagged ? " style=\"fill:#cf222e\"" : "")>\(HTMLPage.escape(label))</text>\n"
      var x = Self.labelWidth
      for segment in row.segments where segment.value > 0 {
        // A non-zero value stays visible however small its share.
        let length = longest > 0 ? max(scaleWidth * segment.value / longest, 2) : 0
        svg +=
          "<rect class=\"\(segment.style)\" x=\"\(format(x))\" y=\"\(format(top + 3))\" width=\"\(format(length))\" height=\"\(format(Self.rowHeight - 6))\" rx=\"2\"><title>\(HTMLPage.escape(row.label)): \(HTMLPage.escape(segment.label))</title></rect>\n"
        x += length
      }
      if row.segments.allSatisfy({ $0.value <= 0 }) {
        svg +=
          "<rect class=\"s-empty\" x=\"\(format(x))\" y=\"\(format(top + 3))\" width=\"2\" height=\"\(format(Self.rowHeight - 6))\"/>\n"
        x += 2
      }
      svg +=
        "<text class=\"value\" x=\"\(format(x + 6))\" y=\"\(format(middle))\">\(HTMLPage.escape(row.note))</text>\n"
    }
    return svg + "</svg>\n"
  }

  /// A legend for the segment styles used.
  static func legend(_ items: [(colour: String, label: String)]) -> String {
    "<div class=\"legend\">"
      + items.map {
        "<span style=\"--c:\($0.colour)\">\(HTMLPage.escape($0.label))</span>"
      }.joined() + "</div>\n"
  }

  private func format(_ value: Double) -> String {
    String(Double(Int(value * 10)) / 10)
  }
}
