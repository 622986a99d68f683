/// For one binary folder: the files the export's metadata says it must hold, and the files it
/// holds, keyed by record Id.
final class FolderManifest {
  struct Expected {
    var size: Int64?
    var md5: String?
    /// Where the MD5 comes from, for messages (`ContentBody.Hash`, the org's checksum file).
    var md5Origin: String?
    var line: Int
    var record: Int
    var source: String
    var entry: String
  }

  struct Present {
    var size: Int64
    var md5: String?
    var part: String
    var path: String
    var intact: Bool
  }

  let folder: BinaryFolder
  var expected: [RecordId: Expected] = [:]
  var present: [RecordId: Present] = [:]
  /// Files whose names are not record Ids.
  var unnamed: [(name: String, part: String, path: String, size: Int64)] = []
  var presentBytes: Int64 = 0
  /// Whether the metadata object's CSV was seen.
  var metadataSeen = false

  init(folder: BinaryFolder) { self.folder = folder }

  var presentCount: Int { present.count + unnamed.count }
}
