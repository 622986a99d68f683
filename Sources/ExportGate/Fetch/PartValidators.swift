/// What the org identified a part's bytes by when it began serving them (its ETag and
/// Last-Modified headers): a resume asks for the rest of those bytes only (`If-Range`), and a
/// rest the org sends under other validators is refused, so a part that changed between two
/// attempts is never stitched from both.
public struct PartValidators: Codable, Sendable, Equatable {
  public var etag: String?
  public var lastModified: String?

  public init(etag: String?, lastModified: String?) {
    self.etag = etag
    self.lastModified = lastModified
  }

  /// The validators of a response, from its lower-cased headers.
  init(headers: [String: String]) {
    etag = Self.value(headers["etag"])
    lastModified = Self.value(headers["last-modified"])
  }

  /// The `If-Range` value: a strong ETag, else the Last-Modified date (RFC 9110 allows no weak
  /// ETag there); nil when the org sent neither, and then only Content-Range guards a resume.
  var ifRange: String? {
    // Read back from export-parts.json, which is no more trusted than the network.
    if let etag = Self.value(etag), !etag.hasPrefix("W/") { return etag }
    return Self.value(lastModified)
  }

  /// Whether an answer's headers name other bytes than these: a validator both carry that
  /// differs.
  func contradict(_ headers: [String: String]) -> String? {
    let theirs = PartValidators(headers: headers)
    if let etag, let other = theirs.etag, other != etag {
      return "ETag \(etag) first, \(other) now"
    }
    if let lastModified, let other = theirs.lastModified, other != lastModified {
      return "Last-Modified \(lastModified) first, \(other) now"
    }
    return nil
  }

  /// A header value as sent, bounded: no control characters and at most 200 bytes, since it
  /// is sent back in a request header and printed in messages.
  private static func value(_ raw: String?) -> String? {
    guard let text = raw?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
      text.utf8.count <= 200,
      !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else { return nil }
    return text
  }
}
