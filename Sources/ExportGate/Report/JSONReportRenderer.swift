import Foundation

/// Renders a report as pretty-printed JSON with sorted keys (stable, diff-friendly).
public enum JSONReportRenderer {
  public static func render<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }
}
