import Crypto
import Foundation

/// Pass 3: every binary, written as its entry streams by (nothing is held in memory), under the
/// name the plan gave it. Each file is written to a temporary name in its folder, created
/// exclusively and never through a symbolic link, checked (size, MD5 where the export has
/// one), then linked into place: a name that exists is never replaced.
final class RestoreFilesPass: BundleVisitor {
  let plan: RestorePlan
  let root: RestoreRoot
  let resume: Bool
  /// Shared by every worker's pass: once the disk is full, the files left are skipped.
  let diskFull: DiskFullSignal
  private(set) var rows: [RestoreReport.Row] = []
  private(set) var met: Set<String> = []

  init(plan: RestorePlan, root: RestoreRoot, resume: Bool, diskFull: DiskFullSignal) {
    self.plan = plan
    self.root = root
    self.resume = resume
    self.diskFull = diskFull
  }

  func skips(_ entry: BundleEntry) -> Bool {
    if case .binary = entry.kind { return diskFull.isRaised }
    return true
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    guard case .binary(let folder, let name) = entry.kind else { return nil }
    let id = RecordId(name)?.description ?? name
    let key = RestorePlan.key(folder: folder.name, id: id)
    let job: RestorePlan.Job
    if let planned = plan.jobs[key] {
      job = planned
    } else {
      // A file no row claims is still restored, where it cannot be mistaken for one that is.
      job = RestorePlan.Job(
        folder: folder.name, id: id,
        paths: ["files/Unclaimed/\(folder.name)/\(SafeFileName.make(name, fallback: "file"))"],
        expectedSize: nil, expectedMD5: nil, parent: "", readable: nil)
    }
    met.insert(key)
    return FileSink(pass: self, job: job, entry: entry, claimed: plan.jobs[key] != nil)
  }

  fileprivate func record(_ row: RestoreReport.Row) { rows.append(row) }

  /// Writes one file.
  final class FileSink: EntrySink {
    private unowned let pass: RestoreFilesPass
    private let job: RestorePlan.Job
    private let entry: BundleEntry
    private let claimed: Bool
    private var descriptor: Int32 = -1
    /// The folder of the file's first path, where it is written before being linked.
    private var folder: Int32 = -1
    private var temporary = ""
    private var sha = SHA256()
    private var md5 = Insecure.MD5()
    private var bytes: Int64 = 0
    private var writeError: String?
    /// The file's first bytes, for the type of a file the export names by Id only.
    private var head: [UInt8] = []

