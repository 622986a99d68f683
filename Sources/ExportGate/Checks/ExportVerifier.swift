import Foundation

/// `verify`: reads the bundle once, checks it against the manifest its own data carries, and
/// decides: certified if and only if no finding is an error.
public struct ExportVerifier {
  public let options: VerificationOptions

  public init(options: VerificationOptions = VerificationOptions()) { self.options = options }

  /// Verifies the export at `paths`. Throws only when the input cannot be read at all.
  public func verify(paths: [String], progress: ((ScanProgress) -> Void)? = nil) throws
    -> VerificationReport
  {
    let bundle = try BundleLocator.locate(paths)
    // The inventory beside the parts, read before the scan: its file list decides which
    // files get an MD5 while they stream by. One that cannot be read stops the run; a gate
    // that drops its evidence would certify less than it says.
    if options.inventory == nil, let path = bundle.inventoryPath {
      var withInventory = options
      do {
        withInventory.inventory = try OrgInventory.load(path: path)
      } catch {
        throw BundleLocator.InputError(description: "\(error)")
      }
      withInventory.inventoryPath = path
      return try ExportVerifier(options: withInventory).verify(bundle: bundle, progress: progress)
    }
    return try verify(bundle: bundle, progress: progress)
  }

  private func verify(bundle: ExportBundle, progress: ((ScanProgress) -> Void)?) throws
    -> VerificationReport
  {
    let scanner = BundleScanner(bundle: bundle, limits: options.limits, jobs: options.jobs)
    // One checker per part or folder, merged in bundle order as soon as a source and all
    // before it are read (then released): the same result for any --jobs, and per-part state
    // never piles up.
    let checker = ExportChecker(options: options)
    let merger = OrderedMerger(count: scanner.sourceCount, into: checker, options: options)
    let ingest = scanner.scan(
      visitorFor: { merger.checker(for: $0) }, progress: progress,
      sourceDone: { merger.done($0) })
    merger.finish()

    var findings = checker.findings
    checkPartList(bundle, ingest, into: &findings)
    let names = ObjectNameResolver(objects: checker.objects.keys)
    try rejectTypos(names)
    checkObjects(checker, names: names, into: &findings)
    OrgCrossChecks(options: options).check(
      checker: checker, ingest: ingest, names: names, into: &findings)
    if let checksums = options.expectedChecksums {
      OrgCrossChecks.addExpectedChecksums(checksums, to: checker.manifest(for: .contentVersions))
    }
    let comparison = options.inventory.map { inventory in
      InventoryCrossChecks(inventory: inventory, source: inventorySource, options: options).check(
        checker: checker, orgId: ingest.orgId ?? bundle.orgId, names: names, into: &findings)
    }
    // Whole against the org: every object, record and stored file it held is here.
    let provenWhole =
      comparison?.usable == true
      && [.orgObjectNotExported, .orgRecordsMissing, .orgFileNotExported].allSatisfy {
        findings.countByCode[$0, default: 0] == 0
      }
    let ingestFindings = Self.renamedPartGaps(
      ingest.findings, checker: checker, hasPartList: bundle.partList != nil,
      provenWhole: provenWhole)
    findings.add(contentsOf: ingestFindings)
    let incompleteInput = ingestFindings.contains {
      [.partMissing, .partTruncated, .partUnreadable, .partCorrupt].contains($0.code)
        && $0.severity == .error
    }
    let missingFiles = BinaryFolder.all.reduce(0) { total, folder in
      let manifest = checker.manifest(for: folder)
      return total + manifest.expected.keys.filter { manifest.present[$0] == nil }.count
    }
    // With fetch's part list, a missing part is a fact already reported, never inferred.
    let missingPart =
      options.filesExcluded || bundle.partList != nil
      ? nil
      : MissingLastPartInference(parts: ingest.parts, orgId: ingest.orgId).finding(
        missingFiles: missingFiles, damagedInput: incompleteInput)
    if let missingPart { findings.add(missingPart) }
    let files = checkFiles(
      checker, incompleteInput: incompleteInput,
      missingPartInferred: missingPart.map { $0.severity == .error } ?? false,
      into: &findings)
    checkReferences(checker, into: &findings)
    checkEncodings(checker, into: &findings)
    var report = makeReport(ingest: ingest, checker: checker, files: files, findings: findings)
    describeEvidence(bundle, comparison: comparison, in: &report)
    return report
  }

