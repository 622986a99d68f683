import CLinux
import Foundation

/// `restore`: the backup back as files people can open. Three passes over the parts, never
/// extracting anything blindly:
///
/// 1. the CSVs: every object's records to `records/<Object>.csv` (UTF-8, pieces joined), and the
///    rows that describe files kept (binaries skipped, not inflated);
/// 2. the CSVs again, only for the names of the records that own files (folder names need
///    them before any file is written);
/// 3. the binaries (CSVs skipped): each written as it streams, checked, linked into place.
///
/// CSVs are inflated twice and binaries once; memory holds the file rows and the owners' names,
/// never a file's bytes. `manifest.csv` lists every file the metadata names, exactly once.
public struct BackupRestorer {
  /// Why a restore cannot start or finish at all.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public let options: RestoreOptions

  public init(options: RestoreOptions) { self.options = options }

  public func restore(paths: [String], progress: ((ScanProgress) -> Void)? = nil) throws
    -> RestoreReport
  {
    let bundle = try BundleLocator.locate(paths)
    let root = try prepareDestination(inputs: paths)
    let destination = try RestoreRoot(path: root)
    let archive =
      options.database && !options.filesOnly
      ? try ArchiveWriter(folder: root) : nil
    do {
      return try restore(
        bundle, into: destination, archive: archive, inventory: Self.inventory(beside: paths),
        progress: progress)
    } catch {
      // A failed run leaves no half archive; what was restored stays for --resume.
      archive?.abandon()
      throw Self.explain(error, root: destination)
    }
  }

  private static func scanner(
    _ bundle: ExportBundle, jobs: Int?, options: RestoreOptions, session: ScanSession
  ) -> BundleScanner {
    var scanner = BundleScanner(bundle: bundle, limits: options.limits, jobs: jobs)
    scanner.session = session
    scanner.hashesParts = false
    return scanner
  }

  private func restore(
    _ bundle: ExportBundle, into destination: RestoreRoot, archive: ArchiveWriter?,
    inventory: OrgInventory?, progress: ((ScanProgress) -> Void)?
  ) throws -> RestoreReport {
    let metadata = RestoreMetadata()
    // Three scans, each part audited once; restore reads no part digest, so none is computed.
    let session = ScanSession()
    // Every folder and file below is reached from this descriptor (never by path).
    let recordsFolder = options.filesOnly ? -1 : try destination.folder("records", create: true)
    defer { if recordsFolder >= 0 { close(recordsFolder) } }

    // Pass 1: records, file rows, prefixes, the archive's column profiles.
    let recordsPass = RestoreRecordsPass(
      metadata: metadata, options: options, recordsFolder: recordsFolder, archive: archive)
    _ = Self.scanner(bundle, jobs: 1, options: options, session: session).scan(visitor: recordsPass)
    let recordProblems = try recordsPass.finish()
    try archive?.createTables(objectByPrefix: metadata.objectByPrefix, inventory: inventory)
    if archive != nil || !options.recordsOnly {
      // Pass 2: the owners' names; the archive's records.
      _ = Self.scanner(bundle, jobs: 1, options: options, session: session).scan(
        visitor: RestoreNamesPass(
          metadata: metadata, encoding: options.encoding, archive: archive))
    }
    // The archive's indexes and searches are built while pass 3 writes the files.
    try archive?.startIndexing()
    var rows =
      options.recordsOnly
      ? []
      : try restoreFiles(
        bundle, into: destination, metadata: metadata, session: session, progress: progress)
    rows.sort {
      ($0.path.isEmpty ? 1 : 0, $0.path, $0.id) < ($1.path.isEmpty ? 1 : 0, $1.path, $1.id)
    }
    // Nothing is reported restored before it is on the disk.
    guard syncfs(destination.descriptor) == 0 else {
      throw RestoreWriteFailure.lastError(writing: destination.path)
    }
    var report = RestoreReport(
      destination: destination.path, rows: rows, objects: metadata.objects.count,
      recordProblems: recordProblems)
    report.removedNULs = recordsPass.removedNULs
    report.recordFiles = recordsPass.recordFileNames.mapValues { "records/\($0).csv" }
    if let archive {
      try archive.finish(manifest: rows, title: Self.title(of: bundle))
      report.archive = archive.summary
    }
    if !options.filesOnly {
      try destination.replace(
        RecordsManifest.fileName, with: Array(RecordsManifest.csv(report.recordFiles).utf8))
    }
    // The manifest last: it says the restore is complete.
    if !options.recordsOnly {
      try destination.replace("manifest.csv", with: Array(RestoreManifest.csv(report).utf8))
    }
    // The renames that put the manifests and the archive in place, on the disk too.
    guard fsync(destination.descriptor) == 0 else {
      throw RestoreWriteFailure.lastError(writing: destination.path)
    }
    return report
  }

