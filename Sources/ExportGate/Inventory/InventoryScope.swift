/// Which of the org's objects the inventory asks about: those a Data Export can hold. An org
/// describes a thousand objects or more and a Data Export with "Include all data" holds a few
/// hundred, so asking about every object would cost thousands of requests and, worse, call
/// objects "not exported" that no export ever holds. The rules and where each comes from are in
/// docs/inventory.md; each skipped object is recorded with its rule.
public enum InventoryScope {
  /// The rule that leaves `object` out of the inventory, or nil when it is asked about.
  public static func exclusion(
    name: String, queryable: Bool, deprecatedAndHidden: Bool = false
  ) -> String? {
    // The name goes into SOQL and URLs: only an API name's characters.
    guard isAPIName(name) else { return "not an API name" }
    if !queryable { return "not queryable: no API (and no export) can read it" }
    if deprecatedAndHidden { return "deprecated and hidden by Salesforce" }
    for (suffix, rule) in suffixRules where name.hasSuffix(suffix) {
      return rule
    }
    if neverExported.contains(name) {
      return "not in any Data Export seen (setup and metadata, not data)"
    }
    return nil
  }

  /// A letter, then letters, digits and underscores: what Salesforce allows in API names.
  static func isAPIName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, bytes.count <= 120, first.isASCIILetter else { return false }
    return bytes.allSatisfy {
      $0.isASCIILetter || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        || $0 == UInt8(ascii: "_")
    }
  }

  /// Name endings Salesforce reserves for kinds of objects a Data Export does not hold as
  /// themselves. History and feed objects do reach real exports, but under internal names
  /// and shapes (`CaseHistory2`, `FieldHistory`, `FeedPost`), so their counts cannot be
  /// compared with a CSV of their own name.
  static let suffixRules: [(String, String)] = [
    ("__b", "big object (__b): the Data Export does not hold big objects"),
    ("__x", "external object (__x): its data lives outside Salesforce"),
    ("__e", "platform event (__e): events are not stored records"),
    ("__mdt", "custom metadata type (__mdt): metadata, not data"),
    ("__ChangeEvent", "change event: not stored records"),
    ("ChangeEvent", "change event: not stored records"),
    ("__Share", "sharing rows: not data the export holds"),
    ("Share", "sharing rows: not data the export holds"),
    ("__History", "field history: exported under internal names (FieldHistory)"),
    ("History", "field history: exported under internal names (CaseHistory2, FieldHistory)"),
    ("__Feed", "feed: exported as FeedItem/FeedPost, not per object"),
    ("Feed", "feed: exported as FeedItem/FeedPost, not per object"),
    ("__hd", "historical trending data: not exported"),
    ("__kav", "Knowledge article version: not in the Data Export"),
    ("__ka", "Knowledge article: not in the Data Export"),
    ("__Tag", "tags: not in the Data Export"),
  ]

  /// Objects with records in every org that real Data Exports do not hold: setup, security
  /// and metadata objects (`Profile`, `Organization` and `Folder` were absent from real
  /// exports), and the API's views of files whose data the export holds elsewhere.
  static let neverExported: Set<String> = StandardObjects.neverExported.union([
    "ApexClass", "ApexComponent", "ApexLog", "ApexPage", "ApexTestResult", "ApexTrigger",
    "AsyncApexJob", "AuraDefinition", "AuraDefinitionBundle", "AuthSession", "BrandTemplate",
    "BusinessHours", "CronJobDetail", "CronTrigger", "CustomPermission", "EmailTemplate",
    "EntityDefinition", "FieldDefinition", "FieldPermissions", "FlowDefinitionView",
    "FlowInterview", "GroupMember", "LoginHistory", "LoginGeo", "LoginIp", "ObjectPermissions",
    "PermissionSet", "PermissionSetAssignment", "PermissionSetGroup", "PermissionSetLicense",
    "PermissionSetLicenseAssign", "Publisher", "RecordType", "SetupAuditTrail",
    "SetupEntityAccess", "StaticResource", "UserLicense", "UserPermissionAccess",
    "UserAppInfo", "UserPreference", "ContentDocument", "ContentFolder", "ContentWorkspace",
    "ContentFolderItem", "ContentFolderMember", "ContentWorkspaceDoc", "ContentDistribution",
    "ContentDistributionView", "ContentAsset", "Domain", "DomainSite", "Site", "Network",
    "EventLogFile", "OrgWideEmailAddress", "PackageLicense", "Period", "FiscalYearSettings",
    "ListView", "Dashboard", "DashboardComponent", "Report", "Document__Share",
    "NamedCredential", "ExternalDataSource", "AppMenuItem", "TabDefinition", "Holiday",
    "ProcessDefinition", "ProcessNode", "QueueSobject", "DuplicateRule", "MatchingRule",
    "ConnectedApplication", "InstalledMobileApp", "ApexEmailNotification",
  ])

  /// An object whose absence from the export is evidence of loss: custom objects, and the
  /// standard objects real exports are known to hold. Any other object the org holds records
  /// of may be one the Data Export silently skips (nothing documents the full list), so its
  /// absence is a warning.
  public static func absenceIsLoss(name: String, custom: Bool) -> Bool {
    (custom && name.hasSuffix("__c"))
      || StandardObjects.knownNames.contains(name)
        && !StandardObjects.neverExported.contains(name)
  }

  /// Objects with no `CreatedDate`: their count as of T cannot be asked, only now's (which is
  /// no lower bound) and the approximation.
  static let withoutCreatedDate: Set<String> = [
    "ContentDocumentLink", "ContentBody", "UserTerritory2Association", "EventRelation",
    "TaskRelation", "AccountShare",
  ]
}
