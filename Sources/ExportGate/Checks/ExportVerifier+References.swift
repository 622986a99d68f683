import Foundation

/// Lookups whose target is not in the export: grouped per column, explained where a part or an
/// object left out accounts for them.
extension ExportVerifier {
  func checkReferences(_ checker: ExportChecker, into findings: inout FindingCollector) {
    struct Group {
      var count = 0
      var distinct = 0
      var examples: [(id: RecordId, line: UInt32, source: UInt32)] = []
    }
    var dangling: [UInt32: Group] = [:]
    var absentObjects: [KeyPrefix: (count: Int, columns: Set<UInt32>)] = [:]
    let tracker = checker.references
    // In a fixed order, so that the examples chosen never depend on hashing.
    let ordered = tracker.pending.sorted { a, b in
      (a.column, a.source, a.line, a.target.head, a.target.tail)
        < (b.column, b.source, b.line, b.target.head, b.target.tail)
    }
    for pending in ordered {
      let prefix = pending.target.keyPrefix
      if let object = checker.objectByPrefix[prefix] ?? presentStandardObject(prefix, checker) {
        if checker.objects[object]?.ids.contains(pending.target) == true
          || checker.holds(pending.target)
        {
          continue
        }
        var group = dangling[pending.column] ?? Group()
        group.count += Int(pending.count)
        group.distinct += 1
        if group.examples.count < options.examplesPerGroup {
          group.examples.append((pending.target, pending.line, pending.source))
        }
        dangling[pending.column] = group
      } else if let object = StandardObjects.objectByPrefix[prefix],
        !StandardObjects.neverExported.contains(object)
      {
        var entry = absentObjects[prefix] ?? (0, [])
        entry.count += Int(pending.count)
        entry.columns.insert(pending.column)
        absentObjects[prefix] = entry
      }
    }
    // Largest first; ties by column, so that which groups a capped report keeps never
    // depends on hashing.
    let byCount = dangling.sorted { a, b in
      if a.value.count != b.value.count { return a.value.count > b.value.count }
      let left = tracker.columns[a.key]
      let right = tracker.columns[b.key]
      return (left.object, left.column) < (right.object, right.column)
    }
    for (column, group) in byCount {
      let (object, name) = (tracker.columns[column].object, tracker.columns[column].column)
      let examples = group.examples.sorted { $0.line < $1.line }
      let first = examples.first
      let source = first.map { tracker.sources[$0.source] }
      let exampleText = examples.map { "\($0.id) (line \($0.line))" }.joined(separator: ", ")
      findings.add(
        Finding(
          .referenceDangling,
          "\(group.count) value\(group.count == 1 ? "" : "s") of \(object).\(name) (\(group.distinct) distinct) point\(group.count == 1 ? "s" : "") to records not in the export, e.g. \(exampleText)",
          at: FindingLocation(
            part: source?.part, entry: source?.entry, object: object,
            line: first.map { Int($0.line) }, recordId: first?.id.description, field: name)))
    }
    for (prefix, entry) in absentObjects.sorted(by: {
      $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key
    }) {
      let object = StandardObjects.objectByPrefix[prefix] ?? prefix.description
      let columns = entry.columns.map { tracker.columns[$0] }.map {
        "\($0.object).\($0.column)"
      }
      .sorted().prefix(5).joined(separator: ", ")
      findings.add(
        Finding(
          .objectMissingReferenced,
          "\(entry.count) lookup value\(entry.count == 1 ? "" : "s") (\(columns)) point to \(object) (prefix \(prefix)), whose CSV is not in the export",
          at: FindingLocation(object: object)))
    }
  }

  /// A standard object whose CSV is present though header-only (its prefix was never learnt).
  private func presentStandardObject(_ prefix: KeyPrefix, _ checker: ExportChecker) -> String? {
    guard let name = StandardObjects.objectByPrefix[prefix], checker.objects[name] != nil else {
      return nil
    }
    return name
  }
}
