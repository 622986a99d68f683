import Foundation

/// The formats a verification report can be written in.
public enum ReportFormat: String, Sendable, CaseIterable {
  case text
  case json
  case junit
  case markdown
  case html

  /// A format as people name it: its own name, or the usual short one (`md`, `xml` for JUnit,
  /// `txt`, `htm`), in any case.
  public init?(named name: String) {
    let lowered = name.lowercased()
    if let format = ReportFormat(rawValue: lowered) {
      self = format
    } else if let format = ReportFormat.inferred(fromPath: "report." + lowered) {
      self = format
    } else {
      return nil
    }
  }

  /// Every name `init(named:)` takes, for usage messages.
  public static let names = "json, junit (or xml), markdown (or md), html, text (or txt)"

  /// The format a report path's extension names (`.json`, `.xml` for JUnit, `.md`, `.html`,
  /// `.txt`), or nil.
  public static func inferred(fromPath path: String) -> ReportFormat? {
    switch (path as NSString).pathExtension.lowercased() {
    case "json": .json
    case "xml": .junit
    case "md", "markdown": .markdown
    case "html", "htm": .html
    case "txt", "text": .text
    default: nil
    }
  }

  public func render(_ report: VerificationReport, colour: Bool = false) throws -> String {
    switch self {
    case .text: TextReportRenderer(colour: colour).render(report)
    case .json: try JSONReportRenderer.render(report)
    case .junit: JUnitReportRenderer.render(report)
    case .markdown: MarkdownReportRenderer.render(report)
    case .html: HTMLReportRenderer.render(report)
    }
  }
}