  /// Each part against fetch's part list: the bytes verified are the bytes fetch downloaded.
  private func checkPartList(
    _ bundle: ExportBundle, _ ingest: IngestResult, into findings: inout FindingCollector
  ) {
    if let list = bundle.partList {
      for listed in list.parts {
        guard let sha = listed.sha256,
          let part = ingest.parts.first(where: { $0.name == listed.name }), let actual = part.sha256
        else { continue }
        if actual != sha || (listed.bytes.map { $0 != part.bytes } ?? false) {
          findings.add(
            Finding(
              .partListMismatch,
              "\(part.name) has \(part.bytes) bytes (SHA-256 \(actual.prefix(16))...); fetch downloaded \(listed.bytes.map(String.init) ?? "?") bytes (SHA-256 \(sha.prefix(16))...) and recorded them in \(ExportPartList.fileName)",
              at: FindingLocation(part: part.name)))
        }
      }
    }
  }

  /// What the report was checked against besides the parts: the part list, the inventory,
  /// the policy.
  private func describeEvidence(
    _ bundle: ExportBundle, comparison: VerificationReport.InventoryComparison?,
    in report: inout VerificationReport
  ) {
    if let list = bundle.partList, let path = bundle.partListPath {
      report.export.partList = VerificationReport.PartList(
        path: path, sha256: (try? PartHasher.sha256Hex(ofFileAt: path)) ?? "", readAt: list.readAt,
        instance: list.instance, parts: list.parts.count)
    }
    if let inventory = options.inventory, let comparison {
      report.inventory = VerificationReport.InventoryInfo(
        path: options.inventoryPath ?? OrgInventory.fileName,
        sha256: options.inventoryPath.flatMap { try? PartHasher.sha256Hex(ofFileAt: $0) } ?? "",
        takenAt: inventory.takenAt, asOf: inventory.asOf, asOfSource: inventory.asOfSource,
        instance: inventory.instance, apiVersion: inventory.apiVersion,
        username: inventory.user.username, organizationId: inventory.user.organizationId,
        comparison: comparison)
    }
    report.policy = options.policy.map {
      VerificationReport.PolicyInfo(
        sha256: $0.digest,
        contract: ContractDeadline(policy: $0, now: options.asOf ?? options.now)?.summary)
    }
  }

  /// A gap in the part numbering is evidence of a missing part only while something may be
  /// missing. Files alone cannot prove nothing is (a part may hold only CSV pieces); the org's
  /// inventory can: when every object, record and stored file it held is here, every file the
  /// metadata lists is present and no part is damaged, the gap is a part named wrong (renamed
  /// by hand), a warning about names rather than advice to download what nobody lacks.
  static func renamedPartGaps(
    _ findings: [Finding], checker: ExportChecker, hasPartList: Bool, provenWhole: Bool
  ) -> [Finding] {
    guard !hasPartList, provenWhole, findings.contains(where: { $0.code == .partMissing }) else {
      return findings
    }
    let damaged = findings.contains {
      [.partTruncated, .partUnreadable, .partCorrupt, .entryCorrupt].contains($0.code)
        && $0.severity == .error
    }
    let manifests = BinaryFolder.all.map { checker.manifest(for: $0) }
    let expected = manifests.reduce(0) { $0 + $1.expected.count }
    let missing = manifests.reduce(0) { total, manifest in
      total + manifest.expected.keys.filter { manifest.present[$0] == nil }.count
    }
    guard !damaged, expected > 0, missing == 0 else { return findings }
    return findings.map { finding in
      guard finding.code == .partMissing else { return finding }
      var renamed = finding
      renamed.severity = .warning
      renamed.message +=
        ", yet the export holds every object, record and stored file the org's inventory counted, every one of the \(expected) files its metadata lists is present and no part is damaged: a part was renamed by hand (give each part its name from the Data Export page); nothing needs downloading again"
      return renamed
    }
  }

  /// The inventory's file name, as findings name their evidence.
  var inventorySource: String {
    ((options.inventoryPath ?? OrgInventory.fileName) as NSString).lastPathComponent
  }

  // MARK: Objects

  /// Names a person gave that match nothing but are close to a real object: their typo,
  /// said as such before any finding could blame the export.
  private func rejectTypos(_ names: ObjectNameResolver) throws {
    var given: [(name: String, source: String)] = options.requiredObjects.map {
      ($0, options.requiredObjectsSource)
    }
    given += (options.policy?.minimumRecords.keys.sorted() ?? []).map {
      ($0, "the policy's minimumRecords")
    }
    if let counts = options.expectedCounts {
      let file = (counts.source as NSString).lastPathComponent
      given += counts.counts.keys.sorted().map { ($0, "the counts file \(file)") }
    }
    var typos: [UnknownObjectNames.Name] = []
    for (name, source) in given {
      if case .absent(let suggestion?, false) = names.resolve(name) {
        typos.append(UnknownObjectNames.Name(name: name, source: source, suggestion: suggestion))
      }
    }
    if !typos.isEmpty { throw UnknownObjectNames(names: typos) }
  }

