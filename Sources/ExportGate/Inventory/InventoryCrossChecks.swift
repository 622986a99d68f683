import Foundation

/// What `verify` checks against the org's inventory: objects the org holds that the export
/// lacks, fewer records than the org held at T, stored fields that are not columns, files the
/// org stores that the export lacks or holds with other bytes, and whether the inventory itself
/// can bear that weight (another org, a limited user, taken long after the export).
struct InventoryCrossChecks {
  let inventory: OrgInventory
  /// The inventory's file name, named in every finding as its evidence.
  let source: String
  let options: VerificationOptions

  /// Below this share of an approximate count, fewer records is worth a warning.
  static let approximateTolerance = 0.10
  /// Taken more than this after T, the inventory's describes and approximations have drifted.
  static let staleAfter: TimeInterval = 72 * 3600

  /// Fields every export leaves out though the API describes them (KB 000387427, and
  /// ContentVersion.csv in real exports), by object (`*` for every object).
  static let neverWritten: [String: Set<String>] = [
    "*": ["LastViewedDate", "LastReferencedDate"],
    "Account": ["PhotoUrl", "IsCustomerPortal"],
    "Contact": ["IsEmailBounced"],
    "UserRole": ["DeveloperName"],
    "ContentVersion": ["Checksum", "FileExtension"],
  ]

  /// The rule that keeps a described field from being required as a column, or nil.
  static func exclusion(of field: OrgInventory.Field, in object: String) -> String? {
    if field.calculated { return "formula or roll-up summary (calculated): never exported" }
    switch field.type.lowercased() {
    case "address", "location":
      return "compound address or location: its components are the columns"
    case "base64": return "binary: the export writes the file itself"
    default: break
    }
    if neverWritten["*"]?.contains(field.name) == true
      || neverWritten[object]?.contains(field.name) == true
    {
      return "never written by the Data Export"
    }
    return nil
  }

  /// Runs every check; returns what was compared, for the report.
  func check(
    checker: ExportChecker, orgId: String?, names: ObjectNameResolver,
    into findings: inout FindingCollector
  ) -> VerificationReport.InventoryComparison {
    var comparison = VerificationReport.InventoryComparison()
    if let mismatch = orgMismatch(orgId: orgId) {
      findings.add(mismatch)
      comparison.usable = false
      return comparison
    }
    checkEvidence(into: &findings)
    for object in inventory.objects where (object.count.best ?? 0) > 0 {
      comparison.objectsCompared += 1
      var name = object.name
      if case .found(let canonical) = names.resolve(object.name) { name = canonical }
      guard let state = checker.objects[name] else {
        findings.add(notExported(object))
        continue
      }
      checkRecords(object, exported: state, into: &findings)
      checkFields(object, exported: state, comparison: &comparison, into: &findings)
    }
    comparison.filesCompared = checkFiles(
      checker.manifest(for: .contentVersions), into: &findings)
    return comparison
  }

  // MARK: The evidence itself

  private func orgMismatch(orgId: String?) -> Finding? {
    guard let orgId, let inventoried = inventory.user.organizationId,
      orgId.prefix(15) != inventoried.prefix(15)
    else { return nil }
    return Finding(
      .orgInventoryMismatch,
      "\(source) was taken in org \(inventoried) (\(inventory.instance)); the parts are of org \(orgId): nothing is checked against it"
    )
  }

  private func checkEvidence(into findings: inout FindingCollector) {
    let permissions = inventory.permissions
    var missing: [String] = []
    if permissions.viewAllData != true {
      missing.append(
        permissions.viewAllData == nil
          ? "View All Data (could not be confirmed)"
          : "View All Data: counts cover only the records the user sees")
    }
    if permissions.queryAllFiles != true && inventory.contentFiles != nil {
      missing.append(
        permissions.queryAllFiles == nil
          ? "Query All Files (could not be confirmed)"
          : "Query All Files: the file list covers only the files the user sees")
    }
    if !missing.isEmpty {
      findings.add(
        Finding(
          .orgInventoryLimited,
          "\(source) was taken by \(inventory.user.username ?? "a user") without \(missing.joined(separator: "; without ")): it is a lower bound of what the org holds"
        ))
    }
    // What the org would not answer narrows the claim: said, never silently dropped.
    if inventory.contentFiles == nil || !inventory.problems.isEmpty {
      var gaps: [String] = []
      if inventory.contentFiles == nil { gaps.append("no list of the org's files") }
      if !inventory.problems.isEmpty {
        gaps.append(
          "\(inventory.problems.count) question(s) the org did not answer, e.g. \(inventory.problems[0])"
        )
      }
      findings.add(
        Finding(
          .orgInventoryLimited,
          "\(source) is incomplete: \(gaps.joined(separator: "; ")): what it lacks is not checked"
        ))
    }
    if let taken = inventory.takenAtDate, let asOf = inventory.asOfDate,
      taken.timeIntervalSince(asOf) > Self.staleAfter
    {
      let days = Int(taken.timeIntervalSince(asOf) / 86_400)
      findings.add(
        Finding(
          .orgInventoryStale,
          "\(source) was taken \(days) day(s) after \(inventory.asOf), long after the export's links expired (48 hours): counts as of that moment still hold, but fields added and approximate counts may have drifted since the export"
        ))
    }
  }

