import Foundation

/// Streams the files of an extracted export folder to a ``BundleVisitor``, like a part's
/// entries: CSVs at the root, binaries one level down in the known folders. Links are
/// reported and never followed; files are opened read-only.
struct FolderReader {
  let folder: ExtractedFolder
  let visitor: BundleVisitor?
  let report: (Finding) -> Void
  let chunkSize = 1 << 20

  func read() -> Int {
    var count = 0
    walk(relative: "", depth: 0, count: &count)
    return count
  }

  private func walk(relative: String, depth: Int, count: inout Int) {
    let directory =
      relative.isEmpty ? folder.path : (folder.path as NSString).appendingPathComponent(relative)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      report(
        Finding(
          .partUnreadable, "cannot list the folder",
          at: FindingLocation(part: folder.name, entry: relative.isEmpty ? nil : relative)))
      return
    }
    for name in names.sorted() {
      let path = relative.isEmpty ? name : relative + "/" + name
      let absolute = (folder.path as NSString).appendingPathComponent(path)
      var info = stat()
      guard lstat(absolute, &info) == 0 else { continue }
      let type = info.st_mode & S_IFMT
      if type == S_IFDIR {
        // Files outside the binary folders are still listed (as unexpected), so walk all of it.
        walk(relative: path, depth: depth + 1, count: &count)
        continue
      }
      count += 1
      let kind = EntryKind.classify(path: path, isLink: type == S_IFLNK, isDirectory: false)
      let entry = BundleEntry(
        source: folder.name, path: path, kind: kind, declaredSize: Int64(info.st_size),
        modified: Int64(info.st_mtim.tv_sec))
      IngestFindings.classification(of: entry).map(report)
      if visitor?.skips(entry) == true { continue }
      let sink = visitor?.sink(for: entry)
      guard type == S_IFREG else {
        // A FIFO, device or socket holds no file content (and reading one could hang): the
        // file an extraction would give is not there. Links are unsafe entries already.
        if type != S_IFLNK {
          report(
            Finding(
              .entryCorrupt,
              "\(path) is \(InputFile.kind(info.st_mode)), not a regular file: it holds no file content and is never read",
              at: entry.location))
        }
        sink?.finish(.damaged(bytes: 0, reason: "not a regular file"))
        continue
      }
      var bytes: Int64 = 0
      do {
        try FileChunks.read(path: absolute, chunkSize: chunkSize) { chunk in
          guard sink?.isSatisfied != true else { return }
          sink?.consume(chunk)
          bytes += Int64(chunk.count)
        }
        sink?.finish(.complete(bytes: bytes))
      } catch {
        report(Finding(.entryCorrupt, "\(error)", at: entry.location))
        sink?.finish(.damaged(bytes: bytes, reason: "\(error)"))
      }
    }
  }
}
