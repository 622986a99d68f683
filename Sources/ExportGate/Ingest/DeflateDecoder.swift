import CISAL

/// Raw Deflate (RFC 1951, ZIP method 8) decoded with ISA-L's igzip, fed in whatever pieces the
/// part's reads give: the entries this tool reads itself (see ``ZipPartReader``). One decoder
/// serves a part's entries one after another (``reset()`` between them); its state and buffers
/// are allocated once.
///
/// An incompressible file (most binaries: PDFs, images, archives) is deflated as stored
/// blocks, its bytes as they are. ISA-L copies them to its output; a stream's leading stored
/// blocks are instead handed on from the input itself, and ISA-L takes over at the first
/// block of another kind, given the last 32 KiB of output as its history.
///
/// ISA-L is more lenient than zlib (it decodes with code sets zlib refuses), so from there on
/// a ``DeflateBlockWalker`` reads every piece first, as zlib would, and a stream zlib refuses is
/// invalid here too: what ExportGate certifies opens in every zlib-based extractor.
final class DeflateDecoder {
  /// How feeding a piece ended.
  enum Status: Equatable {
    /// Every byte of the piece was used and the stream goes on.
    case needsInput
    /// The stream's last block ended (bytes after it are not part of the entry's data).
    case finished
    /// The receiver of the output asked to stop.
    case stopped
    /// The data is not valid Deflate.
    case invalid(String)
  }

  /// Where the stream is while its blocks are stored ones.
  private enum StoredPhase {
    /// Reading a block's header: its first byte (final flag, type, padding) and the length
    /// and its complement, `count` of those five bytes read so far.
    case header(count: Int)
    /// Inside a block's data, with `remaining` bytes of it to come.
    case data(remaining: Int, isFinal: Bool)
    /// The final stored block ended.
    case ended(unused: Int)
    /// A block of another kind began: ISA-L decodes the rest.
    case handedOver
  }