    init(pass: RestoreFilesPass, job: RestorePlan.Job, entry: BundleEntry, claimed: Bool) {
      self.pass = pass
      self.job = job
      self.entry = entry
      self.claimed = claimed
      guard let first = job.paths.first else { return }
      let directory = (first as NSString).deletingLastPathComponent
      do {
        folder = try pass.root.folder(directory, create: !claimed)
      } catch {
        writeError = "\(error)"
        if RestoreWriteFailure.isDiskFull(error) {
          pass.diskFull.raise(
            RestoreWriteFailure(
              path: directory, code: (error as? RestoreRoot.Refused)?.code ?? ENOSPC))
        }
        return
      }
      temporary = ".restore-\(UUID().uuidString).partial"
      descriptor = openat(
        folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
      if descriptor < 0 {
        refused(RestoreWriteFailure.lastError(writing: directory))
        temporary = ""
      }
    }

    /// A write the system refused: the file fails, and a full disk stops every worker.
    private func refused(_ failure: RestoreWriteFailure) {
      writeError = failure.description
      if DiskSpace.isFull(failure.code) { pass.diskFull.raise(failure) }
    }

    func consume(_ chunk: UnsafeRawBufferPointer) {
      if head.count < 16 { head += chunk.prefix(16 - head.count) }
      bytes += Int64(chunk.count)
      sha.update(bufferPointer: chunk)
      md5.update(bufferPointer: chunk)
      guard descriptor >= 0, writeError == nil else { return }
      if let code = AtomicFile.writeAll(descriptor, chunk) {
        refused(RestoreWriteFailure(path: job.paths.first ?? job.id, code: code))
      }
    }

    func finish(_ outcome: EntryOutcome) {
      if descriptor >= 0 && close(descriptor) != 0 && writeError == nil {
        refused(RestoreWriteFailure.lastError(writing: job.paths.first ?? job.id))
      }
      let sha256 = PartHasher.hex(sha.finalize())
      let md5Hex = PartHasher.hex(md5.finalize())
      // A ContentBody file has no name but its Id: the extension its bytes say opens it.
      let paths =
        job.folder == BinaryFolder.otherUploadedCollateral.name
        ? job.paths.map { path in FileMagic.extension(of: head).map { path + "." + $0 } ?? path }
        : job.paths
      var row = RestoreReport.Row(
        id: job.id, status: .restored, path: paths.first ?? "", bytes: bytes, sha256: sha256,
        md5: md5Hex, part: entry.source, entry: entry.path, parent: job.parent,
        alsoAt: Array(paths.dropFirst()), readable: nil,
        reason: claimed ? "" : "no metadata row claims this file")
      defer {
        if !temporary.isEmpty { unlinkat(folder, temporary, 0) }
        if folder >= 0 { close(folder) }
        pass.record(row)
      }
      if case .damaged(_, let reason) = outcome {
        row.status = .failed
        row.reason = "damaged in \(entry.source): \(reason)"
        row.path = ""
        row.alsoAt = []
        return
      }
      if let writeError {
        row.status = .failed
        row.reason = writeError
        row.path = ""
        return
      }
      var problems: [String] = []
      if let expected = job.expectedSize, expected != bytes {
        problems.append("\(bytes) bytes where the metadata says \(expected)")
      }
      if let expected = job.expectedMD5, expected.count == 32, expected != md5Hex {
        problems.append("MD5 \(md5Hex) where the metadata says \(expected)")
      }
      var already = 0
      for path in paths {
        let target: Int32
        do {
          target = try pass.root.folder((path as NSString).deletingLastPathComponent, create: false)
        } catch {
          problems.append("cannot write \(path): \(error)")
          continue
        }
        defer { close(target) }
        let name = (path as NSString).lastPathComponent
        if linkat(folder, temporary, target, name, 0) == 0 { continue }
        let failure = errno
        if DiskSpace.isFull(failure) {
          pass.diskFull.raise(RestoreWriteFailure(path: path, code: failure))
        }
        // The same bytes already there (an earlier run with --resume, or an identical copy
        // of this file from another part) are not a conflict.
        if failure == EEXIST, RestoreRoot.holds(target, name, size: bytes, sha256: sha256) {
          if pass.resume { already += 1 }
          continue
        }
        problems.append(
          failure == EEXIST
            ? "\(path) already holds another file: nothing is overwritten"
            : "cannot write \(path): \(String(cString: strerror(failure)))")
      }
      if already == paths.count && !paths.isEmpty { row.status = .alreadyRestored }
      if let readable = job.readable, !readable.isEmpty {
        if let problem = writeReadableNote(to: readable) {
          problems.append("its readable copy \(readable) could not be written: \(problem)")
        } else {
          row.readable = readable
        }
      }
      if !problems.isEmpty {
        row.status = .failed
        row.reason = problems.joined(separator: "; ")
      }
    }

    /// An Enhanced Note (its body is HTML) as a page a browser opens, at `relative`; the
    /// reason when it cannot be written.
    private func writeReadableNote(to relative: String) -> String? {
      let file = openat(folder, temporary, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
      guard file >= 0 else { return "the note cannot be read back" }
      let handle = FileHandle(fileDescriptor: file, closeOnDealloc: true)
      let body: String
      do {
        let data = try handle.readToEnd() ?? Data()
        guard let text = String(data: data, encoding: .utf8) else {
          return "the note is not UTF-8 text"
        }
        body = text
      } catch {
        return "the note cannot be read back: \(error)"
      }
      let page = Array(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(job.id)</title></head><body>\n\(body)\n</body></html>\n"
          .utf8)
      do {
        try pass.root.writeNew(page, to: relative)
      } catch {
        // The same page from an earlier run (--resume) is no failure.
        if pass.resume, readableExists(relative, page) { return nil }
        return "\(error)"
      }
      return nil
    }

    private func readableExists(_ relative: String, _ page: [UInt8]) -> Bool {
      guard
        let target = try? pass.root.folder(
          (relative as NSString).deletingLastPathComponent, create: false)
      else { return false }
      defer { close(target) }
      var hasher = SHA256()
      hasher.update(data: page)
      return RestoreRoot.holds(
        target, (relative as NSString).lastPathComponent, size: Int64(page.count),
        sha256: PartHasher.hex(hasher.finalize()))
    }
  }
}
