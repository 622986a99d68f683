import Foundation

/// Turns the paths a user gives (ZIP parts, folders of parts, extracted folders, in any mix)
/// into an ``ExportBundle``: finds the parts, orders them, and checks what names can tell.
public enum BundleLocator {
  /// Why the inputs cannot be used at all (as opposed to findings about their content).
  public struct InputError: Error, CustomStringConvertible {
    public let description: String
  }

  public static func locate(_ paths: [String]) throws -> ExportBundle {
    guard !paths.isEmpty else { throw InputError(description: "no input given") }
    let fileManager = FileManager.default
    var parts: [PartFile] = []
    var folders: [ExtractedFolder] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(description: "no such file or directory: \(path)")
      }
      if isDirectory.boolValue {
        let zips = zipFiles(in: path)
        if !zips.isEmpty {
          parts += zips
        } else if looksExtracted(path) {
          folders.append(ExtractedFolder(path: path, name: (path as NSString).lastPathComponent))
        } else {
          throw InputError(
            description:
              "\(path) holds neither ZIP parts nor an extracted export (no .zip files, no CSVs at its root)"
          )
        }
      } else {
        parts.append(PartFile(path: path, bytes: fileSize(path)))
      }
    }
    return arrange(parts: parts, folders: folders)
  }

  /// Orders parts and derives the name-level findings.
  static func arrange(parts given: [PartFile], folders: [ExtractedFolder]) -> ExportBundle {
    // The same path given twice is one part.
    var seenPaths = Set<String>()
    let unique = given.filter {
      seenPaths.insert(URL(fileURLWithPath: $0.path).standardizedFileURL.path).inserted
    }
    let parts = unique.sorted { a, b in
      switch (a.parsedName, b.parsedName) {
      case (let x?, let y?):
        return x.orgId != y.orgId ? x.orgId < y.orgId : (x.number, a.name) < (y.number, b.name)
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return a.name < b.name
      }
    }
    var findings: [Finding] = []
    var excluded = Set<String>()

    var orgCounts: [String: Int] = [:]
    for part in parts { if let org = part.parsedName?.orgId { orgCounts[org, default: 0] += 1 } }
    let orgId = orgCounts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?
      .key

    for part in parts {
      guard let parsed = part.parsedName else { continue }
      if !parsed.orgIdIsValid {
        findings.append(
          Finding(
            .partOrgInvalid,
            "the part name carries '\(parsed.orgId)', which is not a valid 18-character Org Id (00D...)",
            at: FindingLocation(part: part.name)))
      }
      if let orgId, parsed.orgId != orgId {
        findings.append(
          Finding(
            .partOrgMismatch,
            "this part belongs to org \(parsed.orgId), the others to \(orgId); it is left out of the checks",
            at: FindingLocation(part: part.name)))
        excluded.insert(part.path)
      }
    }

    if let orgId {
      let numbers = Set(
        parts.compactMap { $0.parsedName?.orgId == orgId ? $0.parsedName?.number : nil })
      if let highest = numbers.max() {
        let missing = (1...max(highest, 1)).filter { !numbers.contains($0) }
        for number in missing {
          findings.append(
            Finding(
              .partMissing,
              "part \(number) of \(highest) is missing (expected WE_\(orgId)_\(number).ZIP)",
              at: FindingLocation(part: "WE_\(orgId)_\(number).ZIP")))
        }
      }
    }

    // Byte-identical copies: only parts of equal size can be, so only those are hashed here.
    var digests: [String: String] = [:]
    var bySize: [Int64: [PartFile]] = [:]
    for part in parts where !excluded.contains(part.path) {
      bySize[part.bytes, default: []].append(part)
    }
    for group in bySize.values where group.count > 1 {
      var firstByDigest: [String: PartFile] = [:]
      for part in group {
        guard let digest = try? PartHasher.sha256Hex(ofFileAt: part.path) else { continue }
        digests[part.path] = digest
        if let original = firstByDigest[digest] {
          findings.append(
            Finding(
              .partDuplicate,
              "same bytes as \(original.name) (SHA-256 \(digest.prefix(16))...); the copy is left out of the checks",
              at: FindingLocation(part: part.name)))
          excluded.insert(part.path)
        } else {
          firstByDigest[digest] = part
        }
      }
    }
    var bundle = ExportBundle(
      parts: parts, folders: folders, orgId: orgId, findings: findings, excludedParts: excluded)
    bundle.knownDigests = digests
    return bundle
  }

  private static func zipFiles(in directory: String) -> [PartFile] {
    var found: [PartFile] = []
    let fileManager = FileManager.default
    guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return [] }
    for name in names.sorted() {
      let path = (directory as NSString).appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        // Download tools sometimes put each part in a folder of its own: look one level down.
        if let inner = try? fileManager.contentsOfDirectory(atPath: path) {
          for innerName in inner.sorted() where innerName.lowercased().hasSuffix(".zip") {
            let innerPath = (path as NSString).appendingPathComponent(innerName)
            if isRegularFile(innerPath) {
              found.append(PartFile(path: innerPath, bytes: fileSize(innerPath)))
            }
          }
        }
      } else if name.lowercased().hasSuffix(".zip"), isRegularFile(path) {
        found.append(PartFile(path: path, bytes: fileSize(path)))
      }
    }
    return found
  }

  private static func looksExtracted(_ directory: String) -> Bool {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return false
    }
    return names.contains { name in
      name.lowercased().hasSuffix(".csv") || BinaryFolder.named(name) != nil
    }
  }

  static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  static func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
  }
}
