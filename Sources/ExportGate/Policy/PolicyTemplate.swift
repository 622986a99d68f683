/// The commented default policy `exportgate policy init` writes.
public enum PolicyTemplate {
  public static let text = """
    # ExportGate policy: the rules an export must meet before you cancel Salesforce.
    # Use it with: exportgate verify --policy exportgate-policy.yaml PARTS...
    # Unknown keys are errors (with their line), so a typo never weakens the gate.

    # Objects whose CSV must be in the export (replaces the default list).
    requiredObjects: [Account, Contact, Lead, Opportunity, Attachment]

    # The fewest records each object may hold (e.g. from your org's own counts).
    minimumRecords:
      Account: 1
      Contact: 1

    # Raise a finding's severity: an error refuses certification. This template never lowers
    # one (a lowered error certifies exports that fail without a policy): raise only.
    # severity:
    #   reference-dangling: error   # demand that every lookup resolves
    #   csv-encoding: error         # demand a UTF-8 export

    # required: every file the metadata lists must be there; optional: like --no-files.
    files: required

    # The export's encoding: auto (UTF-8 when valid, else ISO-8859-1/Windows-1252), or UTF-8.
    encoding: auto

    # The export's newest entry may be at most this many days old: the download links expire
    # after 48 hours, so an older export can no longer be fetched again if a part is bad.
    maxExportAgeDays: 2

    # The contract being cancelled: the report states the last day to send notice.
    # contract:
    #   endDate: 2027-03-31
    #   noticeDays: 60          # at least 30; 60 recommended
    #   warnDaysBefore: 14
    #   noticeIsError: false    # true: a near or missed deadline refuses certification

    """
}