  private func checkObjects(
    _ checker: ExportChecker, names: ObjectNameResolver, into findings: inout FindingCollector
  ) {
    checkPrefixUnions(checker, into: &findings)
    checkHeaderOnlyCopies(checker, into: &findings)
    for typed in options.requiredObjects {
      var name = typed
      if case .found(let canonical) = names.resolve(typed) { name = canonical }
      guard let state = checker.objects[name] else {
        findings.add(
          Finding(
            .objectMissing,
            "\(name).csv is not in the export: it was not selected for export, or it is in a missing part",
            at: FindingLocation(object: name)))
        continue
      }
      if state.records == 0 {
        findings.add(
          Finding(
            .objectEmpty, "\(name) is required but has no records (header only)",
            at: FindingLocation(object: name)))
      }
    }
  }

  /// A header-only copy of a CSV beside pieces with records: a real export never splits an
  /// object into an empty piece, and an extraction of all parts into one folder keeps one copy
  /// (unzip the last), so the restore could hold no records at all.
  private func checkHeaderOnlyCopies(
    _ checker: ExportChecker, into findings: inout FindingCollector
  ) {
    for name in checker.objectOrder {
      guard let state = checker.objects[name], state.pieceRecords.count > 1,
        state.pieceRecords.contains(where: { $0.records > 0 })
      else { continue }
      for piece in state.pieceRecords where piece.records == 0 {
        let others = state.pieceRecords.filter { $0.records > 0 }
          .map { "\($0.part): \($0.entry) (\($0.records) records)" }.joined(separator: ", ")
        findings.add(
          Finding(
            .entryConflict,
            "a header-only copy of \(name).csv (\(piece.part): \(piece.entry)) beside the pieces with records (\(others)): extracting every part into one folder keeps one of them (unzip the last), so a restore may hold none of the \(state.records) records",
            at: FindingLocation(part: piece.part, entry: piece.entry, object: name)))
      }
    }
  }

  /// An object whose rows carry several key prefixes. Real exports write some objects as the
  /// union of two entities (EventRelation and TaskRelation each hold 0RE and 0RT rows, and
  /// Salesforce has thousands of internal prefixes), so that is a note. It is a warning only
  /// when the rows carry the prefix of a standard object that the export does not hold, which
  /// no export does by itself (a file edited or concatenated by hand).
  private func checkPrefixUnions(_ checker: ExportChecker, into findings: inout FindingCollector) {
    for name in checker.objectOrder {
      guard let state = checker.objects[name], let own = state.prefix,
        !state.otherPrefixes.isEmpty
      else { continue }
      let others = state.otherPrefixes.sorted { $0.key < $1.key }
      let counts = others.map { "\($0.key) (\($0.value) row\($0.value == 1 ? "" : "s"))" }
        .joined(separator: ", ")
      let foreign = others.compactMap { other -> String? in
        guard let owner = StandardObjects.objectByPrefix[other.key], owner != name,
          checker.objects[owner] == nil,
          (checker.objectsByPrefix[other.key] ?? []).allSatisfy({ $0 == name })
        else { return nil }
        return "\(other.key) is \(owner)'s prefix and \(owner).csv is not in the export"
      }
      let location = FindingLocation(part: state.pieces.first, entry: name + ".csv", object: name)
      if foreign.isEmpty {
        findings.add(
          Finding(
            .idPrefixMismatch,
            "\(name) holds rows of several key prefixes: \(own), and \(counts); real exports write some objects as the union of two entities",
            at: location, severity: .info))
      } else {
        findings.add(
          Finding(
            .idPrefixMismatch,
            "\(name)'s rows carry \(own), and also \(counts): \(foreign.joined(separator: "; "))",
            at: location))
      }
    }
  }

  // MARK: Encodings

