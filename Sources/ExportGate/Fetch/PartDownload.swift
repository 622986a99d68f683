import Crypto
import Foundation
import NIOCore

/// One part's download: attempts with backoff, each streamed into `.<name>.partial` (created
/// relative to the folder with `O_EXCL|O_NOFOLLOW`, resumed only when it is a regular file of
/// ours with one link), hashed while streaming, and renamed to the part's name only when its
/// bytes are the whole part: the announced length, and a ZIP whose end record accounts for it.
/// A resume the org answers for other bytes, a body that is not a ZIP or is longer than the
/// page says, and every failure to write, sync or read back are said, never swallowed.
struct PartDownload {
  let link: DataExportPage.Link
  let connection: OrgConnection
  let options: ExportFetcher.Options
  let state: FetchState

  private var folder: FetchFolder { state.folder }
  private var partialName: String { ".\(link.fileName).partial" }

  /// A body may exceed the size the page shows (rounded to one decimal of its unit) by 5% and
  /// 1 MiB; without a size on the page, 64 GiB (parts are about 512 MB).
  static func bodyLimit(displayedSize: String?) -> Int64 {
    guard let shown = FetchState.approximateBytes(displayedSize) else { return 64 << 30 }
    return Int64(Double(shown) * 1.05) + (1 << 20)
  }

  func run() {
    guard state.rejected == nil else { return }
    // Complete and matching the list: nothing to do.
    if let known = state.part(link.fileName), let bytes = known.bytes, let sha = known.sha256,
      folder.isRegularFile(link.fileName),
      PartHasher.matches(fileAt: folder.path(of: link.fileName), size: bytes, sha256: sha)
    {
      state.complete(link.fileName, bytes: bytes, sha256: sha, downloadedNow: false)
      return
    }
    var lastProblem = "not attempted"
    var resume = true
    for attempt in 0...options.retries {
      if attempt > 0 {
        // A download worker is a thread of its own (never the event loop) that has nothing
        // else to do until its part is retried: sleeping it holds back only this part.
        Thread.sleep(forTimeInterval: min(options.retryDelay * pow(2, Double(attempt - 1)), 30))
      }
      switch attemptOnce(resume: resume) {
      case .complete(let bytes, let sha):
        guard renameat(folder.descriptor, partialName, folder.descriptor, link.fileName) == 0 else {
          lastProblem = "cannot move the part into place: \(String(cString: strerror(errno)))"
          continue
        }
        state.complete(link.fileName, bytes: bytes, sha256: sha, downloadedNow: true)
        return
      case .retry(let problem, let resumable):
        lastProblem = problem
        resume = resumable
      case .rejected(let failure):
        state.reject(failure)
        return
      case .give(let problem):
        state.fail(link.fileName, problem)
        return
      }
    }
    let attempts = options.retries + 1
    state.fail(
      link.fileName, "\(lastProblem) (after \(attempts) attempt\(attempts == 1 ? "" : "s"))")
  }

  private enum Attempt {
    case complete(bytes: Int64, sha256: String)
    case retry(String, resumable: Bool)
    case rejected(ExportFetcher.Failure)
    case give(String)
  }

