import ExportGate
import Foundation

/// libFuzzer entry point: any bytes as a part file, read by the scanner (libarchive through
/// ExportGate's reader); it must return, with findings, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = NSTemporaryDirectory() + "/exportgate-fuzz-\(getpid()).zip"
  FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
  defer { unlink(path) }
  let part = PartFile(path: path, bytes: Int64(size))
  var limits = ScanLimits()
  limits.expansionAllowance = 1 << 24
  let bundle = ExportBundle(parts: [part], folders: [], orgId: nil, findings: [], excludedParts: [])
  _ = BundleScanner(bundle: bundle, limits: limits, jobs: 1).scan(visitor: nil)
  return 0
}