  private func checkEncodings(_ checker: ExportChecker, into findings: inout FindingCollector) {
    let invalid = checker.encodingByPiece.filter { $0.invalidAt != nil }
    guard !invalid.isEmpty else { return }
    let valid = checker.encodingByPiece.filter { $0.invalidAt == nil }
    let validNonASCII = valid.filter(\.nonASCII)
    let explanation: String
    let severity: Severity
    switch options.encoding {
    case .utf8:
      (explanation, severity) = ("though --encoding UTF-8 was given", .error)
    case .auto where !validNonASCII.isEmpty:
      // Salesforce writes one export in one encoding: a CSV in another beside CSVs whose text
      // is UTF-8 was re-saved after the export (a person's edit, not the export's choice).
      (explanation, severity) = (
        "while the export's other \(valid.count) CSV(s) are UTF-8 (\(validNonASCII.count) of them with non-ASCII text): an export is written in one encoding, so this CSV was re-saved in another after the export",
        .error
      )
    case .auto:
      (explanation, severity) = (
        "read as ISO-8859-1/Windows-1252, the export page's default; characters outside it were already lost as '?'",
        .warning
      )
    default:
      return
    }
    for piece in invalid {
      var location = piece.location
      location.byteOffset = piece.invalidAt
      findings.add(
        Finding(
          .csvEncoding,
          "not valid UTF-8 (first invalid byte at offset \(piece.invalidAt ?? 0)) \(explanation)",
          at: location, severity: severity))
    }
  }

  // MARK: Report

  /// The inventory's counts are shown only when it is of this export's org.
  private func report(inventoryUsable findings: FindingCollector) -> Bool {
    findings.countByCode[.orgInventoryMismatch, default: 0] == 0
  }

  private func makeReport(
    ingest: IngestResult, checker: ExportChecker, files: [VerificationReport.Files],
    findings: FindingCollector
  ) -> VerificationReport {
    let parts = ingest.parts.map {
      VerificationReport.Part(
        name: $0.name, bytes: $0.bytes, sha256: $0.sha256, number: $0.number, entries: $0.entries,
        folder: $0.isFolder, excludedBecause: $0.excludedBecause)
    }
    let newest = ingest.parts.compactMap(\.newestEntry).max().map {
      ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0)))
    }
    // Counts files name objects in any case, as everywhere else.
    var expected: [String: Int] = [:]
    for (name, count) in options.expectedCounts?.counts ?? [:] {
      expected[name.lowercased()] = count
    }
    var inOrg: [String: Int] = [:]
    if report(inventoryUsable: findings) {
      for object in options.inventory?.objects ?? [] {
        if let count = object.count.asOf { inOrg[object.name.lowercased()] = count }
      }
    }
    let objects = checker.objects.values.sorted { $0.name < $1.name }.map {
      VerificationReport.Object(
        name: $0.name, records: $0.records, columns: $0.header?.count ?? 0,
        parts: Array(Set($0.pieces)).sorted(), complete: !$0.incomplete,
        expectedRecords: expected[$0.name.lowercased()], orgRecords: inOrg[$0.name.lowercased()])
    }
    var ordered = findings.kept.sorted { a, b in
      if a.severity != b.severity { return a.severity > b.severity }
      if a.code != b.code { return a.code.reportOrder < b.code.reportOrder }
      // A total order, so that a report never depends on reading order.
      let left = (a.location.part ?? "", a.location.entry ?? "", a.location.line ?? 0, a.message)
      let right = (b.location.part ?? "", b.location.entry ?? "", b.location.line ?? 0, b.message)
      return left < right
    }
    var linker = CauseLinker { text in
      var bytes = Array(text.utf8)
      let parsed = bytes.withUnsafeMutableBytes { RecordId.parse(UnsafeRawBufferPointer($0)) }
      guard case .success(let id) = parsed else { return nil }
      return checker.objectByPrefix[id.keyPrefix] ?? StandardObjects.objectByPrefix[id.keyPrefix]
    }
    let damaged = Set(
      findings.kept.filter { $0.severity == .error && $0.code.isPartDamage }
        .compactMap(\.location.part))
    linker.objectIsWhole = { name in
      guard let object = checker.objects[name] else { return false }
      return !object.incomplete && damaged.isDisjoint(with: object.pieces)
    }
    linker.link(&ordered, totals: findings.countByCode)
    let summary = VerificationReport.Summary(
      errors: findings.errors, warnings: findings.warnings, infos: findings.infos,
      countsByCode: Dictionary(
        uniqueKeysWithValues: findings.countByCode.map { ($0.key.rawValue, $0.value) }),
      maxFindingsPerCode: findings.limit, records: objects.reduce(0) { $0 + $1.records },
      referencesChecked: checker.references.checked)
    var report = VerificationReport(
      verdict: findings.errors == 0 ? .certified : .notCertified,
      export: VerificationReport.Export(orgId: ingest.orgId, parts: parts, newestEntry: newest),
      objects: objects, files: files,
      findings: ordered.map(VerificationReport.ReportedFinding.init),
      summary: summary)
    report.typedFindings = ordered
    report.verifiedAt = ISO8601DateFormatter().string(from: options.now)
    report.requiredObjects = options.requiredObjects
    return report
  }
}
