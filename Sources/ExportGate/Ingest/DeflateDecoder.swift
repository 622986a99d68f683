import CISAL

/// Raw Deflate (RFC 1951, ZIP method 8) decoded with ISA-L's igzip, fed in whatever pieces the
/// part's reads give: the entries this tool reads itself (see ``ZipPartReader``). One decoder
/// serves a part's entries one after another (``reset()`` between them); its state and output
/// buffer are allocated once.
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

  private let state: UnsafeMutablePointer<inflate_state>
  private let output: UnsafeMutableRawBufferPointer

  /// Output is handed on in runs of up to `outputSize` bytes.
  init(outputSize: Int = 1 << 18) {
    state = .allocate(capacity: 1)
    isal_inflate_init(state)
    output = .allocate(byteCount: outputSize, alignment: 64)
  }

  deinit {
    state.deallocate()
    output.deallocate()
  }

  /// Bytes of the last piece the stream did not use, once it has ended (ISA-L hands back the
  /// whole bytes it had read ahead into its bit buffer).
  var unusedInput: Int { Int(state.pointee.avail_in) + Int(state.pointee.read_in_length) / 8 }

  /// Starts a new stream.
  func reset() { isal_inflate_reset(state) }

  /// Decodes `input`, handing each run of output to `emit` (which returns false to stop).
  func decode(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Bool) -> Status {
    guard let outputBase = output.baseAddress else { return .invalid("no output buffer") }
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
      if state.pointee.block_state == ISAL_BLOCK_FINISH { return .finished }
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

  private static func describe(_ code: Int32) -> String {
    switch code {
    case ISAL_INVALID_BLOCK: "invalid Deflate block"
    case ISAL_INVALID_SYMBOL: "invalid Deflate code"
    case ISAL_INVALID_LOOKBACK: "a Deflate back-reference reaches before the data's start"
    default: "Deflate decoding failed (ISA-L \(code))"
    }
  }
}
