import Dispatch
import Foundation
import Synchronization

/// Reads a whole ``ExportBundle`` once: every part and folder, every entry streamed to that
/// source's visitor, each part's SHA-256 computed from the same reads on a thread beside its
/// reader. Tasks (part reads, folders) run on `jobs` workers in bundle order; results are kept
/// per source and
/// returned in bundle order, so the outcome never depends on `jobs`. One bad entry never stops
/// its part, and one bad part never stops the others.
public struct BundleScanner {
  public let bundle: ExportBundle
  public let limits: ScanLimits
  /// Workers (default: every core).
  public private(set) var jobs: Int
  /// Whether parts whose entries are all plain Stored or Deflate files may be decoded by
  /// ExportGate itself (ISA-L) instead of libarchive: the default. False sends every part
  /// through libarchive (tests compare the two).
  public var allowsDirectRead = true
  /// Shared by the scans of one command: parts are audited (and hashed) by the first scan
  /// only. Nil: every scan audits on its own.
  public var session: ScanSession?
  /// Whether parts are hashed (``PartSummary/sha256``). A command that never reads the
  /// digests turns it off: a scan whose visitor skips entries then need not read their bytes.
  public var hashesParts = true

  public init(bundle: ExportBundle, limits: ScanLimits = ScanLimits(), jobs: Int? = nil) {
    self.bundle = bundle
    self.limits = limits
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  /// The sources in reading order: parts first, then extracted folders.
  public var sourceCount: Int { bundle.parts.count + bundle.folders.count }

  /// Reads everything with one visitor for all sources (used by single-threaded callers; the
  /// scan then runs on one worker so that the visitor is never shared).
  public func scan(visitor: BundleVisitor?, progress: ((ScanProgress) -> Void)? = nil)
    -> IngestResult
  {
    var serial = self
    serial.jobs = 1
    return serial.scan(
      visitors: Array(repeating: visitor, count: sourceCount), progress: progress)
  }

  /// Reads everything; source `i` (parts, then folders) streams to `visitors[i]`, which only
  /// one worker ever touches. `progress` may be called from any worker, never concurrently.
  public func scan(visitors: [BundleVisitor?], progress: ((ScanProgress) -> Void)? = nil)
    -> IngestResult
  {
    scan(visitorFor: { $0 < visitors.count ? visitors[$0] : nil }, progress: progress)
  }

  /// Reads everything; the task reading source `i` (parts, then folders) asks `visitorFor(i)`
  /// for its visitor and holds it only while it runs; `sourceDone(i)` follows (excluded parts
  /// are done from the start). Both may be called from any worker, concurrently.
  public func scan(
    visitorFor: @escaping (Int) -> BundleVisitor?, progress: ((ScanProgress) -> Void)? = nil,
    sourceDone: ((Int) -> Void)? = nil
  ) -> IngestResult {
    let total = bundle.parts.reduce(Int64(0)) { $0 + $1.bytes }
    let meter = ProgressAggregator(total: total, parts: bundle.parts.count, report: progress)
    let results = TaskResults(parts: bundle.parts.count, folders: bundle.folders.count)
    let audit =
      session?.audit(of: bundle.parts.map(\.path), orMake: auditStructures) ?? auditStructures()
    var tasks: [() -> Void] = []
    for (index, part) in bundle.parts.enumerated() {
      if bundle.excludedParts.contains(part.path) {
        sourceDone?(index)
        continue
      }
      let known = bundle.knownDigests[part.path] ?? session?.digest(ofPartAt: part.path)
      if let known { results.setDigest(index, known) }
      let hashes = hashesParts && known == nil
      tasks.append {
        let visitor = visitorFor(index)
        let outcome = self.read(
          part: part, index: index, audit: audit, visitor: visitor, hashes: hashes, meter: meter)
        results.setPart(index, outcome)
        if hashes, let digest = outcome.stats.sha256 {
          results.setDigest(index, digest)
          self.session?.remember(digest: digest, ofPartAt: part.path)
        }
        sourceDone?(index)
      }
    }
    for (index, folder) in bundle.folders.enumerated() {
      let source = bundle.parts.count + index
      tasks.append {
        results.setFolder(index, self.read(folder: folder, visitor: visitorFor(source)))
        sourceDone?(source)
      }
    }
    let workers = min(jobs, max(tasks.count, 1))
    // Bundle order: parts finish about in order, so their
    // checkers are merged and released as the scan goes instead of piling up behind a slow
    // first part. (Largest-first was as fast here and held 30% more memory on many parts.)
    let queue = TaskQueue(tasks)
    if workers <= 1 {
      while let task = queue.next() { task() }
    } else {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let task = queue.next() { task() }
      }
    }

    return summarize(results, aliasFindings: audit.aliases.findings)
  }

