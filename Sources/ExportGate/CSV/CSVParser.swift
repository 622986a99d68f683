/// A resumable, byte-level CSV parser: feed it chunks of any size, it calls a handler for each
/// complete record. Fields are byte ranges into a buffer the parser reuses, so the hot path
/// allocates nothing per field or per record. The state machine follows csv-core's design: a
/// small DFA whose state survives between chunks, so a field or record may span any number of
/// chunks.
///
/// Dialect: RFC 4180 plus what real exports do (LF, CRLF and lone CR terminators, line breaks
/// inside quoted fields, an optional UTF-8 BOM, a last record without terminator). Damage is
/// reported to the handler as ``CSVMalformation`` values and parsing resynchronises.
public struct CSVParser: ~Copyable {
  /// Tunables that rarely change.
  public struct Options: Sendable {
    /// The field separator byte.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// The first record is a header: its width is the expected width, and its names are checked.
    public var hasHeader = true
    /// After this many malformations the parser stops reporting them (it keeps counting).
    public var maxReportedMalformations = 100
    /// The most bytes one record may hold; larger records are reported and cut (their fields
    /// keep only the first bytes), so that a damaged file never takes unbounded memory.
    public var maxRecordBytes = 64 << 20
    /// Skip lines with nothing on them. Off by default, as RFC 4180 reads an empty line as a
    /// record of one empty field (which the width check then reports inside an export).
    public var skipEmptyLines = false
    /// The most fields one record may hold. Real exports have at most a few thousand columns;
    /// a row of millions of commas is damage or an attack, so fields past the limit are
    /// reported and folded into the last kept field (no byte is dropped, memory stays bounded).
    public var maxFieldsPerRecord = 20_000

    public init() {}
  }

  private enum State: UInt8 {
    case recordStart, fieldStart, unquoted, quoted, quotedAfterCR, quoteInQuoted, afterCR, bomCheck
  }

  public let options: Options
  private var state: State = .bomCheck
  private var bomMatched = 0
  private var buffer: RecordBuffer
  /// Absolute byte offset of the next byte to be fed.
  private var offset: Int64 = 0
  /// Line (1-based) of the next byte.
  private var line = 1
  private var recordStartLine = 1
  private var recordStartOffset: Int64 = 0
  private var recordsEmitted = 0
  private var headerWidth: Int?
  private var recordHasError = false
  /// Set when a field of the current record was written without quotes.
  private var recordHasUnquotedField = false
  /// Set while a field is known to be quoted, so that an empty quoted field still counts.
  private var fieldWasQuoted = false
  /// Total malformations found (reported or not).
  public private(set) var malformationCount = 0
  /// NUL bytes met in field values. Real exports carry them (rich-text values that begin with
  /// `\0`), so they are data, counted rather than reported.
  public private(set) var nulByteCount = 0
  /// Fields written without quotes, and the line of the first. A Data Export quotes every
  /// field (header too), so these are the trace of a program that re-saved the file.
  public private(set) var unquotedFieldCount = 0
  public private(set) var firstUnquotedLine: Int?
  /// Records ended by CR LF (exports end records with LF).
  public private(set) var crlfCount = 0
  /// Total records emitted, header included.
  public var recordCount: Int { recordsEmitted }

  public init(options: Options = Options()) {
    self.options = options
    self.buffer = RecordBuffer(
      limit: options.maxRecordBytes, fieldLimit: max(options.maxFieldsPerRecord, 1))
  }

  deinit { buffer.deallocate() }

