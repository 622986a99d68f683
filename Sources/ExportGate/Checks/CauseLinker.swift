/// Links findings to the finding that explains them, so that a report leads with causes and
/// nests their consequences: one unreadable part explains the files, records and references
/// that would have been in it; one damaged CSV explains the lookups into its object that no
/// longer resolve. The verdict never changes here, only the reading.
struct CauseLinker {
  /// Damage to a whole part: whatever the bundle lacks may have been in it.
  static let partCauses: Set<FindingCode> = [
    .partMissing, .partTruncated, .partUnreadable, .partCorrupt, .partZipBomb,
  ]
  /// What a damaged or absent part can explain anywhere in the bundle.
  static let bundleConsequences: Set<FindingCode> = [
    .fileMissing, .filesNotIncluded, .fileOrphan, .referenceDangling, .objectMissing,
    .objectMissingReferenced, .objectEmpty, .countMismatch, .objectTooFewRecords,
    .orgObjectNotExported, .orgRecordsMissing, .orgFileNotExported,
  ]
  /// What an object the org holds and the export lacks explains about that object.
  static let absentObjectConsequences: Set<FindingCode> = [
    .objectMissing, .objectMissingReferenced, .referenceDangling,
  ]
  /// What a damaged part explains inside itself (a CSV cut off where the part was cut).
  static let partLocalConsequences: Set<FindingCode> = [
    .entryCorrupt, .csvMalformed, .idInvalid, .objectHeaderMismatch,
  ]
  /// Damage to one CSV: it explains its own later damage and lookups into its object.
  static let entryCauses: Set<FindingCode> = [.csvMalformed, .entryCorrupt]
  static let entryLocalConsequences: Set<FindingCode> = [.csvMalformed, .idInvalid]

  /// The object holding a record Id, by its key prefix (for lookups that no longer resolve).
  let objectHolding: (String) -> String?
  /// Whether an object's records were all read, each piece of its CSV whole and none in a
  /// damaged part: a lost part cannot explain a lookup into such an object.
  var objectIsWhole: (String) -> Bool = { _ in false }

  /// Gives every finding its `id` (`F1`... in the given order), links consequences to causes
  /// and fills in what each cause explains. `totals` are the counts per code over all
  /// findings, kept or not, so that a cause explaining every finding of a code says how many
  /// there really were.
  func link(_ findings: inout [Finding], totals: [FindingCode: Int]) {
    for index in findings.indices { findings[index].id = "F\(index + 1)" }
    let partCauseIndices = findings.indices.filter {
      Self.partCauses.contains(findings[$0].code) && findings[$0].severity == .error
    }
    // Inside a damaged part, what it explains there.
    for cause in partCauseIndices {
      guard let part = findings[cause].location.part else { continue }
      for index in findings.indices
      where index != cause && findings[index].causedBy == nil
        && findings[index].location.part == part
        && Self.partLocalConsequences.contains(findings[index].code)
      {
        findings[index].causedBy = findings[cause].id
      }
    }
    // Inside a damaged CSV: the first damage explains the later damage and the lookups into
    // the object that no longer resolve.
    var entryCauseByEntry: [String: Int] = [:]
    var entryCauseByObject: [String: Int] = [:]
    for index in findings.indices
    where Self.entryCauses.contains(findings[index].code) && findings[index].severity == .error {
      guard let entry = findings[index].location.entry else { continue }
      let key = (findings[index].location.part ?? "") + "\u{0}" + entry
      if let existing = entryCauseByEntry[key] {
        if (findings[index].location.line ?? 0) < (findings[existing].location.line ?? 0) {
          entryCauseByEntry[key] = index
        }
      } else {
        entryCauseByEntry[key] = index
      }
    }
    for cause in entryCauseByEntry.values.sorted() {
      if let object = findings[cause].location.object, entryCauseByObject[object] == nil {
        entryCauseByObject[object] = cause
      }
    }
    for index in findings.indices where findings[index].causedBy == nil {
      let finding = findings[index]
      if let entry = finding.location.entry,
        let cause = entryCauseByEntry[(finding.location.part ?? "") + "\u{0}" + entry],
        cause != index, Self.entryLocalConsequences.contains(finding.code)
      {
        findings[index].causedBy = findings[cause].id
      } else if finding.code == .referenceDangling, let target = finding.location.recordId,
        let object = objectHolding(target), let cause = entryCauseByObject[object]
      {
        findings[index].causedBy = findings[cause].id
      }
    }
    linkAbsentObjects(&findings)
    // A damaged or absent part explains what the bundle lacks, when it can have caused it: a
    // lookup into an object read whole is not explained by a lost part (the healthy export
    // shows it too). A cause's own cause wins: an entry damaged because its part was cut is
    // explained by the part.
    if let primary = partCauseIndices.first {
      for index in findings.indices
      where findings[index].causedBy == nil && index != primary
        && Self.bundleConsequences.contains(findings[index].code)
        && canBeLost(findings[index])
      {
        findings[index].causedBy = findings[primary].id
      }
    }
    resolveChains(&findings)
    fillExplains(&findings, totals: totals)
  }

