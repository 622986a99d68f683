/// Reads one CSV from a stream of chunks in a given encoding: detects a UTF-16/UTF-32 byte-order
/// mark (and transcodes such input to UTF-8 first), validates UTF-8 on ASCII-compatible input,
/// and parses. The layer `cat`, `verify` and `diff` share, so that every command reads CSV the
/// same way.
public struct CSVStreamReader: ~Copyable {
  public let encoding: TextEncoding
  private var parser: CSVParser
  private var transcoder: WideTextTranscoder?
  private var pendingHead: [UInt8] = []
  private var decided = false
  /// UTF-8 validation of the bytes as they arrive (ASCII-compatible encodings only).
  public private(set) var validator = UTF8Validator()
  /// The encoding actually used: the requested one, or what a byte-order mark announced.
  public private(set) var effectiveEncoding: TextEncoding

  public init(encoding: TextEncoding, options: CSVParser.Options = CSVParser.Options()) {
    self.encoding = encoding
    self.effectiveEncoding = encoding
    self.parser = CSVParser(options: options)
  }

  /// Records so far (header included).
  public var recordCount: Int { parser.recordCount }
  /// Malformations so far (reported or not).
  public var malformationCount: Int { parser.malformationCount }
  /// NUL bytes met in values so far (data, not damage).
  public var nulByteCount: Int { parser.nulByteCount }
  public var unquotedFieldCount: Int { parser.unquotedFieldCount }
  public var firstUnquotedLine: Int? { parser.firstUnquotedLine }
  public var crlfCount: Int { parser.crlfCount }
  /// True when the input was decoded from UTF-16 or UTF-32.
  public var isWide: Bool { transcoder != nil }

  public mutating func feed<Handler: CSVRecordHandler>(
    _ chunk: UnsafeRawBufferPointer, into handler: inout Handler
  ) {
    if !decided {
      // A byte-order mark needs up to four bytes to be recognised.
      pendingHead.append(contentsOf: chunk)
      guard pendingHead.count >= 4 else { return }
      decide()
      let head = pendingHead
      pendingHead = []
      head.withUnsafeBytes { process($0, final: false, into: &handler) }
      return
    }
    process(chunk, final: false, into: &handler)
  }

  public mutating func finish<Handler: CSVRecordHandler>(into handler: inout Handler) {
    if !decided {
      decide()
      let head = pendingHead
      pendingHead = []
      head.withUnsafeBytes { process($0, final: true, into: &handler) }
    } else if transcoder != nil {
      process(UnsafeRawBufferPointer(start: nil, count: 0), final: true, into: &handler)
    }
    validator.finish()
    parser.finish(into: &handler)
  }

  private mutating func decide() {
    decided = true
    switch encoding {
    case .wide(let name):
      // The transcoder reads any byte-order mark itself.
      transcoder = WideTextTranscoder(encoding: name)
    case .auto, .utf8:
      let announced = pendingHead.withUnsafeBytes { TextEncoding.fromByteOrderMark($0) }
      if case .wide(let name)? = announced {
        effectiveEncoding = .wide(name)
        transcoder = WideTextTranscoder(encoding: name)
      }
    default:
      break
    }
  }

  private mutating func process<Handler: CSVRecordHandler>(
    _ chunk: UnsafeRawBufferPointer, final: Bool, into handler: inout Handler
  ) {
    if let transcoder {
      let utf8 = transcoder.transcode(chunk, final: final)
      utf8.withUnsafeBytes { parser.parse($0, into: &handler) }
    } else {
      validator.feed(chunk)
      parser.parse(chunk, into: &handler)
    }
  }
}
