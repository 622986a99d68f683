import Foundation

@testable import ExportGate

/// Differential harness for ExportGate's Deflate decoder against zlib itself: any bytes as a
/// raw Deflate stream, fed to ours in pieces whose size the input's first byte picks. Both
/// take the stream with the same bytes, or both refuse it; anything else stops the fuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeflate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 1 else { return 0 }
  let pieceSize = Int(data[0]) + 1
  let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  let limit = 1 << 22
  let zlib = CraftedDeflate.inflate(stream, limit: limit)
  if case .failure(let refusal) = zlib, refusal.message == "too long" { return 0 }
  let decoder = DeflateDecoder(outputSize: 4096)
  decoder.reset()
  var output: [UInt8] = []
  var status = DeflateDecoder.Status.needsInput
  var start = 0
  while start < stream.count && status == .needsInput {
    let end = min(start + pieceSize, stream.count)
    status = stream[start..<end].withUnsafeBytes { piece in
      decoder.decode(piece) {
        output += $0
        return output.count <= limit
      }
    }
    start = end
  }
  switch (zlib, status) {
  case (.success(let bytes), .finished) where bytes == output: return 0
  case (.failure, .invalid), (.failure, .needsInput), (.failure, .stopped): return 0
  default: fatalError("zlib and ExportGate disagree: zlib \(zlib), ours \(status)")
  }
}
