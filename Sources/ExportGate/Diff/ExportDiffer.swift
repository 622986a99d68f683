/// `exportgate diff`: compares two exports at any size, streaming both. Memory holds OLD's
/// records only (Id -> row hash, see ``RowHashTable``), plus, for changed records, per-field
/// hashes during a second streaming pass that finds which fields changed.
///
/// Passes: (0) headers of both sides (the rest of each CSV is skipped, not inflated); (1) OLD:
/// row hashes over the columns both sides share, file sizes and content hashes; (2) NEW against
/// them: added, changed, unchanged, and OLD's unseen rows are removed; (3, only if records
/// changed) OLD again then NEW again, for changed records only, field by field.
public struct ExportDiffer {
  /// How to compare.
  public struct Options: Sendable {
    /// Examples of added, removed and changed records kept per object.
    public var examples = 0
    /// The exports' encoding (both sides).
    public var encoding: TextEncoding = .auto
    /// Limits against hostile archives, as for verify.
    public var limits = ScanLimits()
    public init() {}
  }

  /// One change, for the CSV listing (`Object,Id,Change,Field,Old,New`).
  public struct Change: Sendable, Equatable {
    public var object: String
    public var id: String
    public var change: String
    public var field: String
    public var old: String
    public var new: String
  }

  public let options: Options

  public init(options: Options = Options()) { self.options = options }

  /// Compares OLD and NEW. `onChange`, when given, receives every change as it is found
  /// (added and removed records, changed fields, file changes). `progress` follows the record
  /// passes over both exports (the bulk of the work), OLD then NEW.
  public func diff(
    old oldPaths: [String], new newPaths: [String], onChange: ((Change) -> Void)? = nil,
    progress: ((ScanProgress) -> Void)? = nil
  ) throws -> DiffReport {
    let oldBundle = try BundleLocator.locate(oldPaths)
    let newBundle = try BundleLocator.locate(newPaths)
    var warnings: [String] = []
    // Six scans, each part audited once; no digest is read, so none is computed (the header
    // pass then reads only what it inflates).
    let session = ScanSession()
    func scanner(_ bundle: ExportBundle) -> BundleScanner {
      var scanner = BundleScanner(bundle: bundle, limits: options.limits)
      scanner.session = session
      scanner.hashesParts = false
      return scanner
    }

    // Pass 0: headers.
    let oldHeaders = HeaderPass(encoding: options.encoding)
    let oldScan = scanner(oldBundle).scan(visitor: oldHeaders)
    let newHeaders = HeaderPass(encoding: options.encoding)
    let newScan = scanner(newBundle).scan(visitor: newHeaders)
    var plans: [String: ObjectPlan] = [:]
    for name in Set(oldHeaders.headers.keys).union(newHeaders.headers.keys) {
      plans[name] = ObjectPlan(
        name: name, oldHeader: oldHeaders.headers[name], newHeader: newHeaders.headers[name])
    }

    // Passes 1 and 2.
    let state = DiffState(plans: plans, options: options, onChange: onChange)
    let oldBytes = oldBundle.parts.reduce(Int64(0)) { $0 + $1.bytes }
    let newBytes = newBundle.parts.reduce(Int64(0)) { $0 + $1.bytes }
    let oldRecords = scanner(oldBundle).scan(
      visitor: RecordPass(state: state, side: .old),
      progress: progress.map { report in
        { report(ScanProgress(bytesDone: $0.bytesDone, bytesTotal: oldBytes + newBytes)) }
      })
    let newRecords = scanner(newBundle).scan(
      visitor: RecordPass(state: state, side: .new),
      progress: progress.map { report in
        {
          report(ScanProgress(bytesDone: oldBytes + $0.bytesDone, bytesTotal: oldBytes + newBytes))
        }
      })
    state.finishRecordPasses()
    // Damage as verify names it: pass 0 skips entry bodies, so the passes that inflate every
    // entry say what is wrong (CRC errors, bombs, cut parts), once each.
    var seen = Set<String>()
    for (side, scan) in [
      ("OLD", oldScan), ("OLD", oldRecords), ("NEW", newScan), ("NEW", newRecords),
    ] {
      for finding in scan.findings where finding.severity == .error {
        let line =
          "\(side): \(finding.code.rawValue): \(finding.location.description): \(finding.message)"
        if seen.insert(line).inserted { warnings.append(line) }
      }
    }
    warnings += state.csvWarnings

    // Pass 3: field detail for changed records.
    if state.objects.values.contains(where: { $0.changedIds.count > 0 }) {
      _ = scanner(oldBundle).scan(
        visitor: FieldPass(state: state, side: .old))
      _ = scanner(newBundle).scan(
        visitor: FieldPass(state: state, side: .new))
    }
    var report = state.report(old: oldPaths, new: newPaths, warnings: warnings)
    report.oldEntries = oldRecords.parts.reduce(0) { $0 + $1.entries }
    report.newEntries = newRecords.parts.reduce(0) { $0 + $1.entries }
    return report
  }
}
