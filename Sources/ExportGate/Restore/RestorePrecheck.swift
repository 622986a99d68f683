/// What `verify` would refuse that can be seen before a restore writes anything, from the
/// parts' names, sizes and ends alone (no entry is read): parts that are not whole ZIPs (cut
/// short, a login page saved in place of the part), parts the numbering or the part list says
/// are missing, parts of another org. Restore says so first, then goes on with what is whole:
/// every file in a damaged or missing part is then `failed` in the manifest, never written.
public struct RestorePrecheck: Sendable {
  /// One line per problem, its finding code first.
  public let problems: [String]

  public init(paths: [String]) throws {
    let bundle = try BundleLocator.locate(paths)
    var problems = bundle.findings.filter { $0.severity == .error }.map {
      "\($0.code.rawValue): \($0.location.part.map { "\($0): " } ?? "")\($0.message)"
    }
    for part in bundle.parts where !bundle.excludedParts.contains(part.name) {
      let probe = ZipProbe(path: part.path, fileSize: part.bytes)
      if let reason = probe.unreadableReason {
        problems.append("\(FindingCode.partUnreadable.rawValue): \(part.name): \(reason)")
      } else if probe.endOfCentralDirectory == nil {
        problems.append(
          "\(FindingCode.partTruncated.rawValue): \(part.name): the file ends without the ZIP's end record (the download stopped early)"
        )
      }
    }
    self.problems = problems
  }

  /// What a person reads before the restore starts; nil when nothing is seen.
  public var warning: String? {
    guard !problems.isEmpty else { return nil }
    return "WARNING: verify would refuse this export:\n"
      + problems.map { "  - \($0)\n" }.joined()
      + "Restoring only what is whole: files in damaged or missing parts are listed as not restored in manifest.csv. Download those parts again first while the links last, then restore with --resume.\n"
  }
}
