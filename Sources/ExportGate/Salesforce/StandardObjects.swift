/// What ExportGate knows about standard Salesforce objects: key prefixes and names.
/// Custom objects are learnt from the bundle itself, never listed here.
public enum StandardObjects {
  /// Standard key prefixes and the object (CSV) name they belong to.
  public static let objectByPrefix: [KeyPrefix: String] = {
    let pairs: [(String, String)] = [
      ("001", "Account"), ("002", "Note"), ("003", "Contact"), ("005", "User"),
      ("006", "Opportunity"), ("00D", "Organization"), ("00E", "UserRole"), ("00G", "Group"),
      ("00P", "Attachment"), ("00Q", "Lead"), ("00T", "Task"), ("00U", "Event"), ("00e", "Profile"),
      ("00k", "OpportunityLineItem"), ("00l", "Folder"), ("00v", "CampaignMember"),
      ("015", "Document"), ("01s", "Pricebook2"), ("01t", "Product2"), ("01u", "PricebookEntry"),
      ("02s", "EmailMessage"), ("05T", "ContentBody"), ("068", "ContentVersion"),
      ("069", "ContentDocument"), ("06A", "ContentDocumentLink"), ("0D5", "FeedItem"),
      ("500", "Case"), ("701", "Campaign"), ("800", "Contract"), ("801", "Order"),
    ]
    var map: [KeyPrefix: String] = [:]
    for (prefix, name) in pairs {
      if let key = KeyPrefix(prefix) { map[key] = name }
    }
    return map
  }()

  /// Objects a Data Export never contains even with "Include all data" (seen absent from real
  /// exports): lookups to them are expected to point outside the bundle.
  public static let neverExported: Set<String> = [
    "ContentDocument", "Folder", "Profile", "Organization", "UserRole", "Group",
  ]

  /// Standard objects' API names that exports are known to carry (CSV names): enough to tell
  /// a real object that is absent from a typo. Custom objects are never listed.
  public static let knownNames: Set<String> = Set(objectByPrefix.values).union([
    "AccountContactRelation", "AccountHistory", "AccountTeamMember", "Asset", "CampaignMember",
    "CaseComment", "CaseHistory2", "CaseTeamMember", "ContactHistory", "ContentBody",
    "ContentDocumentLink", "ContentVersion", "Entitlement", "EntitySubscription",
    "EventRelation", "FeedComment", "FeedItem", "FeedPost", "FeedTrackedChange", "FieldHistory",
    "Idea", "LeadHistory", "OpportunityContactRole", "OpportunityHistory", "OpportunityLineItem",
    "Quote", "QuoteLineItem", "Solution", "TaskRelation", "Territory2", "UserRole",
    "UserTerritory2Association", "WorkOrder",
  ])

  /// `knownNames` by their lower-case form.
  public static let knownNameByLowercase: [String: String] = Dictionary(
    knownNames.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

  /// The objects an export must hold unless told otherwise.
  public static let defaultRequired = ["Account", "Contact", "Lead", "Opportunity", "Attachment"]
}
