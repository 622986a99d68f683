import Dispatch
import Foundation

/// Reads a whole ``ExportBundle`` once: every part and folder, every entry streamed to the
/// visitor, each part's SHA-256 computed on another core meanwhile. One bad entry never stops
/// its part, and one bad part never stops the others.
public struct BundleScanner {
  public let bundle: ExportBundle
  public let limits: ScanLimits

  public init(bundle: ExportBundle, limits: ScanLimits = ScanLimits()) {
    self.bundle = bundle
    self.limits = limits
  }

  /// Reads everything; `visitor` receives the entries' bytes (nil reads for integrity only).
  /// `progress`, when given, is called often (every data block): throttle in the callee.
  public func scan(visitor: BundleVisitor?, progress: ((ScanProgress) -> Void)? = nil)
    -> IngestResult
  {
    let total = bundle.parts.reduce(Int64(0)) { $0 + $1.bytes }
    var finished: Int64 = 0
    var findings = bundle.findings
    var summaries: [PartSummary] = []
    let hashes = DigestBox()
    let group = DispatchGroup()
    for part in bundle.parts {
      let path = part.path
      group.enter()
      DispatchQueue.global(qos: .userInitiated).async {
        hashes.set(path, try? PartHasher.sha256Hex(ofFileAt: path))
        group.leave()
      }
    }
    for part in bundle.parts {
      var summary = PartSummary(
        name: part.name, path: part.path, bytes: part.bytes, sha256: nil,
        number: part.parsedName?.number, orgId: part.parsedName?.orgId, entries: 0,
        uncompressedBytes: 0, isFolder: false, excludedBecause: nil)
      if bundle.excludedParts.contains(part.path) {
        summary.excludedBecause =
          findings.first { $0.location.part == part.name && $0.code != .partOrgInvalid }?.code
          .rawValue
        summaries.append(summary)
        continue
      }
      let probe = ZipProbe(path: part.path, fileSize: part.bytes)
      let base = finished
      let reader = ZipPartReader(
        part: part, probe: probe, visitor: visitor, limits: limits,
        progress: progress.map { report in
          { done in report(ScanProgress(bytesDone: base + done, bytesTotal: total)) }
        }
      ) {
        findings.append($0)
      }
      let stats = reader.read()
      finished += part.bytes
      progress?(ScanProgress(bytesDone: finished, bytesTotal: total))
      summary.entries = stats.entriesRead
      summary.uncompressedBytes = stats.uncompressedBytes
      summary.newestEntry = stats.newestModified
      summary.oldestEntry = stats.oldestModified
      summaries.append(summary)
    }
    for folder in bundle.folders {
      var bytes: Int64 = 0
      let counter = CountingVisitor(inner: visitor) { bytes += $0 }
      let reader = FolderReader(folder: folder, visitor: counter) { findings.append($0) }
      let count = reader.read()
      summaries.append(
        PartSummary(
          name: folder.name, path: folder.path, bytes: bytes, sha256: nil, number: nil,
          orgId: nil, entries: count, uncompressedBytes: bytes, isFolder: true,
          excludedBecause: nil))
    }
    group.wait()
    for index in summaries.indices where !summaries[index].isFolder {
      summaries[index].sha256 = hashes.get(summaries[index].path)
    }
    return IngestResult(orgId: bundle.orgId, parts: summaries, findings: findings)
  }
}

/// Collects digests computed on other threads.
private final class DigestBox: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String: String] = [:]

  func set(_ key: String, _ value: String?) {
    lock.lock()
    values[key] = value
    lock.unlock()
  }

  func get(_ key: String) -> String? {
    lock.lock()
    defer { lock.unlock() }
    return values[key]
  }
}

/// Passes entries through to another visitor while adding up the bytes of folders.
private final class CountingVisitor: BundleVisitor {
  let inner: BundleVisitor?
  let add: (Int64) -> Void

  init(inner: BundleVisitor?, add: @escaping (Int64) -> Void) {
    self.inner = inner
    self.add = add
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    if let size = entry.declaredSize { add(size) }
    return inner?.sink(for: entry)
  }
}
