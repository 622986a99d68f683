/// The stable identifier of a kind of problem. Raw values are part of the public contract
/// (JSON reports, policies, CI scripts match on them) and never change once released.
public enum FindingCode: String, Sendable, Codable, CaseIterable {
  // Parts and entries (ingest).
  case partMissing = "part-missing"
  case partOrgMismatch = "part-org-mismatch"
  case partOrgInvalid = "part-org-invalid"
  case partDuplicate = "part-duplicate"
  case partListMismatch = "part-list-mismatch"
  case partUnreadable = "part-unreadable"
  case partTruncated = "part-truncated"
  case partCorrupt = "part-corrupt"
  case partZipBomb = "part-zip-bomb"
  case entryCorrupt = "entry-corrupt"
  case entryEncrypted = "entry-encrypted"
  case entryUnsafePath = "entry-unsafe-path"
  case entryUnexpected = "entry-unexpected"
  case entryDuplicate = "entry-duplicate"
  case entryConflict = "entry-conflict"
  // CSV.
  case csvMalformed = "csv-malformed"
  case csvEncoding = "csv-encoding"
  case csvNulInValue = "csv-nul-in-value"
  case csvNotAsExported = "csv-not-as-exported"
  // The org's inventory (org-inventory.json): evidence first, then what it finds missing.
  case orgInventoryMismatch = "org-inventory-mismatch"
  case orgInventoryLimited = "org-inventory-limited"
  case orgInventoryStale = "org-inventory-stale"
  case orgObjectNotExported = "org-object-not-exported"
  case orgRecordsMissing = "org-records-missing"
  case orgRecordsDeleted = "org-records-deleted"
  case orgFieldNotExported = "org-field-not-exported"
  case orgFileNotExported = "org-file-not-exported"
  // Objects.
  case objectMissing = "object-missing"
  case objectEmpty = "object-empty"
  case objectHeaderMismatch = "object-header-mismatch"
  case objectMissingReferenced = "object-missing-referenced"
  case objectNameChanged = "object-name-changed"
  // Ids and references.
  case idMissingColumn = "id-missing-column"
  case idInvalid = "id-invalid"
  case idPrefixMismatch = "id-prefix-mismatch"
  case idDuplicate = "id-duplicate"
  case referenceDangling = "reference-dangling"
  // Files.
  case fileMissing = "file-missing"
  case fileSizeMismatch = "file-size-mismatch"
  case fileChecksumMismatch = "file-checksum-mismatch"
  case fileOrphan = "file-orphan"
  case filesNotIncluded = "files-not-included"
  // Policy and org cross-checks.
  case countMismatch = "count-mismatch"
  case objectTooFewRecords = "object-too-few-records"
  case exportTooOld = "export-too-old"
  case contractNotice = "contract-notice"
  // What fetch and restore could not do (their own reports; verify never reports these).
  case partNotDownloaded = "part-not-downloaded"
  case recordsNotWritten = "records-not-written"

  /// Position in reports: root causes (parts, entries) before their consequences (CSV,
  /// objects, Ids, files, references), in the order the codes are declared.
  public var reportOrder: Int { FindingCode.allCases.firstIndex(of: self) ?? 0 }

  /// Whether a finding of this code is damage to the part it is located in (the part cut,
  /// corrupt, unreadable, or entries in it that cannot be read): what makes a report draw a
  /// part as damaged. Findings about rows of a part's CSVs (a file they name is elsewhere or
  /// nowhere) are not damage to the part.
  public var isPartDamage: Bool {
    switch self {
    case .partUnreadable, .partTruncated, .partCorrupt, .partZipBomb, .entryCorrupt,
      .entryEncrypted:
      true
    default: false
    }
  }

  /// The severity a finding of this code has unless a check or a policy says otherwise.
  ///
  /// The doctrine (docs/findings.md): an error is evidence that data is lost or damaged, or
  /// that what a restore would produce differs from what was checked. Whatever a healthy real
  /// export can show is at most a warning, and a warning only when a person can act on it.
  public var defaultSeverity: Severity {
    switch self {
    case .entryUnexpected, .csvNulInValue, .orgRecordsDeleted: .info
    case .contractNotice, .partOrgInvalid, .partDuplicate, .entryDuplicate, .objectEmpty,
      .objectMissingReferenced, .objectNameChanged, .idMissingColumn, .idPrefixMismatch,
      .referenceDangling, .fileOrphan, .csvEncoding, .orgInventoryLimited, .orgInventoryStale,
      .orgFieldNotExported:
      .warning
    default: .error
    }
  }

