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

  /// The objects an export must hold unless told otherwise.
  public static let defaultRequired = ["Account", "Contact", "Lead", "Opportunity", "Attachment"]
}
