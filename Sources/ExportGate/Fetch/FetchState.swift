import Foundation

/// The part list and outcomes, shared by the download workers: every field is behind one
/// lock (``Locked``), so none can be read outside it.
final class FetchState: Sendable {
  private struct Shared {
    var list: ExportPartList
    var downloaded: [String] = []
    var alreadyComplete: [String] = []
    var failed: [Finding] = []
    var rejected: ExportFetcher.Failure?
    var bytesDone: Int64 = 0
  }

  let folder: FetchFolder
  private let shared: Locked<Shared>
  private let progress: (@Sendable (Int64, Int64) -> Void)?
  private let bytesTotal: Int64

  init(list: ExportPartList, folder: FetchFolder, progress: (@Sendable (Int64, Int64) -> Void)?) {
    self.folder = folder
    self.progress = progress
    shared = Locked(Shared(list: list))
    bytesTotal = list.parts.reduce(0) { $0 + (Self.approximateBytes($1.displayedSize) ?? 0) }
  }

  var list: ExportPartList { shared.withLock { $0.list } }
  var downloaded: [String] { shared.withLock { $0.downloaded } }
  var alreadyComplete: [String] { shared.withLock { $0.alreadyComplete } }
  var failed: [Finding] { shared.withLock { $0.failed } }
  var rejected: ExportFetcher.Failure? { shared.withLock { $0.rejected } }

  func part(_ name: String) -> ExportPartList.Part? {
    shared.withLock { $0.list.parts.first { $0.name == name } }
  }

  /// Records a complete part and saves the list; a list that cannot be saved makes the part a
  /// failure (the proof of what was downloaded would be missing).
  func complete(_ name: String, bytes: Int64, sha256: String, downloadedNow: Bool) {
    shared.withLock { state in
      if let index = state.list.parts.firstIndex(where: { $0.name == name }) {
        state.list.parts[index].bytes = bytes
        state.list.parts[index].sha256 = sha256
        if downloadedNow {
          state.list.parts[index].downloadedAt = ISO8601DateFormatter().string(from: Date())
        }
      }
      do {
        try state.list.save(folder: folder.path)
      } catch {
        state.failed.append(
          Self.notDownloaded(
            name, "downloaded, but \(ExportPartList.fileName) could not be saved: \(error)"))
        return
      }
      if downloadedNow { state.downloaded.append(name) } else { state.alreadyComplete.append(name) }
    }
  }

  /// Records what the org identified a part's bytes by as its download begins from the first
  /// byte, and saves the list, so that a later run resumes only the same bytes.
  func began(_ name: String, validators: PartValidators) throws {
    try shared.withLock { state in
      guard let index = state.list.parts.firstIndex(where: { $0.name == name }),
        state.list.parts[index].validators != validators
      else { return }
      state.list.parts[index].validators = validators
      try state.list.save(folder: folder.path)
    }
  }

  func fail(_ name: String, _ reason: String) {
    shared.withLock { $0.failed.append(Self.notDownloaded(name, reason)) }
  }

  private static func notDownloaded(_ name: String, _ reason: String) -> Finding {
    Finding(.partNotDownloaded, reason, at: FindingLocation(part: name))
  }

  func reject(_ failure: ExportFetcher.Failure) {
    shared.withLock { if $0.rejected == nil { $0.rejected = failure } }
  }

  func progressed(_ bytes: Int64) {
    let (done, total) = shared.withLock { state in
      state.bytesDone += bytes
      return (state.bytesDone, max(bytesTotal, state.bytesDone))
    }
    progress?(done, total)
  }

  /// `81.7K`, `512.0M`, `1.2G` as bytes.
  static func approximateBytes(_ text: String?) -> Int64? {
    guard var text = text?.trimmingCharacters(in: .whitespaces).uppercased(), let unit = text.last
    else { return nil }
    let scale: Double
    switch unit {
    case "K": scale = 1024
    case "M": scale = 1024 * 1024
    case "G": scale = 1024 * 1024 * 1024
    default: scale = 1
    }
    if scale > 1 { text.removeLast() }
    return Double(text).map { Int64($0 * scale) }
  }
}

/// The folder fetch writes into, opened once: every file fetch creates is created relative to
/// it, with `O_EXCL|O_NOFOLLOW`, so a link planted under a name fetch uses is never followed.
final class FetchFolder: Sendable {
  let path: String
  let descriptor: Int32

  init(path: String) throws {
    self.path = path
    descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw ExportFetcher.Failure(
        kind: .unreachable,
        description: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
  }

  deinit { close(descriptor) }

  func path(of name: String) -> String { (path as NSString).appendingPathComponent(name) }

  /// True when `name` is a regular file of the folder (not a link, not anything else).
  func isRegularFile(_ name: String) -> Bool {
    var info = stat()
    return fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0
      && (info.st_mode & S_IFMT) == S_IFREG
  }
}