  /// One sentence telling a person what to do when they meet this finding.
  public var advice: String {
    switch self {
    case .partMissing:
      "Download the missing part(s) again from Setup > Data Export before the 48-hour links expire."
    case .partOrgMismatch:
      "A part from another org is mixed in: keep only the parts of one export together."
    case .partOrgInvalid:
      "The part name carries a malformed Org Id: check that the file was not renamed by hand."
    case .partDuplicate: "The same part was given twice: remove the copy."
    case .partListMismatch:
      "The part changed since it was downloaded: fetch it again (exportgate fetch) while the links last."
    case .partUnreadable:
      "The file is not a ZIP archive: download the part again (while logged in)."
    case .partTruncated: "The download stopped early: download the part again and compare sizes."
    case .partCorrupt: "The archive's structure is damaged: download the part again."
    case .partZipBomb:
      "The archive expands far beyond what any real export can: do not extract it; download it again."
    case .entryCorrupt:
      "An entry's data is damaged (CRC or inflate error): download the part again."
    case .entryEncrypted:
      "Salesforce never encrypts export entries, so this part was altered after download: download it again from the Data Export page and use that copy."
    case .entryUnsafePath:
      "An entry name could escape the extraction folder: download the part again, and extract only with exportgate restore (never a plain unzip of this copy)."
    case .entryUnexpected: "Not part of a Salesforce export layout: check where it came from."
    case .entryDuplicate:
      "Identical copies (or pieces) under one name: nothing differs, but extract each part into its own folder."
    case .entryConflict:
      "What a restore gets depends on the extractor: the part was altered; download it again and never extract this copy."
    case .csvMalformed:
      "The CSV is damaged (often a truncated file): download the part again; if it persists, open a case."
    case .csvEncoding:
      "If only some CSVs are affected, they were re-saved after the export: take them from the original parts. If all are, pass --encoding with the export's encoding, and choose UTF-8 for the next export."
    case .csvNotAsExported:
      "Take this CSV from the original part (never from a copy opened in a spreadsheet); if the part itself holds it, download the part again."
    case .csvNulInValue:
      "Nothing: rich-text values in real exports begin with NUL; the values are kept as they are."
    case .objectMissing:
      "Run the export again with this object selected (or 'Include all data'). A new export replaces this one on the page: download every part of this one first."
    case .objectEmpty: "Check that the exporting user can see this object's records."
    case .objectHeaderMismatch:
      "Pieces of one object disagree on columns, so the parts come from different exports: keep only the parts of one export together (the Data Export page lists them)."
    case .objectMissingReferenced:
      "Records point to an object whose CSV is absent: include it in the export if you need it."
    case .objectNameChanged:
      "The file was renamed by hand after the export: take it from the original part, under the export's own name."
    case .idMissingColumn:
      "Without an Id column, this CSV's records cannot be checked: take it from the original part, as the export wrote it."
    case .idInvalid:
      "A record Id is malformed, so the file was edited or damaged: take the CSV from the original part (download the part again if it holds it)."
    case .idPrefixMismatch:
      "For an object real exports write as a union (the note says so) there is nothing to do; otherwise take the CSV from the downloaded part again: a prefix of an object the export lacks means it was edited or joined by hand."
    case .idDuplicate:
      "A record appears twice, so parts of two exports are probably mixed: keep only the parts of one export together and verify them again."
    case .referenceDangling:
      "Open one example Id in the org while it exists (your org's address, then /<Id>): if the record is there, export again as a user who can see it (View All Data); if it was deleted, nothing is missing."
    case .fileMissing:
      "Check the Data Export page for parts you do not have and download them (or download the part holding this file again)."
    case .fileSizeMismatch: "The file is damaged or truncated: download its part again."
    case .fileChecksumMismatch:
      "The file's content differs from what Salesforce recorded: download its part again."
    case .fileOrphan: "A file no metadata row claims: harmless, but check where it came from."
    case .filesNotIncluded:
      "Check the Data Export page first: if it lists more parts than you have, download them; only if it does not, run the export again with the named option ticked (a new export replaces this one on the page: download every part of this one first)."
    case .orgInventoryMismatch:
      "The inventory is of another org than the parts: take the inventory of the org that made this export (exportgate inventory)."
    case .orgInventoryLimited:
      "Take the inventory again as a user with View All Data and Query All Files (a permission set), so that it covers every record and file."
    case .orgInventoryStale:
      "Take the inventory on the day of the export (exportgate fetch takes it with the parts), so that describes and approximate counts match what was exported."
    case .orgObjectNotExported:
      "Run the export again with this object selected (or 'Include all data'), before cancelling."
    case .orgRecordsMissing:
      "Check that the exporting user can see every record (View All Data), then run the export again and verify it before cancelling."
    case .orgRecordsDeleted:
      "Nothing: records deleted since the export are still in it."
    case .orgFieldNotExported:
      "Give the exporting user read access to the field (field-level security, e.g. a permission set), then run the export again before cancelling (a new export replaces this one on the page: download every part of this one first)."
    case .orgFileNotExported:
      "Run the export again with \"Include Salesforce Files and Salesforce CRM Content document versions\" ticked, as a user who can see every file, before cancelling (a new export replaces this one on the page: download every part of this one first)."
    case .countMismatch:
      "Compare with the org: check the exporting user's visibility, deletions since the count, then export again."
    case .objectTooFewRecords:
      "The policy expects more records: check the export's object selection and the user's visibility."
    case .exportTooOld:
      "While the org exists, run a fresh export (Export Now) and verify it before it expires; after cancellation, keep this one and its certificate (verify --as-of the certification date)."
    case .contractNotice:
      "Send the cancellation notice before the last day the contract allows (see the report)."
    case .partNotDownloaded:
      "Run the same fetch again before the links expire: complete parts are kept and a cut part resumes; if it keeps failing, download that part from Setup > Data Export."
    case .recordsNotWritten:
      "Make room or fix what the message names, then run the same restore again with --resume."
    }
  }
}