  // MARK: Objects and records

  private func notExported(_ object: OrgInventory.Object) -> Finding {
    let count = object.count
    let exact = count.asOf.map { $0 > 0 } ?? false
    let held =
      exact
      ? "\(count.asOf ?? 0) \(object.name) record(s) created by \(inventory.asOf)"
      : "about \(count.best ?? 0) \(object.name) record(s) (\(count.now != nil ? "counted now" : "approximate"))"
    let loss = exact && InventoryScope.absenceIsLoss(name: object.name, custom: object.custom)
    let why =
      loss
      ? "the export was made without this object: tick it (or \"Include all data\") and export again"
      : "the Data Export may not hold this object at all; check that it was selected"
    return Finding(
      .orgObjectNotExported,
      "the org holds \(held) (\(source)), and the export has no \(object.name).csv: \(why)",
      at: FindingLocation(object: object.name), severity: loss ? .error : .warning)
  }

  private func checkRecords(
    _ object: OrgInventory.Object, exported state: ObjectState,
    into findings: inout FindingCollector
  ) {
    let count = object.count
    let held = state.records
    let location = FindingLocation(entry: object.name + ".csv", object: object.name)
    if let asOf = count.asOf, held < asOf {
      findings.add(
        Finding(
          .orgRecordsMissing,
          "the export holds \(held) \(object.name) record(s); the org held \(asOf) created by \(inventory.asOf) (\(source)): \(asOf - held) missing\(state.incomplete ? ", and the CSV could not be read whole" : "")",
          at: location))
    } else if count.asOf == nil, let approximate = count.approximate ?? count.now,
      Double(held) < Double(approximate) * (1 - Self.approximateTolerance)
    {
      findings.add(
        Finding(
          .orgRecordsMissing,
          "the export holds \(held) \(object.name) record(s); the org's \(count.approximate != nil ? "approximate count" : "count now") is \(approximate) (\(source); no count as of the export: \(count.asOfUnavailable ?? "unknown")), more than \(Int(Self.approximateTolerance * 100))% fewer",
          at: location, severity: .warning))
    }
    if let now = count.now, held > now {
      findings.add(
        Finding(
          .orgRecordsDeleted,
          "the export holds \(held) \(object.name) record(s), \(held - now) more than the org has now (\(source)): deleted since the export",
          at: location))
    }
  }

  private func checkFields(
    _ object: OrgInventory.Object, exported state: ObjectState,
    comparison: inout VerificationReport.InventoryComparison, into findings: inout FindingCollector
  ) {
    guard let fields = object.fields, let header = state.header else { return }
    let columns = Set(header.map { $0.lowercased() })
    for field in fields {
      if let rule = Self.exclusion(of: field, in: object.name) {
        comparison.fieldsExcluded[rule, default: 0] += 1
        continue
      }
      comparison.fieldsCompared += 1
      guard !columns.contains(field.name.lowercased()) else { continue }
      findings.add(
        Finding(
          .orgFieldNotExported,
          "\(object.name).\(field.name) (\(field.type)) is a stored field of the org (\(source)) and not a column of \(object.name).csv: usually field-level security hid it from the exporting user",
          at: FindingLocation(entry: object.name + ".csv", object: object.name, field: field.name)
        ))
    }
  }

  // MARK: Files

  /// The org's files against the ContentVersion folder; returns how many were compared.
  private func checkFiles(_ manifest: FolderManifest, into findings: inout FindingCollector)
    -> Int
  {
    guard let files = inventory.contentFiles else { return 0 }
    let sourceIndex = manifest.source(source)
    var absent: [(RecordId, OrgInventory.ContentFile)] = []
    for file in files {
      guard let id = RecordId(file.id) else { continue }
      let known = manifest.addOrgChecksum(
        id: id, md5: file.checksum.flatMap { FolderManifest.Digest(hex: $0) }, size: file.size,
        line: 0, source: sourceIndex, evenIfAbsent: false)
      if !known { absent.append((id, file)) }
    }
    if !absent.isEmpty && manifest.expected.isEmpty && manifest.presentCount == 0 {
      // Not one version in the export: one finding naming the option, not thousands.
      findings.add(
        Finding(
          .orgFileNotExported,
          "the org stores \(absent.count) Salesforce File version(s) created by \(inventory.asOf) (\(source)), and the export holds neither their ContentVersion rows nor their files: it was made without \"Include Salesforce Files and Salesforce CRM Content document versions\"",
          at: FindingLocation(entry: BinaryFolder.contentVersions.name + "/")))
      return files.count
    }
    for (id, file) in absent {
      findings.add(
        Finding(
          .orgFileNotExported,
          "ContentVersion \(id) (\(file.size.map { "\($0) bytes" } ?? "size unknown")) is stored in the org (\(source)), and the export has neither its row nor its file",
          at: FindingLocation(object: "ContentVersion", recordId: id.description)))
    }
    return files.count
  }
}
