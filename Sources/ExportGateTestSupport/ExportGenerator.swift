import Crypto
import ExportGate
import Foundation

/// Builds realistic synthetic exports: the objects, columns and value shapes of a real Data
/// Export (every Id valid and cross-referenced, booleans 0/1, `YYYY-MM-DD HH:MM:SS` dates, the
/// empty key for null lookups, binaries named by Id with sizes and hashes in their metadata).
public struct ExportGenerator {
  /// How much of everything to make.
  public struct Size: Sendable {
    public var users = 5
    public var accounts = 40
    public var contactsPerAccount = 3
    public var leads = 30
    public var opportunities = 30
    public var cases = 20
    public var invoices = 15
    public var attachments = 12
    public var documents = 4
    public var contentDocuments = 6
    public var contentBodies = 3
    /// Sizes of binaries in bytes.
    public var fileSizes: ClosedRange<Int> = 200...4_000

    public init() {}

    /// The base the benchmark exports replicate: hundreds of each data object.
    public static var benchmarkBase: Size {
      var size = Size()
      size.accounts = 400
      size.leads = 300
      size.opportunities = 300
      size.cases = 200
      size.invoices = 150
      size.users = 50
      return size
    }
  }

  public static let orgId = RecordId.withChecksum("00D5g000004ExAm") ?? "00D5g000004ExAm"
  /// The key prefix the generator gives the custom object `Invoice__c`.
  public static let invoicePrefix = "a0B"
  /// Objects every "Include all data" export lists even when they hold nothing.
  public static let headerOnlyObjects: [(String, [String])] = [
    (
      "Note",
      ["Id", "IsDeleted", "ParentId", "Title", "IsPrivate", "Body", "OwnerId", "CreatedDate"]
    ),
    (
      "Task",
      ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "OwnerId", "CreatedDate"]
    ),
    ("Event", ["Id", "WhoId", "WhatId", "Subject", "StartDateTime", "EndDateTime", "OwnerId"]),
    ("EmailMessage", ["Id", "ParentId", "Subject", "FromAddress", "ToAddress", "MessageDate"]),
    ("Campaign", ["Id", "IsDeleted", "Name", "Type", "Status", "StartDate", "OwnerId"]),
    // Objects few have heard of, as real "Include all data" exports list them.
    ("CaseHistory2", ["Id", "CaseId", "CreatedById", "CreatedDate", "Status", "PreviousUpdate"]),
    ("FieldHistory", ["Id", "ParentId", "CreatedById", "CreatedDate", "Field", "OldValue"]),
    ("FeedTrackedChange", ["Id", "FeedItemId", "FieldName", "OldValue", "NewValue"]),
    ("FileFieldData", ["Id", "Name", "BodyLength", "BodyLengthCompressed", "CreatedDate"]),
    ("RichTextAreaFieldData", ["Id", "ParentId", "FieldName", "CreatedDate"]),
  ]

  /// A rich-text value as real exports write some of them: it begins with a NUL character.
  public static let nulRichText =
    "\u{0}<p><span style=\"font-size: 12px;\">Rich text, as exported</span></p>"
  /// Objects real exports write as the union of two entities: each file holds the rows of
  /// both key prefixes (the same rows in both files).
  public static let unionObjects: [(names: [String], prefixes: [String])] = [
    (["EventRelation", "TaskRelation"], ["0RE", "0RT"]),
    (["UserRole", "Territory2"], ["00E", "0MI"]),
  ]

  public var size: Size
  private var random: SeededRandom
  private var ids = IdFactory()

  public init(seed: UInt64 = 42, size: Size = Size()) {
    self.size = size
    self.random = SeededRandom(seed: seed)
  }

  private static let firstNames = [
    "Anna", "Jürgen", "Zoë", "Chloé", "Marta", "Sean", "Priya", "Luis", "Åsa", "Kenji", "Olga",
    "François",
  ]
  private static let lastNames = [
    "Müller", "O'Brien", "Smith", "García", "Nakamura", "Kowalski", "Dubois", "Øvergaard",
    "Lee", "Rossi", "Ndiaye", "Brown",
  ]
  private static let cities = [
    "São Paulo", "Zürich", "Paris", "London", "Kraków", "東京", "New York", "Reykjavík",
  ]
  private static let industries = ["Banking", "Retail", "Energy", "Media", "Education", ""]

  private mutating func date(_ dayOffset: Int = 0) -> String {
    let day = 1 + random.below(28)
    let month = 1 + random.below(12)
    let hour = random.below(24)
    let minute = random.below(60)
    let second = random.below(60)
    return String(
      format: "%04d-%02d-%02d %02d:%02d:%02d", 2019 + random.below(6) + dayOffset, month, day,
      hour, minute, second)
  }

  private mutating func dateOnly() -> String {
    String(
      format: "%04d-%02d-%02d 00:00:00", 2020 + random.below(6), 1 + random.below(12),
      1 + random.below(28))
  }

  private mutating func description() -> String {
    switch random.below(6) {
    case 0: return ""
    case 1: return "Met at the \"Dreamforce\" booth; follow up in Q3."
    case 2: return "Line one of the notes\nline two, with a comma\nand a third"
    case 3: return "Prefers email. Café meeting — überzeugt, 东京 office."
    case 4: return "<p>Rich <b>text</b>\twith a tab</p>"
    default: return "Renewal due; contact \"the boss\" first."
    }
  }

  /// Generates the export.
  public mutating func make() -> FixtureExport {
    var export = FixtureExport(orgId: ExportGenerator.orgId)
    let (userIds, roleIds) = makeUsers(into: &export)
    let (accountIds, contactIds) = makeAccountsAndContacts(into: &export, userIds: userIds)
    let (opportunityIds, caseIds) = makeLeadsDealsAndCases(
      into: &export, userIds: userIds, accountIds: accountIds, contactIds: contactIds)
    makeAttachmentsAndDocuments(
      into: &export, userIds: userIds, parents: accountIds + opportunityIds + caseIds)
    makeSalesforceFiles(into: &export, userIds: userIds, accountIds: accountIds)
    makeMetadataObjects(into: &export, roleIds: roleIds)
    return export
  }

  /// The audit columns every record carries.
  private static let auditColumns = [
    "OwnerId", "CreatedDate", "CreatedById", "LastModifiedDate",
    "LastModifiedById", "SystemModstamp",
  ]

  /// A record's audit values: owner, creator, last modifier among `userIds`, with dates.
  private mutating func audit(_ userIds: [String]) -> [String] {
    let owner = random.pick(userIds)
    return [
      owner, date(), random.pick(userIds), date(),
      random.pick(userIds), date(),
    ]
  }

  private mutating func makeUsers(into export: inout FixtureExport) -> (
    userIds: [String], roleIds: [String]
  ) {
    // Users (every owner and creator resolves to one, inactive users included).
    var users = FixtureExport.Table(
      name: "User",
      header: [
        "Id", "Username", "LastName", "FirstName", "Email", "IsActive", "ProfileId",
        "UserRoleId", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById",
        "SystemModstamp",
      ])
    let roleIds = (1...2).map { IdFactory.make(prefix: "00E", serial: $0) }
    var userIds: [String] = []
    for index in 0..<size.users { userIds.append(IdFactory.make(prefix: "005", serial: index + 1)) }
    for (index, id) in userIds.enumerated() {
      let first = random.pick(Self.firstNames)
      let last = random.pick(Self.lastNames)
      users.rows.append([
        id, "user\(index)@example.com.prod", last, first, "user\(index)@example.com",
        index == size.users - 1 ? "0" : "1", IdFactory.make(prefix: "00e", serial: 1),
        index == 0 ? "000000000000000AAA" : roleIds[index % roleIds.count], date(),
        userIds[0], date(), userIds[0], date(),
      ])
    }
    export.tables.append(users)
    return (userIds, roleIds)
  }

  private mutating func makeAccountsAndContacts(
    into export: inout FixtureExport, userIds: [String]
  ) -> (accountIds: [String], contactIds: [String]) {
    let auditColumns = Self.auditColumns
    // Accounts, with a few parent accounts and a custom column.
    var accounts = FixtureExport.Table(
      name: "Account",
      header: [
        "Id", "IsDeleted", "Name", "Type", "ParentId", "BillingStreet", "BillingCity",
        "Phone", "Industry", "AnnualRevenue", "NumberOfEmployees", "Description",
      ] + auditColumns
        + ["Customer_Tier__c"])
    var accountIds: [String] = []
    for index in 0..<size.accounts {
      let id = ids.next("001")
      let parent = index > 3 && random.chance(20) ? random.pick(accountIds) : ""
      accounts.rows.append(
        [
          id, "0", "\(random.pick(Self.lastNames)) & Sons \(index)",
          random.pick(["Customer", "Prospect", "Partner"]),
          parent, "\(1 + random.below(300)) Main St\nSuite \(random.below(90))",
          random.pick(Self.cities),
          "+1 555 01\(random.below(100))", random.pick(Self.industries),
          String(random.below(5_000_000)) + ".00", String(random.below(5000)), description(),
        ]
          + audit(userIds) + [random.pick(["Gold", "Silver", ""])])
      accountIds.append(id)
    }
    export.tables.append(accounts)

    var contacts = FixtureExport.Table(
      name: "Contact",
      header: [
        "Id", "IsDeleted", "AccountId", "LastName", "FirstName", "Salutation", "Email",
        "Phone", "MailingCity", "ReportsToId", "Description",
      ] + auditColumns)
    var contactIds: [String] = []
    for accountId in accountIds {
      for _ in 0..<size.contactsPerAccount {
        let id = ids.next("003")
        let first = random.pick(Self.firstNames)
        contacts.rows.append(
          [
            id, "0", accountId, random.pick(Self.lastNames), first,
            random.pick(["Mr.", "Ms.", "Dr.", ""]),
            "\(first.lowercased())\(contactIds.count)@example.org", "", random.pick(Self.cities),
            contactIds.isEmpty || random.chance(70) ? "" : random.pick(contactIds), description(),
          ]
            + audit(userIds))
        contactIds.append(id)
      }
    }
    export.tables.append(contacts)
    return (accountIds, contactIds)
  }

  private mutating func makeLeadsDealsAndCases(
    into export: inout FixtureExport, userIds: [String], accountIds: [String],
    contactIds: [String]
  ) -> (opportunityIds: [String], caseIds: [String]) {
    let auditColumns = Self.auditColumns
    var leads = FixtureExport.Table(
      name: "Lead",
      header: [
        "Id", "IsDeleted", "LastName", "FirstName", "Company", "Status", "Email",
        "IsConverted", "ConvertedAccountId", "ConvertedContactId", "Description",
      ] + auditColumns)
    for index in 0..<size.leads {
      let converted = random.chance(20)
      leads.rows.append(
        [
          ids.next("00Q"), "0", random.pick(Self.lastNames), random.pick(Self.firstNames),
          "Lead Company \(index)", converted ? "Closed - Converted" : "Open - Not Contacted",
          "lead\(index)@example.net", converted ? "1" : "0",
          converted ? random.pick(accountIds) : "", converted ? random.pick(contactIds) : "",
          description(),
        ] + audit(userIds))
    }
    export.tables.append(leads)

    var opportunities = FixtureExport.Table(
      name: "Opportunity",
      header: [
        "Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "Probability",
        "CloseDate", "IsClosed", "IsWon", "Pricebook2Id", "Description",
      ] + auditColumns)
    var opportunityIds: [String] = []
    for index in 0..<size.opportunities {
      let id = ids.next("006")
      let won = random.chance(30)
      opportunities.rows.append(
        [
          id, "0", random.pick(accountIds), "Deal \(index): \"Phase \(random.below(4))\"",
          won ? "Closed Won" : "Prospecting", "\(random.below(900_000)).00", won ? "100" : "10",
          dateOnly(), won ? "1" : "0", won ? "1" : "0", "000000000000000AAA",
          index % 7 == 0 ? Self.nulRichText : description(),
        ]
          + audit(userIds))
      opportunityIds.append(id)
    }
    export.tables.append(opportunities)

    var cases = FixtureExport.Table(
      name: "Case",
      header: [
        "Id", "IsDeleted", "CaseNumber", "ContactId", "AccountId", "ParentId", "Subject",
        "Status", "Priority", "Description",
      ] + auditColumns)
    var caseIds: [String] = []
    // Real exports hold lookups to records deleted since (never exported): one case's parent.
    let deletedCaseId = IdFactory.make(prefix: "500", serial: 999_999)
    for index in 0..<size.cases {
      let id = ids.next("500")
      let contact = random.below(contactIds.count)
      cases.rows.append(
        [
          id, "0", String(format: "%08d", 1000 + index), contactIds[contact],
          accountIds[contact / max(size.contactsPerAccount, 1)],
          index == 1 ? deletedCaseId : "", "Printer on fire #\(index)",
          random.pick(["New", "Working", "Closed"]), random.pick(["High", "Medium", "Low"]),
          description(),
        ] + audit(userIds))
      caseIds.append(id)
    }
    export.tables.append(cases)

    var invoices = FixtureExport.Table(
      name: "Invoice__c",
      header: [
        "Id", "OwnerId", "IsDeleted", "Name", "CreatedDate", "CreatedById",
        "LastModifiedDate", "LastModifiedById", "SystemModstamp", "Account__c", "Amount__c",
        "Status__c",
      ])
    for index in 0..<size.invoices {
      invoices.rows.append(
        [
          ids.next(Self.invoicePrefix), random.pick(userIds), "0",
          "INV-\(String(format: "%05d", index))",
          date(), random.pick(userIds), date(), random.pick(userIds), date(),
          random.pick(accountIds),
          "\(random.below(10_000)).\(random.below(100))", random.pick(["Draft", "Sent", "Paid"]),
        ])
    }
    export.tables.append(invoices)
    return (opportunityIds, caseIds)
  }

  private mutating func makeAttachmentsAndDocuments(
    into export: inout FixtureExport, userIds: [String], parents: [String]
  ) {
    let auditColumns = Self.auditColumns
    // Attachments and their bodies.
    var attachments = FixtureExport.Table(
      name: "Attachment",
      header: [
        "Id", "IsDeleted", "ParentId", "Name", "IsPrivate", "ContentType", "BodyLength",
        "Description",
      ] + auditColumns)
    var firstAttachment: [UInt8] = []
    for index in 0..<size.attachments {
      let id = ids.next("00P")
      // The same file attached twice: byte-identical bodies under different Ids.
      let content = index == 1 ? firstAttachment : binary()
      if index == 0 { firstAttachment = content }
      attachments.rows.append(
        [
          id, "0", random.pick(parents), "scan-\(index).pdf", "0", "application/pdf",
          String(content.count), "",
        ] + audit(userIds))
      export.files.append(FixtureExport.File(folder: "Attachments", name: id, content: content))
    }
    export.tables.append(attachments)

    // Documents: most with a body, one link document without.
    var documents = FixtureExport.Table(
      name: "Document",
      header: [
        "Id", "FolderId", "IsDeleted", "Name", "DeveloperName", "ContentType", "Type",
        "IsPublic", "BodyLength", "Url", "Description", "AuthorId", "CreatedDate",
      ])
    for index in 0..<size.documents {
      let id = ids.next("015")
      let isLink = index == size.documents - 1
      let content = isLink ? [] : binary()
      documents.rows.append(
        [
          id, userIds[0], "0", "Logo \(index)", "Logo_\(index)", isLink ? "" : "image/png",
          isLink ? "" : "png", "0", String(content.count),
          isLink ? "https://example.com/brand" : "", "", userIds[0], date(),
        ])
      if !isLink {
        export.files.append(FixtureExport.File(folder: "Documents", name: id, content: content))
      }
    }
    export.tables.append(documents)
  }

  private mutating func makeSalesforceFiles(
    into export: inout FixtureExport, userIds: [String], accountIds: [String]
  ) {
    // Salesforce Files: every version is exported, older ones included.
    var versions = FixtureExport.Table(
      name: "ContentVersion",
      header: [
        "Id", "ContentDocumentId", "IsLatest", "ContentUrl", "VersionNumber", "Title",
        "Description", "PathOnClient", "ContentSize", "FileType", "ContentLocation", "OwnerId",
        "CreatedDate",
      ])
    var links = FixtureExport.Table(
      name: "ContentDocumentLink",
      header: [
        "Id", "LinkedEntityId", "ContentDocumentId", "IsDeleted", "ShareType",
        "Visibility",
      ])
    for index in 0..<size.contentDocuments {
      let documentId = ids.next("069")
      let versionCount = index == 0 ? 2 : 1
      for version in 1...versionCount {
        let id = ids.next("068")
        let content = binary()
        versions.rows.append(
          [
            id, documentId, version == versionCount ? "1" : "0", "", String(version),
            "Contract \(index)", "", "C:\\Users\\anna\\Documents\\contract-\(index).pdf",
            String(content.count), "PDF", "S", random.pick(userIds), date(),
          ])
        export.files.append(
          FixtureExport.File(folder: "ContentVersion", name: id, content: content))
      }
      links.rows.append(
        [ids.next("06A"), random.pick(accountIds), documentId, "0", "V", "AllUsers"])
    }
    // An external file (ContentLocation E) has no body in the export.
    versions.rows.append(
      [
        ids.next("068"), ids.next("069"), "1", "https://drive.example.com/x", "1", "External",
        "", "", "0", "LINK", "E", userIds[0], date(),
      ])
    export.tables.append(versions)
    export.tables.append(links)

    var bodies = FixtureExport.Table(
      name: "ContentBody", header: ["Id", "IsDeleted", "Size", "Hash", "CreatedDate"])
    for _ in 0..<size.contentBodies {
      let id = ids.next("05T")
      let content = binary()
      let hash = Insecure.MD5.hash(data: content).map { String(format: "%02x", $0) }.joined()
      bodies.rows.append([id, "0", String(content.count), hash, date()])
      export.files.append(
        FixtureExport.File(folder: "Other Uploaded Collateral", name: id, content: content))
    }
    export.tables.append(bodies)
  }

  /// Objects real exports write as unions of several prefixes, and header-only objects.
  private mutating func makeMetadataObjects(into export: inout FixtureExport, roleIds: [String]) {
    for (names, prefixes) in Self.unionObjects {
      var rows: [[String]] = []
      for (position, prefix) in prefixes.enumerated() {
        for serial in 1...(3 - position) {
          let id =
            prefix == "00E" && serial <= roleIds.count
            ? roleIds[serial - 1] : IdFactory.make(prefix: prefix, serial: serial)
          rows.append([id, "Name \(prefix)-\(serial)", "000000000000000AAA", date()])
        }
      }
      for name in names {
        export.tables.append(
          FixtureExport.Table(
            name: name, header: ["Id", "Name", "ParentRoleId", "LastModifiedDate"], rows: rows))
      }
    }

    for (name, header) in Self.headerOnlyObjects {
      export.tables.append(FixtureExport.Table(name: name, header: header))
    }
  }

  /// A binary body: a recognisable header, then noise (so it does not compress).
  private mutating func binary() -> [UInt8] {
    let count = size.fileSizes.lowerBound + random.below(size.fileSizes.count)
    var content = Array("%PDF-1.4\n".utf8)
    content += random.bytes(max(0, count - content.count))
    return Array(content.prefix(count))
  }
}
