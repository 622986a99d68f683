/// Streams UTF-16 or UTF-32 input to UTF-8 so that the byte parser can read it. Sequences
/// split between chunks are carried over; a byte-order mark picks the byte order.
public final class WideTextTranscoder {
  private var converter: Iconv?
  private var requested: String
  private var started = false
  private var output: [UInt8] = []
  /// Number of invalid sequences replaced with U+FFFD.
  public private(set) var replacements = 0

  /// `encoding` is an iconv name such as `UTF-16`, `UTF-16BE` or `UTF-32LE`. A byte-order mark
  /// at the start picks the byte order; plain `UTF-16` without one is read big-endian, as
  /// Salesforce writes it.
  public init(encoding: String) { requested = encoding.uppercased() }

  /// Transcodes a chunk and returns the UTF-8 produced (possibly empty).
  public func transcode(_ chunk: UnsafeRawBufferPointer, final: Bool = false) -> [UInt8] {
    var input = chunk
    if !started {
      started = true
      var name = requested
      let wants32 = requested.hasPrefix("UTF-32")
      if case .wide(let bomName)? = TextEncoding.fromByteOrderMark(chunk) {
        let bom32 = bomName.hasPrefix("UTF-32")
        if bom32 || !wants32 {
          name = bomName
          input = UnsafeRawBufferPointer(rebasing: chunk[(bom32 ? 4 : 2)...])
        } else {
          // A 2-byte mark before UTF-32 text (as Salesforce Data Loader writes it): skip it
          // and keep the encoding the user named.
          input = UnsafeRawBufferPointer(rebasing: chunk[2...])
        }
      }
      if name == "UTF-16" || name == "UCS-2" {
        name = "UTF-16BE"
      } else if name == "UTF-32" {
        name = "UTF-32BE"
      }
      converter = Iconv(from: name)
    }
    output.removeAll(keepingCapacity: true)
    replacements += converter?.convert(input, appendingTo: &output, final: final) ?? 0
    return output
  }
}