  private let state: UnsafeMutablePointer<inflate_state>
  private let walker = DeflateBlockWalker()
  private var walkerFinished = false
  private let output: UnsafeMutableRawBufferPointer
  private var phase = StoredPhase.header(count: 0)
  private var storedHeader: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0)
  /// The last ``historySize`` bytes of the stored output (the first `historyCount` are valid),
  /// brought up to date when a piece ends.
  private let history: UnsafeMutableRawBufferPointer
  private var historyCount = 0
  /// The runs of the current piece handed on from stored blocks (start, count).
  private var runs: [(start: Int, count: Int)] = []
  private static let historySize = 1 << 15

  /// Output is handed on in runs of up to `outputSize` bytes.
  init(outputSize: Int = 1 << 18) {
    state = .allocate(capacity: 1)
    isal_inflate_init(state)
    output = .allocate(byteCount: outputSize, alignment: 64)
    history = .allocate(byteCount: Self.historySize, alignment: 64)
  }

  deinit {
    state.deallocate()
    output.deallocate()
    history.deallocate()
  }

  /// Bytes of the last piece the stream did not use, once it has ended (ISA-L hands back the
  /// whole bytes it had read ahead into its bit buffer).
  var unusedInput: Int {
    if case .ended(let unused) = phase { return unused }
    return Int(state.pointee.avail_in) + Int(state.pointee.read_in_length) / 8
  }

  /// Starts a new stream.
  func reset() {
    isal_inflate_reset(state)
    phase = .header(count: 0)
    historyCount = 0
  }

  /// Decodes `input`, handing each run of output to `emit` (which returns false to stop).
  func decode(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Bool) -> Status {
    if case .handedOver = phase { return inflate(input, emit) }
    guard let base = input.baseAddress else { return .needsInput }
    runs.removeAll(keepingCapacity: true)
    var position = 0
    while true {
      switch phase {
      case .header(let count):
        guard position < input.count else {
          keepHistory(input)
          return .needsInput
        }
        let byte = input[position]
        if count == 0 {
          // Bits 1-2 are the block's type; 0 is stored. Any other goes to ISA-L from here:
          // the block starts on this byte's first bit, as every block after a stored one does.
          guard byte & 0b110 == 0 else {
            keepHistory(input)
            return handOver(UnsafeRawBufferPointer(rebasing: input[position...]), emit)
          }
        }
        withUnsafeMutableBytes(of: &storedHeader) { $0[count] = byte }
        position += 1
        guard count == 4 else {
          phase = .header(count: count + 1)
          continue
        }
        let (flags, low, high, notLow, notHigh) = storedHeader
        let length = Int(low) | Int(high) << 8
        guard length == Int(~notLow) | Int(~notHigh) << 8 else {
          return .invalid("invalid Deflate block")
        }
        phase = .data(remaining: length, isFinal: flags & 1 == 1)
      case .data(let remaining, let isFinal):
        let count = min(remaining, input.count - position)
        if count > 0 {
          runs.append((position, count))
          guard emit(UnsafeRawBufferPointer(start: base + position, count: count)) else {
            return .stopped
          }
          position += count
        }
        if count < remaining {
          phase = .data(remaining: remaining - count, isFinal: isFinal)
          keepHistory(input)
          return .needsInput
        }
        guard !isFinal else {
          phase = .ended(unused: input.count - position)
          return .finished
        }
        phase = .header(count: 0)
      case .ended:
        return .finished
      case .handedOver:
        return inflate(UnsafeRawBufferPointer(rebasing: input[position...]), emit)
      }
    }
  }

  /// Keeps the last 32 KiB of stored output: the history ISA-L needs if it takes over.
  private func keepHistory(_ input: UnsafeRawBufferPointer) {
    guard let source = input.baseAddress, let target = history.baseAddress else { return }
    let added = runs.reduce(0) { $0 + $1.count }
    let kept = min(historyCount, Self.historySize - min(added, Self.historySize))
    if kept < historyCount {
      target.copyMemory(from: target + (historyCount - kept), byteCount: kept)
    }
    // The newest bytes that fit, from the runs' ends backwards.
    var end = min(Self.historySize, kept + added)
    historyCount = end
    for run in runs.reversed() where end > kept {
      let count = min(run.count, end - kept)
      (target + end - count).copyMemory(
        from: source + run.start + run.count - count, byteCount: count)
      end -= count
    }
    runs.removeAll(keepingCapacity: true)
  }

  private func handOver(
    _ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Bool
  ) -> Status {
    phase = .handedOver
    walker.reset()
    walkerFinished = false
    isal_inflate_reset(state)
    if historyCount > 0,
      isal_inflate_set_dict(
        state, history.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(historyCount))
        != COMP_OK
    {
      return .invalid("Deflate decoding failed (ISA-L could not take the history)")
    }
    return inflate(input, emit)
  }

  /// ISA-L's decoding of `input`.
  private func inflate(
    _ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Bool
  ) -> Status {
    guard let outputBase = output.baseAddress else { return .invalid("no output buffer") }
    if !walkerFinished {
      switch walker.walk(input) {
      case .invalid(let reason): return .invalid(Self.refusedByZlib(reason))
      case .finished: walkerFinished = true
      case .needsInput: break
      }
    }
    state.pointee.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
    state.pointee.avail_in = UInt32(input.count)
    while true {
      let before = state.pointee.avail_in
      state.pointee.next_out = outputBase.assumingMemoryBound(to: UInt8.self)
      state.pointee.avail_out = UInt32(output.count)
      let code = isal_inflate(state)
      let produced = output.count - Int(state.pointee.avail_out)
      if produced > 0, !emit(UnsafeRawBufferPointer(start: outputBase, count: produced)) {
        return .stopped
      }
      if code < 0 { return .invalid(Self.describe(code)) }
      if state.pointee.block_state == ISAL_BLOCK_FINISH {
        // Both read the stream's end in the same piece, or one of them misreads it.
        guard walkerFinished else {
          return .invalid(Self.refusedByZlib("the stream goes on after ISA-L's final block"))
        }
        return .finished
      }
      // Output left room: the decoder used all the input it could.
      if state.pointee.avail_out > 0 {
        if state.pointee.avail_in == 0 { return .needsInput }
        // Neither input used nor output made: it cannot go on.
        if state.pointee.avail_in == before && produced == 0 {
          return .invalid("the decoder made no progress")
        }
      }
    }
  }

  /// A reason zlib gives, and who would fail on it.
  static func refusedByZlib(_ reason: String) -> String {
    "the Deflate data is invalid as zlib reads it (\"\(reason)\"): unzip, bsdtar, Python's zipfile and every other zlib-based extractor refuse it"
  }

  private static func describe(_ code: Int32) -> String {
    switch code {
    case ISAL_INVALID_BLOCK: "invalid Deflate block"
    case ISAL_INVALID_SYMBOL: "invalid Deflate code"
    case ISAL_INVALID_LOOKBACK: "a Deflate back-reference reaches before the data's start"
    default: "Deflate decoding failed (ISA-L \(code))"
    }
  }
}
