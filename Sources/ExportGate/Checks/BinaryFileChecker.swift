import Crypto

/// Measures one binary as it streams: its size, and its MD5 when the folder's metadata carries
/// one (ContentBody's `Hash`), so that the file can be matched against its row afterwards.
final class BinaryFileChecker: EntrySink {
  private let manifest: FolderManifest
  private let entry: BundleEntry
  private let name: String
  private var md5: Insecure.MD5?
  private var bytes: Int64 = 0

  init(manifest: FolderManifest, entry: BundleEntry, name: String, computeMD5: Bool) {
    self.manifest = manifest
    self.entry = entry
    self.name = name
    self.md5 = computeMD5 ? Insecure.MD5() : nil
  }

  func consume(_ chunk: UnsafeRawBufferPointer) {
    bytes += Int64(chunk.count)
    md5?.update(bufferPointer: chunk)
  }

  func finish(_ outcome: EntryOutcome) {
    let digest = md5.map { FolderManifest.Digest(bytes: $0.finalize()) }
    manifest.presentBytes += bytes
    var idBytes = Array(name.utf8)
    let parsed = idBytes.withUnsafeMutableBytes { RecordId.parse(UnsafeRawBufferPointer($0)) }
    guard case .success(let id) = parsed else {
      manifest.unnamed.append((name, entry.source, entry.path, bytes))
      return
    }
    if manifest.present[id] != nil { return }
    manifest.present[id] = FolderManifest.Present(
      size: bytes, md5: digest, source: manifest.source(entry.source), intact: outcome.isComplete)
  }
}
