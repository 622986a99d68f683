import Foundation

/// The checks that compare the export with what the org and the policy say: record counts
/// (`--expect-counts`), minimum records, the export's age, and the contract's notice deadline.
struct OrgCrossChecks {
  let options: VerificationOptions

  func check(
    checker: ExportChecker, ingest: IngestResult, names: ObjectNameResolver,
    into findings: inout FindingCollector
  ) {
    /// The export's own spelling of a name typed in any case.
    func canonical(_ name: String) -> String {
      if case .found(let found) = names.resolve(name) { return found }
      return name
    }
    if let expected = options.expectedCounts {
      let source = (expected.source as NSString).lastPathComponent
      let counts = expected.counts.map { (canonical($0.key), $0.value) }
      for (object, count) in counts.sorted(by: { $0.0 < $1.0 }) {
        let actual = checker.objects[object]?.records
        guard actual != count else { continue }
        let held = actual.map { "the export holds \($0)" } ?? "the export has no \(object).csv"
        let difference = count - (actual ?? 0)
        findings.add(
          Finding(
            .countMismatch,
            "the org reports \(count) \(object) records (\(source)), \(held) (\(difference > 0 ? "\(difference) fewer" : "\(-difference) more") in the export). Usual causes: records the exporting user cannot see (sharing, visibility), records created or deleted between the count and the export, the Recycle Bin (never exported), or archived activities",
            at: FindingLocation(object: object)))
      }
    }
    if let policy = options.policy {
      let minimums = policy.minimumRecords.map { (canonical($0.key), $0.value) }
      for (object, minimum) in minimums.sorted(by: { $0.0 < $1.0 }) {
        let actual = checker.objects[object]?.records ?? 0
        if actual < minimum {
          findings.add(
            Finding(
              .objectTooFewRecords,
              "\(object) has \(actual) record(s); the policy requires at least \(minimum)",
              at: FindingLocation(object: object)))
        }
      }
      if let maxDays = policy.maxExportAgeDays,
        let newest = ingest.parts.compactMap(\.newestEntry).max()
      {
        let age = ((options.asOf ?? options.now).timeIntervalSince1970 - Double(newest)) / 86_400
        if age > Double(maxDays) {
          if let certified = Self.certifiedAt(options.priorCertificate, of: ingest),
            (certified.timeIntervalSince1970 - Double(newest)) / 86_400 <= Double(maxDays)
          {
            let then = Int((certified.timeIntervalSince1970 - Double(newest)) / 86_400)
            findings.add(
              Finding(
                .exportTooOld,
                "the export's newest entry is \(Int(age)) day(s) old today; it was \(then) day(s) old when these parts were certified at \(ISO8601DateFormatter().string(from: certified)) (\(VerificationGate.certificateFileName) beside them), within the policy's \(maxDays): the age is judged as of the certification",
                severity: .info))
          } else {
            findings.add(
              Finding(
                .exportTooOld,
                "the export's newest entry is \(Int(age)) day(s) old; the policy accepts at most \(maxDays) (to judge it as of another day, verify --as-of DATE)"
              ))
          }
        }
      }
      if let finding = ContractDeadline(policy: policy, now: options.asOf ?? options.now)?.finding {
        findings.add(finding)
      }
    }
  }

  /// When `certificate` certified exactly these parts (every part named with the SHA-256 this
  /// run computed, no other): the time it did.
  static func certifiedAt(_ certificate: VerificationStatement?, of ingest: IngestResult) -> Date? {
    guard let certificate, certificate.predicate.verdict == "certified" else { return nil }
    let parts = Dictionary(
      ingest.parts.compactMap { part in part.sha256.map { (part.name, $0) } },
      uniquingKeysWith: { first, _ in first })
    let certified = Dictionary(
      certificate.subject.compactMap { subject in
        subject.digest["sha256"].map { (subject.name, $0) }
      },
      uniquingKeysWith: { first, _ in first })
    guard !parts.isEmpty, parts == certified, parts.count == ingest.parts.count else { return nil }
    return ISO8601DateFormatter().date(from: certificate.predicate.verifiedAt)
  }

  /// Adds the org's checksums to the ContentVersion manifest: rows already expected get the
  /// MD5 to compare; Ids the export has no row for must still have their file.
  static func addExpectedChecksums(_ checksums: ExpectedChecksums, to manifest: FolderManifest) {
    let source = manifest.source((checksums.source as NSString).lastPathComponent)
    for (id, entry) in checksums.entries {
      manifest.addOrgChecksum(
        id: id, md5: FolderManifest.Digest(hex: entry.md5), size: entry.size,
        line: UInt32(clamping: entry.line), source: source, evenIfAbsent: true)
    }
  }
}