  /// Every source's summary and findings, in bundle order.
  private func summarize(_ results: TaskResults, aliasFindings: [Finding]) -> IngestResult {
    var findings = bundle.findings + aliasFindings
    var summaries: [PartSummary] = []
    for (index, part) in bundle.parts.enumerated() {
      var summary = PartSummary(
        name: part.name, path: part.path, bytes: part.bytes, sha256: results.digest(index),
        number: part.parsedName?.number, orgId: part.parsedName?.orgId, entries: 0,
        uncompressedBytes: 0, isFolder: false, excludedBecause: nil)
      if bundle.excludedParts.contains(part.path) {
        summary.sha256 = nil
        summary.excludedBecause =
          findings.first { $0.location.part == part.name && $0.code != .partOrgInvalid }?.code
          .rawValue
      } else if let outcome = results.part(index) {
        summary.entries = outcome.stats.entriesRead
        summary.uncompressedBytes = outcome.stats.uncompressedBytes
        summary.newestEntry = outcome.stats.newestModified
        summary.oldestEntry = outcome.stats.oldestModified
        summary.decodedBy = outcome.stats.decodedDirectly ? "exportgate" : "libarchive"
        findings += outcome.findings
      }
      summaries.append(summary)
    }
    for (index, folder) in bundle.folders.enumerated() {
      let outcome = results.folder(index)
      findings += outcome?.findings ?? []
      summaries.append(
        PartSummary(
          name: folder.name, path: folder.path, bytes: outcome?.bytes ?? 0, sha256: nil,
          number: nil, orgId: nil, entries: outcome?.entries ?? 0,
          uncompressedBytes: outcome?.bytes ?? 0, isFolder: true, excludedBecause: nil))
    }
    return IngestResult(orgId: bundle.orgId, parts: summaries, findings: findings)
  }

  struct PartOutcome {
    var stats: ZipPartReader.Stats
    var findings: [Finding]
  }

  struct FolderOutcome {
    var entries: Int
    var bytes: Int64
    var findings: [Finding]
  }

  /// Every part's directory audit, and the bundle-wide view of what extraction makes of the
  /// names. Directories are small; parts are audited on every worker before any is inflated.
  struct StructureAudit: Sendable {
    var probes: [ZipProbe?]
    var structures: [ZipStructure?]
    var aliases: ExtractionAliases
  }

  private func auditStructures() -> StructureAudit {
    let parts = bundle.parts
    let slots = AuditSlots(count: parts.count)
    let excluded = bundle.excludedParts
    let audit: @Sendable (Int) -> Void = { index in
      let part = parts[index]
      guard !excluded.contains(part.path) else { return }
      let probe = ZipProbe(path: part.path, fileSize: part.bytes)
      let structure =
        probe.unreadableReason == nil
        ? ZipStructure(part: part, probe: probe) : nil
      slots.set(
        index, probe, structure,
        structure.map(ExtractionAliases.partKeys(of:)) ?? ExtractionAliases.PartKeys())
    }
    if jobs <= 1 || parts.count <= 1 {
      for index in parts.indices { audit(index) }
    } else {
      DispatchQueue.concurrentPerform(iterations: parts.count, execute: audit)
    }
    let structures = slots.structures
    let keys = slots.keys
    let aliases = ExtractionAliases(
      structures: structures.enumerated().compactMap { index, structure in
        structure.map { (index, parts[index].name, $0, keys[index]) }
      })
    return StructureAudit(probes: slots.probes, structures: structures, aliases: aliases)
  }

  private func read(
    part: PartFile, index: Int, audit: StructureAudit, visitor: BundleVisitor?, hashes: Bool,
    meter: ProgressAggregator
  ) -> PartOutcome {
    let structure = audit.structures[index]
    var findings: [Finding] = structure?.findings ?? []
    let probe = audit.probes[index] ?? ZipProbe(path: part.path, fileSize: part.bytes)
    var reader = ZipPartReader(
      part: part, probe: probe, structure: structure,
      copies: audit.aliases.copies[index] ?? [:],
      partsInRun: bundle.parts.count - bundle.excludedParts.count, visitor: visitor, limits: limits,
      progress: meter.isActive ? { meter.update(part: index, done: $0) } : nil
    ) {
      findings.append($0)
    }
    reader.hashes = hashes
    reader.allowsDirectRead = allowsDirectRead
    let stats = reader.read()
    meter.update(part: index, done: part.bytes)
    return PartOutcome(stats: stats, findings: findings)
  }