  /// Pass 3: the files, one visitor per part on every worker; a row for every file the
  /// metadata names, restored or not. A full disk stops every worker and the run.
  private func restoreFiles(
    _ bundle: ExportBundle, into destination: RestoreRoot, metadata: RestoreMetadata,
    session: ScanSession, progress: ((ScanProgress) -> Void)?
  ) throws -> [RestoreReport.Row] {
    let plan = RestorePlan(metadata: metadata, latestOnly: options.latestOnly)
    for directory in plan.directories {
      close(try destination.folder(directory, create: true))
    }
    let scanner = Self.scanner(bundle, jobs: options.jobs, options: options, session: session)
    let diskFull = DiskFullSignal()
    let passes = (0..<scanner.sourceCount).map { _ in
      RestoreFilesPass(plan: plan, root: destination, resume: options.resume, diskFull: diskFull)
    }
    let scanned = scanner.scan(visitors: passes, progress: progress)
    if let failure = diskFull.failure { throw failure }
    // Parts that could not be read whole, or are missing: a file in none of the others may
    // have been in one of them.
    let damaged = Set(
      scanned.findings.filter {
        $0.severity == .error && ($0.code.isPartDamage || $0.code == .partMissing)
      }.compactMap(\.location.part)
    ).sorted()
    let notInAnyPart =
      damaged.isEmpty
      ? "the export does not hold this file"
      : "it may have been in \(damaged.joined(separator: ", ")), which could not be read whole or is missing"
    var rows: [RestoreReport.Row] = []
    var met = Set<String>()
    for pass in passes {
      rows += pass.rows
      met.formUnion(pass.met)
    }
    rows = Self.firstCopies(rows, root: destination)
    for key in plan.jobOrder where !met.contains(key) {
      guard let job = plan.jobs[key] else { continue }
      rows.append(
        RestoreReport.Row(
          id: job.id, status: .failed, path: "", bytes: nil, sha256: nil, md5: nil, part: nil,
          entry: nil, parent: job.parent, alsoAt: [], readable: nil,
          reason: "\(job.folder)/\(job.id) is in no part read whole: \(notInAnyPart)"))
    }
    for note in plan.notes {
      rows.append(
        RestoreReport.Row(
          id: note.id, status: note.status, path: "", bytes: nil, sha256: nil, md5: nil,
          part: nil, entry: nil, parent: note.parent, alsoAt: [], readable: nil,
          reason: note.reason))
    }
    return rows
  }

  /// A failure as the person reads it: a full disk is named as the cause, with what to do.
  static func explain(_ error: Error, root: RestoreRoot) -> Error {
    guard RestoreWriteFailure.isDiskFull(error) else { return error }
    return Failure(
      description:
        "the disk holding \(root.path) is full\(DiskSpace.freeNote(root.descriptor)): \(error). The restore stopped and is not complete. Free space or choose a larger disk, then run the same command again with --resume: files already restored are checked and kept, not written again."
    )
  }

  /// The org's inventory beside the parts (fetch writes it there), for the archive's column
  /// types; none when there is none. A corrupt one is verify's to refuse: the archive then
  /// infers its types as without one.
  static func inventory(beside paths: [String]) -> OrgInventory? {
    for path in paths {
      var isFolder: ObjCBool = false
      let folder =
        FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        ? path : (path as NSString).deletingLastPathComponent
      if let inventory = try? OrgInventory.load(folder: folder) { return inventory }
    }
    return nil
  }

  static func title(of bundle: ExportBundle) -> String {
    "Salesforce export" + (bundle.orgId.map { " of org \($0)" } ?? "")
  }

  /// A file met in several parts is one row. Identical copies: the first that restored it.
  /// Copies whose bytes differ (verify's `entry-conflict`): which one is the file cannot be
  /// told, so the file is `failed` and the copy restored under its name is removed.
  static func firstCopies(_ rows: [RestoreReport.Row], root: RestoreRoot? = nil)
    -> [RestoreReport.Row]
  {
    var byId: [String: Int] = [:]
    var kept: [RestoreReport.Row] = []
    var copies: [String: [RestoreReport.Row]] = [:]
    for row in rows {
      // Copies read whole (a damaged read says nothing about the file's bytes).
      if row.sha256 != nil, !row.reason.hasPrefix("damaged") {
        copies[row.id, default: []].append(row)
      }
      if let index = byId[row.id] {
        if kept[index].status == .failed && row.status != .failed { kept[index] = row }
        continue
      }
      byId[row.id] = kept.count
      kept.append(row)
    }
    for (id, group) in copies where Set(group.compactMap(\.sha256)).count > 1 {
      guard let index = byId[id] else { continue }
      let restored = kept[index]
      var left: [String] = []
      if let root, restored.status == .restored, let sha256 = restored.sha256 {
        for path in [restored.path] + restored.alsoAt where !path.isEmpty {
          if !root.remove(path, ifItHolds: sha256, size: restored.bytes ?? -1) {
            left.append(path)
          }
        }
      }
      let places = group.map { "\($0.part ?? "?") (\($0.entry ?? "?"))" }.joined(separator: " and ")
      kept[index].status = .failed
      kept[index].path = ""
      kept[index].alsoAt = []
      kept[index].readable = nil
      kept[index].reason =
        "different copies in \(places) (verify reports entry-conflict): which one is the file cannot be told, so neither is kept; ask for the file again while the org exists"
        + (left.isEmpty
          ? "" : " (the copy at \(left.joined(separator: ", ")) could not be removed)")
    }
    return kept
  }

  /// The destination, created when absent; a folder that already holds anything is refused
  /// unless resuming, and it may not be inside the inputs or hold them.
  private func prepareDestination(inputs: [String]) throws -> String {
    let fileManager = FileManager.default
    let path = URL(fileURLWithPath: options.destination).standardizedFileURL.path
    var info = stat()
    if lstat(path, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw Failure(description: "\(path) exists and is not a folder")
      }
      let contents: [String]
      do {
        contents = try fileManager.contentsOfDirectory(atPath: path)
      } catch {
        throw Failure(description: "cannot list \(path): \(error.localizedDescription)")
      }
      if !contents.isEmpty && !options.resume {
        throw Failure(
          description:
            "\(path) is not empty: restore into a new folder, or pass --resume to continue a restore there"
        )
      }
    } else {
      do {
        try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        throw Failure(description: "cannot create \(path): \(error.localizedDescription)")
      }
    }
    if let identity = InputFile.identity(of: path),
      InputFile.identities(ofInputs: inputs).contains(identity)
    {
      throw Failure(description: "\(path) is one of the inputs: restore into another folder")
    }
    return path
  }
}