  /// Parses a chunk. Complete records are handed to `handler` before the call returns; a
  /// record still open at the end of the chunk is kept for the next call.
  ///
  /// One long function on purpose: it is the per-byte loop of every CSV ExportGate reads, and
  /// the state, the position and the field's start live in locals the compiler keeps in
  /// registers across the whole loop; each state's transitions are a `case` of one `switch`,
  /// as in csv-core. Moved into functions of their own (the rare paths are: malformations,
  /// record ends), the hot states would pass that state through memory on every byte.
  public mutating func parse<Handler: CSVRecordHandler>(
    _ chunk: UnsafeRawBufferPointer, into handler: inout Handler
  ) {
    guard let base = chunk.baseAddress, chunk.count > 0 else { return }
    let delimiter = options.delimiter
    let quote = UInt8(ascii: "\"")
    let lf = UInt8(ascii: "\n")
    let cr = UInt8(ascii: "\r")
    let end = chunk.count
    var index = 0
    let bytes = base.assumingMemoryBound(to: UInt8.self)
    let chunkStart = offset

    @inline(__always) func position(_ i: Int) -> Int64 { chunkStart + Int64(i) }

    while index < end {
      switch state {
      case .bomCheck:
        // Swallow a leading UTF-8 BOM (EF BB BF), possibly split across chunks.
        let bom: (UInt8, UInt8, UInt8) = (0xEF, 0xBB, 0xBF)
        let expected = bomMatched == 0 ? bom.0 : (bomMatched == 1 ? bom.1 : bom.2)
        if bytes[index] == expected {
          bomMatched += 1
          index += 1
          if bomMatched == 3 { state = .recordStart }
        } else {
          if bomMatched > 0 {
            // A partial BOM is data: give the matched bytes back as the start of a field.
            let partial: [UInt8] = [0xEF, 0xBB, 0xBF]
            startRecord(at: 0, line: 1)
            partial[0..<bomMatched].withUnsafeBytes { buffer.append($0) }
            state = .unquoted
          } else {
            state = .recordStart
          }
        }

      case .recordStart:
        let byte = bytes[index]
        if byte == lf || byte == cr {
          if !options.skipEmptyLines {
            // An empty line is a record of one empty field.
            startRecord(at: position(index), line: line)
            buffer.endField()
            emitRecord(into: &handler)
          }
          if byte == lf {
            line += 1
          } else {
            state = .afterCR
          }
          index += 1
          continue
        }
        startRecord(at: position(index), line: line)
        state = .fieldStart

      case .fieldStart:
        let byte = bytes[index]
        if byte == quote {
          fieldWasQuoted = true
          state = .quoted
          index += 1
          continue
        }
        unquotedFieldCount += 1
        recordHasUnquotedField = true
        if firstUnquotedLine == nil { firstUnquotedLine = line }
        if byte == delimiter {
          buffer.endField()
          index += 1
        } else if byte == lf {
          buffer.endField()
          index += 1
          line += 1
          emitRecord(into: &handler)
          state = .recordStart
        } else if byte == cr {
          buffer.endField()
          index += 1
          emitRecord(into: &handler)
          state = .afterCR
        } else {
          state = .unquoted
        }

      case .quoted:
        // Fast path: skip to the next byte that can matter inside quotes (a quote, CR, LF or NUL).
        let start = index
        index = CSVParser.scanQuoted(bytes, from: index, to: end)
        if index > start {
          buffer.append(UnsafeRawBufferPointer(start: bytes + start, count: index - start))
        }
        guard index < end else { break }
        let byte = bytes[index]
        // Exports quote every field: `","` closes this field and opens the next one quoted.
        // Taken here, it costs no trip through the state switch per field.
        if byte == quote && index + 2 < end && bytes[index + 1] == delimiter
          && bytes[index + 2] == quote
        {
          buffer.endField()
          index += 3
          continue
        }
        index += 1
        if byte == quote {
          state = .quoteInQuoted
        } else if byte == lf {
          line += 1
          buffer.append(byte: byte)
        } else if byte == cr {
          buffer.append(byte: byte)
          state = .quotedAfterCR
        } else {
          // NUL (the scan stops only on these four bytes): data, counted.
          buffer.append(byte: byte)
          nulByteCount += 1
        }

      case .quotedAfterCR:
        // A CR inside quotes ends a line; a following LF belongs to the same line break.
        line += 1
        if bytes[index] == lf {
          buffer.append(byte: lf)
          index += 1
        }
        state = .quoted

      case .quoteInQuoted:
        let byte = bytes[index]
        if byte == quote {
          buffer.append(byte: quote)
          index += 1
          state = .quoted
        } else if byte == delimiter {
          buffer.endField()
          fieldWasQuoted = false
          index += 1
          state = .fieldStart
        } else if byte == lf {
          buffer.endField()
          fieldWasQuoted = false
          index += 1
          line += 1
          emitRecord(into: &handler)
          state = .recordStart
        } else if byte == cr {
          buffer.endField()
          fieldWasQuoted = false
          index += 1
          emitRecord(into: &handler)
          state = .afterCR
        } else {
          // Text after the closing quote: keep it (nothing is lost) and read on as unquoted.
          malformed(.textAfterClosingQuote, at: position(index), into: &handler)
          state = .unquoted
        }

      case .unquoted:
        let start = index
        while index < end {
          let byte = bytes[index]
          if byte == delimiter || byte == lf || byte == cr || byte == quote || byte == 0 { break }
          index += 1
        }
        if index > start {
          buffer.append(UnsafeRawBufferPointer(start: bytes + start, count: index - start))
        }
        guard index < end else { break }
        let byte = bytes[index]
        index += 1
        if byte == delimiter {
          buffer.endField()
          fieldWasQuoted = false
          state = .fieldStart
        } else if byte == lf {
          buffer.endField()
          fieldWasQuoted = false
          line += 1
          emitRecord(into: &handler)
          state = .recordStart
        } else if byte == cr {
          buffer.endField()
          fieldWasQuoted = false
          emitRecord(into: &handler)
          state = .afterCR
        } else if byte == quote {
          buffer.append(byte: quote)
          if !fieldWasQuoted {
            malformed(.quoteInUnquotedField, at: position(index - 1), into: &handler)
          }
        } else {
          buffer.append(byte: byte)
          nulByteCount += 1
        }

      case .afterCR:
        line += 1
        if bytes[index] == lf {
          index += 1
          crlfCount += 1
        }
        state = .recordStart
      }
    }
    offset = chunkStart + Int64(end)
  }