  private func read(folder: ExtractedFolder, visitor: BundleVisitor?) -> FolderOutcome {
    var findings: [Finding] = []
    var bytes: Int64 = 0
    let counter = CountingVisitor(inner: visitor) { bytes += $0 }
    let count = FolderReader(folder: folder, visitor: counter) { findings.append($0) }.read()
    return FolderOutcome(entries: count, bytes: bytes, findings: findings)
  }
}

/// Probes, directory audits and extraction keys written by workers, read once all are done.
private final class AuditSlots: Sendable {
  private struct Slots {
    var probes: [ZipProbe?]
    var structures: [ZipStructure?]
    var keys: [ExtractionAliases.PartKeys]
  }

  private let slots: Locked<Slots>

  init(count: Int) {
    slots = Locked(
      Slots(
        probes: Array(repeating: nil, count: count),
        structures: Array(repeating: nil, count: count),
        keys: Array(repeating: ExtractionAliases.PartKeys(), count: count)))
  }

  func set(
    _ index: Int, _ probe: ZipProbe, _ structure: ZipStructure?,
    _ keys: ExtractionAliases.PartKeys
  ) {
    slots.withLock {
      $0.probes[index] = probe
      $0.structures[index] = structure
      $0.keys[index] = keys
    }
  }

  var probes: [ZipProbe?] { slots.withLock { $0.probes } }
  var structures: [ZipStructure?] { slots.withLock { $0.structures } }
  /// ``ExtractionAliases/partKeys(of:)`` of each structure.
  var keys: [ExtractionAliases.PartKeys] { slots.withLock { $0.keys } }
}

/// Results written by tasks on any worker, read once all are done.
private final class TaskResults: Sendable {
  private struct Results {
    var parts: [BundleScanner.PartOutcome?]
    var digests: [String?]
    var folders: [BundleScanner.FolderOutcome?]
  }

  private let results: Locked<Results>

  init(parts: Int, folders: Int) {
    results = Locked(
      Results(
        parts: Array(repeating: nil, count: parts), digests: Array(repeating: nil, count: parts),
        folders: Array(repeating: nil, count: folders)))
  }

  func setPart(_ index: Int, _ value: BundleScanner.PartOutcome) {
    results.withLock { $0.parts[index] = value }
  }

  func setDigest(_ index: Int, _ value: String?) { results.withLock { $0.digests[index] = value } }

  func setFolder(_ index: Int, _ value: BundleScanner.FolderOutcome) {
    results.withLock { $0.folders[index] = value }
  }

  func part(_ index: Int) -> BundleScanner.PartOutcome? { results.withLock { $0.parts[index] } }
  func digest(_ index: Int) -> String? { results.withLock { $0.digests[index] } }
  func folder(_ index: Int) -> BundleScanner.FolderOutcome? {
    results.withLock { $0.folders[index] }
  }
}

/// Hands out tasks to workers, each exactly once. Unchecked: the tasks are not Sendable (each
/// holds a visitor that only the worker running the task may touch); the array never changes
/// and the atomic counter hands each task to one worker.
private final class TaskQueue: @unchecked Sendable {
  private let tasks: [() -> Void]
  private let nextIndex = Atomic<Int>(0)

  init(_ tasks: [() -> Void]) { self.tasks = tasks }

  func next() -> (() -> Void)? {
    let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
    return index < tasks.count ? tasks[index] : nil
  }
}

/// Adds up the bytes done by every worker and reports them, one caller at a time. Unchecked:
/// the caller's `report` is not Sendable; it is only ever called under the lock, so never from
/// two threads at once.
private final class ProgressAggregator: @unchecked Sendable {
  private let total: Int64
  private let done: Locked<[Int64]>
  private let report: ((ScanProgress) -> Void)?

  init(total: Int64, parts: Int, report: ((ScanProgress) -> Void)?) {
    self.total = total
    self.done = Locked(Array(repeating: 0, count: parts))
    self.report = report
  }

  var isActive: Bool { report != nil }

  func update(part: Int, done value: Int64) {
    guard let report else { return }
    done.withLock { done in
      done[part] = value
      report(ScanProgress(bytesDone: done.reduce(0, +), bytesTotal: total))
    }
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

  func skips(_ entry: BundleEntry) -> Bool { inner?.skips(entry) ?? false }
}
