/// Nothing inside a part says how many parts an export has, so a last part that was never
/// downloaded leaves no gap in the numbering: only its files go missing. This tells that
/// case apart from an export made without files, so that the advice is "download the next
/// part" (while the links last) rather than "export again" (which deletes the export).
struct MissingLastPartInference {
  /// Salesforce fills each part up to about 512 MB before starting the next.
  static let nominalPartBytes: Int64 = 512 << 20
  /// How full the last part given must be, against the fullest other part (or, alone,
  /// against the nominal size), to look like one that was followed by another.
  static let fullRatio = 0.85

  let parts: [PartSummary]
  let orgId: String?

  /// The finding naming the part that is probably missing (an error), or that may be (a
  /// warning, when the parts' sizes do not tell: a small export's last part is small), or nil:
  /// `missingFiles` files the metadata lists are in no part, and no part is damaged.
  func finding(missingFiles: Int, damagedInput: Bool) -> Finding? {
    guard missingFiles > 0, !damagedInput else { return nil }
    let zips = parts.filter { !$0.isFolder && $0.excludedBecause == nil }
    guard !zips.isEmpty, zips.count == parts.filter({ $0.excludedBecause == nil }).count else {
      return nil
    }
    let numbered = zips.allSatisfy { $0.number != nil }
    let ordered = numbered ? zips.sorted { ($0.number ?? 0) < ($1.number ?? 0) } : zips
    guard let last = ordered.last else { return nil }
    let others = ordered.dropLast()
    let nextName: String
    if numbered, let number = last.number, let org = last.orgId ?? orgId {
      nextName = "WE_\(org)_\(number + 1).ZIP"
    } else {
      nextName = "the part after \(last.name)"
    }
    guard let evidence = fullness(last: last, others: Array(others)) else {
      return mayBeMissing(
        nextName, ordered: ordered, numbered: numbered, missingFiles: missingFiles)
    }
    return Finding(
      .partMissing,
      "\(nextName) is probably missing (not downloaded): \(missingFiles) file\(missingFiles == 1 ? "" : "s") the metadata lists \(missingFiles == 1 ? "is" : "are") in no part, no part given is damaged, and \(evidence). The Data Export page lists every part: download \(nextName) and any after it",
      at: FindingLocation(part: nextName.hasPrefix("WE_") ? nextName : nil))
  }

  /// Why the last part given looks followed by another (as full as parts get), or nil.
  private func fullness(last: PartSummary, others: [PartSummary]) -> String? {
    if others.isEmpty {
      let full = Int64(Double(Self.nominalPartBytes) * Self.fullRatio)
      guard last.bytes >= full || last.uncompressedBytes >= full else { return nil }
      return "\(last.name) (\(ByteFormat.human(last.bytes))) is as full as a Data Export part gets"
    }
    let fullest = others.map(\.bytes).max() ?? 0
    let fullestContent = others.map(\.uncompressedBytes).max() ?? 0
    let fullByBytes = Double(last.bytes) >= Double(fullest) * Self.fullRatio
    let fullByContent = Double(last.uncompressedBytes) >= Double(fullestContent) * Self.fullRatio
    guard fullByBytes || fullByContent else { return nil }
    return
      "the last part given, \(last.name) (\(ByteFormat.human(last.bytes))), is as full as the parts before it, as every part but an export's last is"
  }

  /// Files are missing, nothing is damaged, and the sizes say nothing: a last part may still
  /// be missing (a small export's last part is small). Said plainly, as a warning, with what
  /// would settle it; the missing files stay errors of their own.
  private func mayBeMissing(
    _ nextName: String, ordered: [PartSummary], numbered: Bool, missingFiles: Int
  ) -> Finding {
    let given =
      ordered.count == 1
      ? "the one part given is \(ordered[0].name)"
      : "the parts given are \(ordered.map(\.name).joined(separator: ", "))"
        + (numbered ? ", numbered without a gap" : "")
    return Finding(
      .partMissing,
      "the bundle may be incomplete: \(given); \(missingFiles) file\(missingFiles == 1 ? "" : "s") the metadata lists \(missingFiles == 1 ? "is" : "are") in no part, and no part given is damaged. A missing last part leaves no gap in the numbering, so \(nextName) may exist: check that the Data Export page lists no part after \(ordered.last?.name ?? "these"), or fetch the export with `exportgate fetch`, whose part list (export-parts.json) settles it",
      at: FindingLocation(part: nextName.hasPrefix("WE_") ? nextName : nil), severity: .warning)
  }
}