  /// Whether what `finding` says is missing could have been in a lost or damaged part.
  private func canBeLost(_ finding: Finding) -> Bool {
    guard finding.code == .referenceDangling else { return true }
    guard let object = finding.location.recordId.flatMap(objectHolding) else { return false }
    return !objectIsWhole(object)
  }

  /// An object the org holds and the export lacks (`org-object-not-exported`) explains the
  /// same object missing and the lookups into it that cannot resolve.
  private func linkAbsentObjects(_ findings: inout [Finding]) {
    var causeByObject: [String: Int] = [:]
    for index in findings.indices
    where findings[index].code == .orgObjectNotExported && findings[index].severity == .error {
      if let object = findings[index].location.object, causeByObject[object] == nil {
        causeByObject[object] = index
      }
    }
    guard !causeByObject.isEmpty else { return }
    for index in findings.indices
    where findings[index].causedBy == nil
      && Self.absentObjectConsequences.contains(findings[index].code)
    {
      let finding = findings[index]
      let object =
        finding.code == .referenceDangling
        ? finding.location.recordId.flatMap(objectHolding) : finding.location.object
      if let object, let cause = causeByObject[object] {
        findings[index].causedBy = findings[cause].id
      }
    }
  }

  /// A consequence of a consequence is attached to the root cause.
  private func resolveChains(_ findings: inout [Finding]) {
    var indexById: [String: Int] = [:]
    for index in findings.indices { if let id = findings[index].id { indexById[id] = index } }
    for index in findings.indices {
      var cause = findings[index].causedBy
      var hops = 0
      while let current = cause, let next = indexById[current].flatMap({ findings[$0].causedBy }),
        hops < findings.count
      {
        cause = next
        hops += 1
      }
      findings[index].causedBy = cause
    }
  }

  private func fillExplains(_ findings: inout [Finding], totals: [FindingCode: Int]) {
    var countsByCause: [String: [FindingCode: Int]] = [:]
    var keptByCode: [FindingCode: Int] = [:]
    var linkedCauseByCode: [FindingCode: Set<String>] = [:]
    for finding in findings {
      keptByCode[finding.code, default: 0] += 1
      guard let cause = finding.causedBy else { continue }
      countsByCause[cause, default: [:]][finding.code, default: 0] += 1
      linkedCauseByCode[finding.code, default: []].insert(cause)
    }
    for index in findings.indices {
      guard let id = findings[index].id, let counts = countsByCause[id] else { continue }
      findings[index].explains = counts.map { code, count in
        // Every kept finding of the code has this cause: so have those past the limit.
        let allOfCode = count == keptByCode[code] && linkedCauseByCode[code]?.count == 1
        return ExplainedCount(
          code: code, count: allOfCode ? max(totals[code] ?? count, count) : count)
      }
      .sorted {
        $0.code.defaultSeverity != $1.code.defaultSeverity
          ? $0.code.defaultSeverity > $1.code.defaultSeverity
          : $0.code.reportOrder < $1.code.reportOrder
      }
    }
  }
}
