import Foundation

/// Every file a metadata row expects, against the files the parts hold: missing, wrong size or
/// checksum, orphans; a whole folder absent is one finding naming the export option.
extension ExportVerifier {
  func checkFiles(
    _ checker: ExportChecker, incompleteInput: Bool, missingPartInferred: Bool,
    into findings: inout FindingCollector
  ) -> [VerificationReport.Files] {
    var summaries: [VerificationReport.Files] = []
    for folder in BinaryFolder.all {
      let manifest = checker.manifest(for: folder)
      // A whole folder absent means the export option was off, unless a part not downloaded
      // explains it: then each file is named, under that part.
      // A folder whose export option evidently was on (another folder of the same option has
      // files) lost its files some other way: they are named one by one.
      let optionWasOn = BinaryFolder.all.contains { other in
        other.exportOption == folder.exportOption && checker.manifest(for: other).presentCount > 0
      }
      let missing: Int
      if !manifest.expected.isEmpty && manifest.presentCount == 0 && !missingPartInferred
        && !optionWasOn
      {
        reportAbsentFolder(folder, manifest, incompleteInput: incompleteInput, into: &findings)
        missing = manifest.expected.count
      } else {
        missing = checkExpectedFiles(folder, manifest, into: &findings)
      }
      reportOrphans(folder, manifest, into: &findings)
      summaries.append(
        VerificationReport.Files(
          folder: folder.name, metadataObject: folder.metadataObject,
          expected: manifest.expected.count, present: manifest.presentCount, missing: missing,
          bytes: manifest.presentBytes))
    }
    return summaries
  }

  private var fileSeverity: Severity { options.filesExcluded ? .warning : .error }

  /// The whole folder is absent: one finding naming the export option, not thousands.
  private func reportAbsentFolder(
    _ folder: BinaryFolder, _ manifest: FolderManifest, incompleteInput: Bool,
    into findings: inout FindingCollector
  ) {
    var message =
      "\(manifest.expected.count) \(folder.metadataObject) rows expect files in \(folder.name)/, and the bundle has none: "
    if options.filesExcluded {
      message += "files were left out on purpose (--no-files)"
    } else if incompleteInput {
      message +=
        "probably in the missing or damaged part; if not, the export was made without \"\(folder.exportOption)\""
    } else {
      message +=
        "the export was made without \"\(folder.exportOption)\", or its files are in parts not given (nothing inside a part says how many there are)"
    }
    findings.add(
      Finding(
        .filesNotIncluded, message, at: FindingLocation(entry: folder.name + "/"),
        severity: fileSeverity))
  }

  /// Each expected file, in the order its rows were read: missing, or present with another
  /// size or checksum. Returns how many are missing.
  private func checkExpectedFiles(
    _ folder: BinaryFolder, _ manifest: FolderManifest, into findings: inout FindingCollector
  ) -> Int {
    var missing = 0
    let ordered = manifest.expected.sorted { a, b in
      (a.value.source, a.value.line) < (b.value.source, b.value.line)
    }
    for (id, expected) in ordered {
      // Built only for a finding: most of tens of thousands of files have none.
      var location: FindingLocation {
        FindingLocation(
          part: manifest.sources[expected.source],
          entry: expected.onlyInOrgList ? nil : folder.metadataObject + ".csv",
          object: folder.metadataObject, line: Int(expected.line),
          record: Int(expected.record), recordId: id.description)
      }
      guard let present = manifest.present[id] else {
        missing += 1
        findings.add(
          Finding(
            .fileMissing,
            "\(folder.name)/\(id) is not in any part (its \(folder.metadataObject) row says \(expected.size >= 0 ? "\(expected.size) bytes" : "it exists"))",
            at: location, severity: fileSeverity))
        continue
      }
      // A damaged entry is already an entry-corrupt finding; its size says nothing more.
      guard present.intact else { continue }
      let presentPart = manifest.sources[present.source]
      if expected.size >= 0, expected.size != present.size {
        findings.add(
          Finding(
            .fileSizeMismatch,
            "\(folder.name)/\(id) in \(presentPart) has \(present.size) bytes; its \(folder.metadataObject).\(folder.sizeColumn) says \(expected.size)",
            at: location, severity: fileSeverity))
      } else if let md5 = expected.md5, let actual = present.md5, md5 != actual {
        findings.add(
          Finding(
            .fileChecksumMismatch,
            "\(folder.name)/\(id) in \(presentPart) has MD5 \(actual.hex); \(checksumOrigin(expected, folder)) says \(md5.hex)",
            at: location, severity: fileSeverity))
      }
    }
    return missing
  }

  /// Where an expected checksum came from: the org's list, or the metadata CSV's column.
  private func checksumOrigin(_ expected: FolderManifest.Expected, _ folder: BinaryFolder)
    -> String
  {
    guard expected.md5FromOrg else {
      return "\(folder.metadataObject).\(folder.checksumColumn ?? "Hash")"
    }
    let checksumFile =
      options.expectedChecksums.map { ($0.source as NSString).lastPathComponent }
      ?? (options.inventory != nil ? inventorySource : nil)
    return "the org's Checksum in \(checksumFile ?? "the checksum file")"
  }

  /// Files no row claims, and files whose name is no record Id.
  private func reportOrphans(
    _ folder: BinaryFolder, _ manifest: FolderManifest, into findings: inout FindingCollector
  ) {
    let orphans = manifest.present.filter { manifest.expected[$0.key] == nil }.sorted { a, b in
      (a.value.source, a.key.description) < (b.value.source, b.key.description)
    }
    for (id, present) in orphans {
      let why =
        manifest.metadataSeen
        ? "no \(folder.metadataObject) row claims it"
        : "\(folder.metadataObject).csv is not in the export"
      findings.add(
        Finding(
          .fileOrphan, "\(folder.name)/\(id): \(why)",
          at: FindingLocation(
            part: manifest.sources[present.source], entry: "\(folder.name)/\(id)",
            recordId: id.description)))
    }
    for file in manifest.unnamed {
      findings.add(
        Finding(
          .fileOrphan, "\(file.path): the name is not a record Id, so no row can claim it",
          at: FindingLocation(part: file.part, entry: file.path)))
    }
  }
}
