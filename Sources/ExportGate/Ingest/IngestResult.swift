/// Everything ingest established about a bundle: its parts and the findings about them.
public struct IngestResult: Sendable {
  public var orgId: String?
  public var parts: [PartSummary]
  public var findings: [Finding]
}
