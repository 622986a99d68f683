import Foundation

/// Turns the paths a user gives (ZIP parts, folders of parts, extracted folders, in any mix)
/// into an ``ExportBundle``: finds the parts, orders them, and checks what names can tell.
public enum BundleLocator {
  /// Why the inputs cannot be used at all (as opposed to findings about their content).
  public struct InputError: Error, CustomStringConvertible {
    public let description: String
  }

  /// A restore's folder: its manifest beside `records/` or `files/` (an export has neither).
  static func isRestoreFolder(_ path: String) -> Bool {
    let fileManager = FileManager.default
    let has = { (name: String) in
      fileManager.fileExists(atPath: (path as NSString).appendingPathComponent(name))
    }
    return has("manifest.csv") && (has("records") || has("files"))
  }

  public static func locate(_ paths: [String]) throws -> ExportBundle {
    guard !paths.isEmpty else { throw InputError(description: "no input given") }
    let fileManager = FileManager.default
    var parts: [PartFile] = []
    var folders: [ExtractedFolder] = []
    var notes: [Finding] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(description: "no such file or directory: \(path)")
      }
      if isDirectory.boolValue {
        if isRestoreFolder(path) {
          throw InputError(
            description:
              "\(path) is a folder `exportgate restore` wrote (manifest.csv, records/, files/), not an export: re-check it with `exportgate restore --check \(path)`; to verify the export, give its ZIP parts"
          )
        }
        let zips = zipFiles(in: path)
        if !zips.isEmpty {
          parts += zips
          if looksExtracted(path) {
            notes.append(
              Finding(
                .entryUnexpected,
                "\(path) holds ZIP parts and also extracted export files (CSVs or binary folders): only the ZIP parts are verified; verify the extracted copy on its own (exportgate verify FOLDER with the extracted files alone)",
                at: FindingLocation(part: (path as NSString).lastPathComponent),
                severity: .warning))
          }
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
    // Every part must be a regular file we may read, before anything is read: a FIFO or a
    // device named as a part would hang the run, and a part we may not read is not "empty".
    for part in parts {
      do {
        try InputFile.check(part.path, what: "part")
      } catch {
        throw InputError(description: "\(error)")
      }
    }
    var bundle = arrange(parts: parts, folders: folders)
    bundle.findings += notes
    try readPartList(paths, into: &bundle)
    return bundle
  }

  /// The part list `fetch` saved in a folder given: every part it lists must be there. This
  /// turns "no part missing" from an inference into a fact, even for the last part.
  private static func readPartList(_ paths: [String], into bundle: inout ExportBundle) throws {
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        isDirectory.boolValue
      else { continue }
      let list: ExportPartList?
      do {
        list = try ExportPartList.load(folder: path)
      } catch {
        throw InputError(
          description: "\(ExportPartList.fileName) in \(path) cannot be read: \(error)")
      }
      let inventory = (path as NSString).appendingPathComponent(OrgInventory.fileName)
      if bundle.inventoryPath == nil, FileManager.default.fileExists(atPath: inventory) {
        bundle.inventoryPath = inventory
      }
      guard let list else { continue }
      bundle.partList = list
      bundle.partListPath = (path as NSString).appendingPathComponent(ExportPartList.fileName)
      let present = Set(bundle.parts.map(\.name))
      let listed = Set(list.parts.map { $0.name.uppercased() })
      // A part the page did not list is another export's: mixing two exports is never whole.
      for part in bundle.parts where !listed.contains(part.name.uppercased()) {
        bundle.findings.append(
          Finding(
            .partListMismatch,
            "\(part.name) is not among the \(list.parts.count) part(s) the Data Export page listed (\(ExportPartList.fileName), read \(list.readAt)): it belongs to another export; keep each export's parts in a folder of their own",
            at: FindingLocation(part: part.name)))
      }
      for part in list.parts where !present.contains(part.name) {
        bundle.findings.append(
          Finding(
            .partMissing,
            "\(part.name) is listed by the Data Export page (\(ExportPartList.fileName), read \(list.readAt)) but is not in \(path): download it (exportgate fetch --to \(path) downloads only what is missing)",
            at: FindingLocation(part: part.name)))
      }
      return
    }
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
    // Gaps in the numbering, among the parts kept (a renamed copy of a part makes no gap).
    if let orgId {
      let numbers = Set(
        parts.compactMap {
          $0.parsedName?.orgId == orgId && !excluded.contains($0.path) ? $0.parsedName?.number : nil
        })
      findings += gapFindings(numbers: numbers, orgId: orgId)
    }
    var bundle = ExportBundle(
      parts: parts, folders: folders, orgId: orgId, findings: findings, excludedParts: excluded)
    bundle.knownDigests = digests
    return bundle
  }

  /// The parts missing from the numbering, found between the numbers given: the cost is in
  /// the parts given, never in the highest number (a part named `..._9223372036854775807.ZIP`
  /// is one range, not that many findings). Short gaps name each part; long ones are one
  /// finding for the range.
  static func gapFindings(numbers: Set<Int>, orgId: String) -> [Finding] {
    let sorted = numbers.sorted()
    guard let highest = sorted.last else { return [] }
    var findings: [Finding] = []
    var previous = 0
    for number in sorted {
      defer { previous = number }
      guard number > previous + 1 else { continue }
      let first = previous + 1
      let last = number - 1
      let count = last - first + 1
      if count <= 20 {
        for missing in first...last {
          findings.append(
            Finding(
              .partMissing,
              "part \(missing) of \(highest) is missing (expected WE_\(orgId)_\(missing).ZIP)",
              at: FindingLocation(part: "WE_\(orgId)_\(missing).ZIP")))
        }
      } else {
        var message =
          "parts \(first) to \(last) of \(highest) are missing (\(count) parts, WE_\(orgId)_\(first).ZIP to WE_\(orgId)_\(last).ZIP)"
        if number > maximumPlausiblePartNumber {
          message +=
            "; no real export has \(number) parts: if WE_\(orgId)_\(number).ZIP was renamed by hand (a date appended?), give it its real number"
        }
        findings.append(
          Finding(.partMissing, message, at: FindingLocation(part: "WE_\(orgId)_\(first).ZIP")))
      }
    }
    return findings
  }

  /// Exports of a few thousand parts are reported; far beyond that a number is a renamed file.
  static let maximumPlausiblePartNumber = 100_000

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