  /// Ends the input: emits a last record that had no terminator, and reports an unterminated
  /// quoted field (the usual sign of a truncated file).
  public mutating func finish<Handler: CSVRecordHandler>(into handler: inout Handler) {
    switch state {
    case .bomCheck:
      if bomMatched > 0 {
        startRecord(at: 0, line: 1)
        let partial: [UInt8] = [0xEF, 0xBB, 0xBF]
        partial[0..<bomMatched].withUnsafeBytes { buffer.append($0) }
        buffer.endField()
        emitRecord(into: &handler)
      }
    case .recordStart, .afterCR:
      break
    case .quoted, .quotedAfterCR:
      malformed(.unterminatedQuotedField, at: recordStartOffset, into: &handler)
      buffer.endField()
      emitRecord(into: &handler)
    case .fieldStart, .unquoted, .quoteInQuoted:
      buffer.endField()
      emitRecord(into: &handler)
    }
    state = .recordStart
  }

  // MARK: - Internals

  private mutating func startRecord(at position: Int64, line: Int) {
    recordStartOffset = position
    recordStartLine = line
    recordHasError = false
    recordHasUnquotedField = false
    fieldWasQuoted = false
    buffer.reset()
  }

  private mutating func emitRecord<Handler: CSVRecordHandler>(into handler: inout Handler) {
    if buffer.overflowed {
      malformed(
        .recordTooLarge(limit: options.maxRecordBytes), at: recordStartOffset, into: &handler)
    }
    if buffer.fieldsFolded {
      malformed(
        .tooManyFields(limit: options.maxFieldsPerRecord), at: recordStartOffset, into: &handler)
    }
    let number = recordsEmitted + 1
    let width = buffer.fieldCount
    if let expected = headerWidth {
      if width != expected {
        malformed(
          .wrongFieldCount(expected: expected, found: width), at: recordStartOffset,
          into: &handler)
      }
    } else {
      // The first record (header or not) sets the width every other record must have.
      headerWidth = width
    }
    recordsEmitted = number
    let record = CSVRecord(
      buffer: buffer, number: number, line: recordStartLine, byteOffset: recordStartOffset,
      isDamaged: recordHasError, hasUnquotedField: recordHasUnquotedField)
    if number == 1 && options.hasHeader {
      checkHeader(record, into: &handler)
    }
    handler.record(record)
    fieldWasQuoted = false
  }

  private mutating func checkHeader<Handler: CSVRecordHandler>(
    _ header: CSVRecord, into handler: inout Handler
  ) {
    var seen = Set<[UInt8]>()
    for index in 0..<header.count {
      let name = Array(header[index])
      if name.isEmpty {
        malformed(
          .emptyHeaderName(column: index + 1), at: header.byteOffset, into: &handler, record: 1)
      } else if !seen.insert(name).inserted {
        malformed(
          .duplicateHeaderName(String(decoding: name, as: UTF8.self), column: index + 1),
          at: header.byteOffset, into: &handler, record: 1)
      }
    }
  }

  private mutating func malformed<Handler: CSVRecordHandler>(
    _ kind: CSVMalformation.Kind, at byteOffset: Int64, into handler: inout Handler,
    record: Int? = nil
  ) {
    malformationCount += 1
    recordHasError = true
    guard malformationCount <= options.maxReportedMalformations else { return }
    handler.malformed(
      CSVMalformation(
        kind: kind, line: recordStartLine, record: record ?? recordsEmitted + 1,
        byteOffset: byteOffset))
  }

  /// Returns the index of the first quote, CR, LF or NUL at or after `from`, or `end`.
  /// Eight bytes at a time: a word with none of those bytes is skipped whole.
  @inline(__always)
  static func scanQuoted(_ bytes: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
    var index = from
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quotes: UInt64 = 0x2222_2222_2222_2222
    let raw = UnsafeRawPointer(bytes)
    while index + 8 <= end {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      let quoteHits = word ^ quotes
      // Bytes equal to '"', or below 0x0E (NUL, CR, LF and other controls).
      let isQuote = (quoteHits &- ones) & ~quoteHits & highs
      let isLow = (word &- ones &* 0x0E) & ~word & highs
      let hits = isQuote | isLow
      if hits == 0 {
        index += 8
        continue
      }
      let lane = hits.trailingZeroBitCount >> 3
      index += lane
      let byte = bytes[index]
      if byte == 0x22 || byte == 0x0A || byte == 0x0D || byte == 0 { return index }
      // Another control byte (tab, ...): ordinary content.
      index += 1
    }
    while index < end {
      let byte = bytes[index]
      if byte == 0x22 || byte == 0x0A || byte == 0x0D || byte == 0 { return index }
      index += 1
    }
    return end
  }
}