  private func attemptOnce(resume: Bool) -> Attempt {
    let descriptor: Int32
    let startOffset: Int64
    // Bytes kept from a download whose validators were never recorded are of unknown origin:
    // they are not resumed.
    let validators = state.part(link.fileName)?.validators
    switch openPartial(resume: resume && validators != nil) {
    case .success(let opened): (descriptor, startOffset) = opened
    case .failure(let failure): return .give(failure.description)
    }
    defer { close(descriptor) }
    let hasher = PipelinedHasher(reading: descriptor, from: startOffset)
    // The hasher reads the file: it is done with it before the descriptor closes.
    defer { hasher.drain() }
    if startOffset > 0 {
      // The bytes kept from an earlier attempt count in the hash: read back, or start again.
      if let problem = hashKept(descriptor, count: startOffset, into: hasher) {
        discardPartial()
        return .retry("the partial file could not be read back (\(problem))", resumable: false)
      }
    }
    guard lseek(descriptor, off_t(startOffset), SEEK_SET) == off_t(startOffset) else {
      return .give("cannot position \(partialName): \(String(cString: strerror(errno)))")
    }
    let limit = Self.bodyLimit(displayedSize: link.displayedSize)
    let response: OrgConnection.Response
    do {
      response = try connection.download(
        link.path, resumingAt: startOffset > 0 ? startOffset : nil,
        ifRange: startOffset > 0 ? validators?.ifRange : nil, into: descriptor, limit: limit,
        onResponse: { status, headers in
          try self.admit(
            status: status, headers: headers, startOffset: startOffset, limit: limit,
            validators: validators)
          if status == 200 && startOffset > 0 {
            // The org ignored the Range request: the part starts again from its first byte.
            guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
              throw OrgConnection.WriteFailure.lastError("cannot truncate \(partialName)")
            }
            hasher.reset()
            self.state.progressed(-startOffset)
          }
        },
        onBytes: { bytes in
          hasher.append(bytes.readableBytes)
          self.state.progressed(Int64(bytes.readableBytes))
        })
    } catch let failure as OrgConnection.WriteFailure {
      if DiskSpace.isFull(failure.code) { return .rejected(diskFull(failure)) }
      return .give("\(failure) (\(partialName))")
    } catch let refused as OrgConnection.BodyRefused {
      discardPartial()
      if let head = refused.head { return .rejected(notAPart(head)) }
      return .retry("\(refused.description): started again from the first byte", resumable: false)
    } catch {
      return .retry("the connection failed: \(error)", resumable: true)
    }
    return settle(response, descriptor: descriptor, startOffset: startOffset, hasher: hasher)
  }

  /// Refuses, before any byte is written, a resume answered for other bytes than asked (another
  /// range, or the part under other validators) and a body announced longer than the part can
  /// be; records the validators of a download that starts from the first byte.
  private func admit(
    status: Int, headers: [String: String], startOffset: Int64, limit: Int64,
    validators: PartValidators?
  ) throws {
    if status == 206, let validators, let change = validators.contradict(headers) {
      throw OrgConnection.BodyRefused(
        description:
          "the org answered the resume of \(link.fileName) for a part that changed since its download began (\(change)): the partial file is discarded"
      )
    }
    if status == 200 && !(headers["content-type"] ?? "").lowercased().hasPrefix("text/html") {
      do {
        try state.began(link.fileName, validators: PartValidators(headers: headers))
      } catch {
        throw OrgConnection.WriteFailure(
          description:
            "cannot record the part's validators in \(ExportPartList.fileName): \(error)",
          code: (error as? AtomicFile.WriteError)?.code ?? 0)
      }
    }
    if status == 206 {
      let range = headers["content-range"].flatMap(ContentRange.init)
      guard let range, range.start == startOffset, range.end + 1 == range.total else {
        throw OrgConnection.BodyRefused(
          description:
            "the org answered the resume of \(link.fileName) at byte \(startOffset) with \(headers["content-range"].map { "Content-Range \($0)" } ?? "no Content-Range"): the partial file is discarded"
        )
      }
    }
    if (200..<300).contains(status),
      let length = headers["content-length"].flatMap(Int64.init), length > limit
    {
      throw OrgConnection.BodyRefused(
        description:
          "the org announces \(length) bytes for \(link.fileName), which the Data Export page lists as \(link.displayedSize ?? "?")"
      )
    }
  }

  /// What a finished response means: complete only as the whole part, else why not.
  private func settle(
    _ response: OrgConnection.Response, descriptor: Int32, startOffset: Int64,
    hasher: PipelinedHasher
  ) -> Attempt {
    if response.status >= 500 {
      return .retry("the org answered HTTP \(response.status)", resumable: true)
    }
    if (300..<400).contains(response.status)
      || response.contentType.lowercased().hasPrefix("text/html")
    {
      discardPartial()
      return .rejected(
        ExportFetcher.Failure(
          kind: .sessionRejected,
          description:
            "the org answered \(link.fileName) with a web page instead of the file (the session expired or was not accepted): run `sf org login web` again; nothing was saved as the part"
        ))
    }
    guard response.status == 200 || response.status == 206 else {
      return .give("the org answered HTTP \(response.status) for \(link.fileName)")
    }
    // The length the part must have: Content-Range's total, else Content-Length.
    var expected: Int64?
    if response.status == 206 {
      expected = response.headers["content-range"].flatMap(ContentRange.init)?.total
    } else if let length = response.headers["content-length"].flatMap(Int64.init) {
      expected = length
    }
    guard fsync(descriptor) == 0 else {
      let failure = OrgConnection.WriteFailure.lastError("cannot sync \(partialName) to disk")
      if DiskSpace.isFull(failure.code) { return .rejected(diskFull(failure)) }
      return .give(failure.description)
    }
    let size = Int64(lseek(descriptor, 0, SEEK_END))
    guard let expected else {
      return .retry(
        "the org sent no length for \(link.fileName): it cannot be checked",
        resumable: response.status == 206)
    }
    guard size == expected else {
      return .retry(
        "\(link.fileName) stopped at \(size) of \(expected) bytes",
        resumable: response.status == 206 || startOffset == 0)
    }
    // The length alone proves nothing of the bytes: the part must be a whole ZIP.
    let probe = ZipProbe(path: folder.path(of: partialName), fileSize: size)
    guard let end = probe.endOfCentralDirectory, end.isSingleDisk,
      end.centralDirectoryOffset + end.centralDirectorySize <= end.offset
    else {
      discardPartial()
      return .give(
        "the org sent \(size) bytes for \(link.fileName) that are not a whole ZIP archive (\(probe.unreadableReason ?? "its end record does not account for its bytes")): nothing was kept"
      )
    }
    guard let sha256 = hasher.hex else {
      return .retry(
        "\(partialName) could not be read back to hash it: started again from the first byte",
        resumable: false)
    }
    return .complete(bytes: size, sha256: sha256)
  }

  /// The failure a body that is not a ZIP means: a web page is the session's problem; any
  /// other body is not the part either, and fetch stops rather than keep it.
  private func notAPart(_ head: [UInt8]) -> ExportFetcher.Failure {
    let content = ZipProbe.sniff(head, fileSize: Int64(head.count))
    let what =
      ZipProbe.Content.html == content
      ? "a web page (the session expired or was not accepted: run `sf org login web` again)"
      : "something that is not a ZIP (\(ZipProbe.reason(content) ?? "unknown bytes"))"
    return ExportFetcher.Failure(
      kind: content == .html ? .sessionRejected : .refused,
      description:
        "the org answered \(link.fileName) with \(what); nothing was saved as the part")
  }

  /// A full disk ends the whole fetch (every other part would fail the same way), saying
  /// what to do; the bytes already written stay for the next run to resume.
  private func diskFull(_ failure: OrgConnection.WriteFailure) -> ExportFetcher.Failure {
    ExportFetcher.Failure(
      kind: .diskFull,
      description:
        "the disk holding \(folder.path) is full\(DiskSpace.freeNote(folder.descriptor)) while downloading \(link.fileName): \(failure). Free space or fetch to a larger disk, then run fetch again: complete parts are kept, and \(partialName) resumes where it stopped."
    )
  }

  // MARK: The partial file

  /// The partial file, opened relative to the folder: resumed when it is a regular file of
  /// ours with one link, else whatever holds the name (a planted link, a hard link, a FIFO, a
  /// file of another user) is removed, never written through, and a new file is created.
  private func openPartial(resume: Bool) -> Result<(Int32, Int64), OrgConnection.WriteFailure> {
    let directory = folder.descriptor
    if resume {
      let existing = openat(directory, partialName, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
      if existing >= 0 {
        var info = stat()
        if fstat(existing, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1,
          info.st_uid == geteuid()
        {
          return .success((existing, Int64(info.st_size)))
        }
        close(existing)
      }
    }
    if unlinkat(directory, partialName, 0) != 0 && errno != ENOENT {
      return .failure(
        .init(description: "cannot remove \(partialName): \(String(cString: strerror(errno)))"))
    }
    let created = openat(
      directory, partialName, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard created >= 0 else {
      return .failure(
        .init(
          description:
            "cannot create \(folder.path(of: partialName)): \(String(cString: strerror(errno)))"))
    }
    return .success((created, 0))
  }

  private func discardPartial() { unlinkat(folder.descriptor, partialName, 0) }

  /// Reads back the first `count` bytes into the hash; the reason when they cannot be read.
  private func hashKept(_ descriptor: Int32, count: Int64, into hasher: PipelinedHasher) -> String?
  {
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var offset: Int64 = 0
    while offset < count {
      let wanted = Int(min(Int64(buffer.count), count - offset))
      let got = buffer.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress, wanted, off_t(offset))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else {
        return got == 0 ? "it is shorter than it was" : String(cString: strerror(errno))
      }
      buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
      offset += Int64(got)
    }
    return nil
  }
}
