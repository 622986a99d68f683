/// What `restore` writes and how.
public struct RestoreOptions: Sendable {
  /// The folder to restore into (created when absent).
  public var destination: String
  /// Only the binaries (no `records/`).
  public var filesOnly = false
  /// Only the records (no `files/`).
  public var recordsOnly = false
  /// Only the latest version of each Salesforce File (older versions are listed as skipped).
  public var latestOnly = false
  /// Records as JSON lines beside the CSVs.
  public var jsonLines = false
  /// A UTF-8 byte-order mark at the start of each records CSV (Excel on Windows needs it to
  /// read UTF-8).
  public var byteOrderMark = true
  /// `archive.sqlite` (records, lookups, search, manifest) and Datasette's `metadata.json`.
  public var database = true
  /// Continue a restore in a folder that already holds one: files already restored and
  /// identical are kept, nothing else is ever overwritten.
  public var resume = false
  /// The export's encoding (`auto`: UTF-8 when valid, else Windows-1252).
  public var encoding: TextEncoding = .auto
  /// Workers writing files (default: every core).
  public var jobs: Int?
  /// Limits against hostile archives, as for verify.
  public var limits = ScanLimits()

  public init(destination: String) { self.destination = destination }
}
