/// What `restore` did: one row per file the export's metadata lists (and per file no row
/// claims), the same rows `manifest.csv` holds, and the verdict.
public struct RestoreReport: Sendable {
  /// What became of one file.
  public enum Status: String, Sendable, Comparable {
    /// Written and checked (size, and MD5 where the export has one).
    case restored
    /// Already in the destination, identical (`--resume`).
    case alreadyRestored = "already-restored"
    /// The metadata row has no file to restore (a link, a file stored outside Salesforce).
    case noFile = "no-file"
    /// Left out on request (`--latest-only`).
    case skipped
    /// Could not be restored intact: the reason says why.
    case failed

    public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether this row counts against a complete restore.
    public var isFailure: Bool { self == .failed }
  }

  /// One manifest row.
  public struct Row: Sendable {
    public var id: String
    public var status: Status
    /// Relative to the destination; empty when nothing was written.
    public var path: String
    public var bytes: Int64?
    public var sha256: String?
    public var md5: String?
    public var part: String?
    public var entry: String?
    public var parent: String
    /// Further places the same file is found at (hard links), for a file shared with several
    /// records.
    public var alsoAt: [String]
    /// A readable copy (an Enhanced Note as HTML).
    public var readable: String?
    public var reason: String
  }

  public var destination: String
  public var rows: [Row]
  /// Objects written to `records/`.
  public var objects: Int
  /// What kept the records from being whole: damaged CSV pieces (`csv-malformed`,
  /// `entry-corrupt`, ...) and files the system refused (`records-not-written`), located by
  /// object.
  public var recordProblems: [Finding]
  /// The archive written beside the records, when one was.
  public var archive: ArchiveSummary?
  /// Where each object's records are, relative to the destination (`records/Account.csv`).
  public var recordFiles: [String: String] = [:]
  /// NUL characters left out of each object's records CSV (kept in the archive and JSON lines).
  public var removedNULs: [String: Int] = [:]

  /// What went into `archive.sqlite`.
  public struct ArchiveSummary: Sendable {
    public var path: String
    public var tables: Int
    public var records: Int
    /// Records that could not be stored as they are (in `_rejected_rows`).
    public var rejected: Int
  }

  /// The objects whose records file is not named after them alone (another object's safe
  /// name folds to the same), with the file they are in.
  public var renamedRecordFiles: [(object: String, path: String)] {
    recordFiles.filter { object, path in
      path != "records/\(SafeFileName.make(object, fallback: "object")).csv"
    }
    .sorted { $0.key < $1.key }.map { (object: $0.key, path: $0.value) }
  }

  public var failed: [Row] { rows.filter { $0.status.isFailure } }
  public var restoredCount: Int {
    rows.filter { $0.status == .restored || $0.status == .alreadyRestored }.count
  }

  /// True when every file the metadata lists was restored intact and every record written.
  public var isComplete: Bool { failed.isEmpty && recordProblems.isEmpty }
}
