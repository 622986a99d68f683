import Foundation

/// `exportgate cat`: streams the records of one object out of a bundle (across parts, header
/// once) or out of a plain CSV file, re-encoded as UTF-8, without extracting anything.
public final class ObjectCat {
  /// What went wrong, for the caller to print; `cat` keeps going where it can.
  public struct Diagnostic: Sendable, CustomStringConvertible {
    public let description: String
    /// True when the input is damaged (exit code 1); false for notices.
    public let isError: Bool
    /// What kind of damage or notice, as verify names it.
    public let code: FindingCode
  }

  /// Thrown when nothing can be printed at all.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
    /// The person's own mistake (an object name that is a typo), not the bundle's.
    public var isUsageError = false

    public init(description: String, isUsageError: Bool = false) {
      self.description = description
      self.isUsageError = isUsageError
    }
  }

  private let format: RecordOutputFormat
  private let encoding: TextEncoding
  private let write: ([UInt8]) -> Void
  private let diagnose: (Diagnostic) -> Void
  private var output: [UInt8] = []
  private var header: [String]?
  public private(set) var recordsWritten = 0
  public private(set) var hadErrors = false

  /// `write` receives UTF-8 output in blocks; `diagnose` receives messages for stderr.
  public init(
    format: RecordOutputFormat, encoding: TextEncoding, write: @escaping ([UInt8]) -> Void,
    diagnose: @escaping (Diagnostic) -> Void
  ) {
    self.format = format
    self.encoding = encoding
    self.write = write
    self.diagnose = diagnose
    output.reserveCapacity(1 << 16)
  }

  /// Prints a plain CSV file.
  public func catFile(at path: String) throws {
    let piece = Piece(owner: self, source: (path as NSString).lastPathComponent, isFirst: true)
    do {
      try FileChunks.read(path: path, chunkSize: 1 << 20) { piece.consume($0) }
    } catch {
      throw Failure(description: "\(error)")
    }
    piece.finish(.complete(bytes: 0))
    flush()
  }

  /// Prints object `name` from the bundle at `paths`.
  public func catObject(_ name: String, paths: [String]) throws {
    let bundle: ExportBundle
    do {
      bundle = try BundleLocator.locate(paths)
    } catch {
      throw Failure(description: "\(error)")
    }
    let visitor = Visitor(owner: self, object: name)
    let result = BundleScanner(bundle: bundle).scan(visitor: visitor)
    flush()
    for finding in result.findings where finding.severity == .error {
      report(
        "\(finding.code.rawValue): \(finding.location.description): \(finding.message)",
        error: true,
        code: finding.code)
    }
    if visitor.pieces == 0 {
      let available = Set(visitor.objectsSeen).sorted()
      var description =
        "no object '\(name)' in the bundle (objects: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
      if case .absent(let suggestion?, _) = ObjectNameResolver(objects: available).resolve(name) {
        description = "no object '\(name)' in the bundle: did you mean \(suggestion)?"
        throw Failure(description: description, isUsageError: true)
      }
      throw Failure(description: description)
    }
  }

  /// A sink for the next piece of this object's CSV, for callers that run their own scan (one
  /// `ObjectCat` per object, as `restore` does).
  func pieceSink(source: String) -> EntrySink {
    piecesGiven += 1
    return Piece(owner: self, source: source, isFirst: piecesGiven == 1)
  }

  /// Writes what is still buffered.
  func finish() { flush() }

  private var piecesGiven = 0

  fileprivate func report(_ message: String, error: Bool, code: FindingCode) {
    if error { hadErrors = true }
    diagnose(Diagnostic(description: message, isError: error, code: code))
  }

  fileprivate func emit(_ record: CSVRecord, decoder: FieldDecoder) {
    var decoded: [UInt8] = []
    var ranges: [Range<Int>] = []
    for index in 0..<record.count {
      let start = decoded.count
      decoder.decode(record[index], appendingTo: &decoded)
      ranges.append(start..<decoded.count)
    }
    format.append(ranges.map { decoded[$0] }, to: &output)
    recordsWritten += 1
    if output.count >= 1 << 16 { flush() }
  }

  fileprivate func checkHeader(_ record: CSVRecord, isFirst: Bool, source: String) -> Bool {
    let names = record.strings
    guard let header else {
      header = names
      return true
    }
    if names != header {
      report(
        "\(source): this piece's header differs from the first piece's; its rows are printed under the first header",
        error: true, code: .objectHeaderMismatch)
    }
    return false
  }

  fileprivate func flush() {
    guard !output.isEmpty else { return }
    write(output)
    output.removeAll(keepingCapacity: true)
  }

  /// One CSV entry (or file): its own parser, since a piece starts with its own header.
  fileprivate final class Piece: CSVEntrySink {
    unowned let owner: ObjectCat
    let source: String
    let isFirst: Bool
    let decoder: FieldDecoder

    init(owner: ObjectCat, source: String, isFirst: Bool) {
      self.owner = owner
      self.source = source
      self.isFirst = isFirst
      self.decoder = FieldDecoder(encoding: owner.encoding)
      super.init(encoding: owner.encoding)
    }

    override func entryEnded(_ outcome: EntryOutcome) {
      if let invalid = reader.validator.firstInvalidOffset, !reader.isWide {
        switch owner.encoding {
        case .auto:
          owner.report(
            "\(source): not valid UTF-8 (first invalid byte at offset \(invalid)); decoded as Windows-1252",
            error: false, code: .csvEncoding)
        case .utf8:
          owner.report(
            "\(source): not valid UTF-8 (first invalid byte at offset \(invalid)); invalid sequences replaced with U+FFFD",
            error: true, code: .csvEncoding)
        default:
          break
        }
      }
      if case .damaged(_, let reason) = outcome {
        owner.report(
          "\(source): the entry is damaged (\(reason)); its records may be incomplete", error: true,
          code: .entryCorrupt)
      }
    }

    override func record(_ record: CSVRecord) {
      if record.number == 1 {
        let keep = owner.checkHeader(record, isFirst: isFirst, source: source)
        if !keep { return }
      }
      owner.emit(record, decoder: decoder)
    }

    override func malformed(_ malformation: CSVMalformation) {
      owner.report(
        // Numbered as verify numbers them: the header is record 0.
        "\(source): line \(malformation.line), record \(malformation.record - 1), byte \(malformation.byteOffset): \(malformation.message)",
        error: true, code: .csvMalformed)
    }
  }

  private final class Visitor: BundleVisitor {
    unowned let owner: ObjectCat
    let object: String
    var pieces = 0
    var objectsSeen: [String] = []

    init(owner: ObjectCat, object: String) {
      self.owner = owner
      self.object = object
    }

    func sink(for entry: BundleEntry) -> EntrySink? {
      guard case .objectCSV(let name) = entry.kind else { return nil }
      objectsSeen.append(name)
      guard name == object || name.lowercased() == object.lowercased() else { return nil }
      pieces += 1
      return Piece(owner: owner, source: "\(entry.source): \(entry.path)", isFirst: pieces == 1)
    }
  }
}
