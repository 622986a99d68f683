import ExportGate
import Foundation

/// Differential harness for ExportGate's own decoder: any bytes as a part, scanned twice, once
/// allowing the direct read (ISA-L) and once through libarchive alone. Where the direct read
/// took the part, libarchive is the oracle: every entry both read ends the same (intact with the
/// same bytes, or damaged), each side has an error whenever the other does (the direct read
/// never invents damage nor certifies what libarchive refuses), and they may part ways only
/// after an entry libarchive found damaged (a fatal decoding error stops libarchive's reader,
/// whose salvage then reads on through local headers, sometimes into odd entries; the direct
/// read goes on from the directory's offsets to the next entry). Anything else stops the
/// fuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDirect(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = NSTemporaryDirectory() + "/exportgate-fuzz-direct-\(getpid()).zip"
  FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
  defer { unlink(path) }
  let direct = DirectScan(path: path, bytes: Int64(size), allowsDirectRead: true)
  guard direct.decodedBy == "exportgate" else { return 0 }
  let libarchive = DirectScan(path: path, bytes: Int64(size), allowsDirectRead: false)
  // Up to libarchive's first damaged entry the two read alike; after it, libarchive may have
  // given up or salvaged through local headers (odd entries), the direct read goes on.
  let cut = libarchive.entries.firstIndex { $0.hasSuffix(": damaged") }
  let agrees =
    direct.errors.isEmpty == libarchive.errors.isEmpty
    && (cut.map {
      Array(direct.entries.prefix($0 + 1)) == Array(libarchive.entries.prefix($0 + 1))
    } ?? (direct.entries == libarchive.entries))
  if !agrees {
    fatalError(
      "direct read and libarchive disagree:\n  direct: \(direct.entries) \(direct.errors)\n  libarchive: \(libarchive.entries) \(libarchive.errors)"
    )
  }
  return 0
}

/// One scan of a one-part bundle, reduced to what the two decoders must agree on.
struct DirectScan {
  var entries: [String] = []
  var errors: [String] = []
  var decodedBy: String?

  init(path: String, bytes: Int64, allowsDirectRead: Bool) {
    var limits = ScanLimits()
    limits.expansionAllowance = 1 << 24
    let bundle = ExportBundle(
      parts: [PartFile(path: path, bytes: bytes)], folders: [], orgId: nil, findings: [],
      excludedParts: [])
    var scanner = BundleScanner(bundle: bundle, limits: limits, jobs: 1)
    scanner.allowsDirectRead = allowsDirectRead
    let visitor = CollectingVisitor()
    let result = scanner.scan(visitor: visitor)
    // Each entry as "path: intact <bytes> <content hash>" or "path: damaged".
    entries = visitor.entries.map {
      $0.outcome?.isComplete == true
        ? "\($0.entry.path): intact \($0.content.count) \($0.content.hashValue)"
        : "\($0.entry.path): damaged"
    }
    errors = result.findings.filter { $0.severity == .error }.map {
      "\($0.code.rawValue) \($0.location.entry ?? "")"
    }.sorted()
    decodedBy = result.parts.first?.decodedBy
  }
}
