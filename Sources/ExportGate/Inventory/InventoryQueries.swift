import Foundation

/// Who takes the inventory and what that user may see: without View All Data the counts,
/// without Query All Files the file list, cover only that user's records.
struct InventoryUserQuery: Sendable {
  let api: OrgAPI

  func user(problems: inout [String]) async throws -> OrgInventory.InventoryUser {
    struct Info: Decodable {
      let userId: String?
      let organizationId: String?
      let username: String?
      enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case organizationId = "organization_id"
        case username = "preferred_username"
      }
    }
    return try await answer("the inventory user", otherwise: .init(), problems: &problems) {
      let info = try await api.get("/services/oauth2/userinfo", as: Info.self)
      return OrgInventory.InventoryUser(
        userId: info.userId, username: info.username, organizationId: info.organizationId)
    }
  }

  func permissions(problems: inout [String]) async throws -> OrgInventory.Permissions {
    struct Row: Decodable, Sendable {
      let viewAllData: Bool?
      let queryAllFiles: Bool?
      let dataExport: Bool?
      enum CodingKeys: String, CodingKey {
        case viewAllData = "PermissionsViewAllData"
        case queryAllFiles = "PermissionsQueryAllFiles"
        case dataExport = "PermissionsDataExport"
      }
    }
    return try await answer(
      "the inventory user's permissions", otherwise: .init(), problems: &problems
    ) {
      let rows = try await api.records(
        "SELECT PermissionsViewAllData, PermissionsQueryAllFiles, PermissionsDataExport FROM UserPermissionAccess",
        as: Row.self, limit: 10)
      guard let row = rows.first else { return OrgInventory.Permissions() }
      return OrgInventory.Permissions(
        viewAllData: row.viewAllData, queryAllFiles: row.queryAllFiles,
        dataExport: row.dataExport)
    }
  }

  /// The org's answer, or `otherwise` with the reason recorded in `problems`; what ends the
  /// inventory (the session refused, the daily limit) is rethrown.
  private func answer<Answer>(
    _ what: String, otherwise: Answer, problems: inout [String],
    _ ask: () async throws -> Answer
  ) async throws -> Answer {
    do {
      return try await ask()
    } catch {
      _ = try RecordCounter.survivable(error)
      problems.append("\(what) could not be asked: \(error)")
      return otherwise
    }
  }
}

/// Every ContentVersion created by T and stored in Salesforce (ContentLocation `S`; external
/// files have no Checksum), with the org's MD5 and size: what the export's ContentVersion
/// folder must hold.
struct ContentFileQuery: Sendable {
  let api: OrgAPI
  let asOf: String
  let limit: Int

  func files() async throws -> [OrgInventory.ContentFile] {
    struct Row: Decodable, Sendable {
      let id: String
      let documentId: String?
      let checksum: String?
      let size: Int64?
      enum CodingKeys: String, CodingKey {
        case id = "Id"
        case documentId = "ContentDocumentId"
        case checksum = "Checksum"
        case size = "ContentSize"
      }
    }
    return try await api.records(
      "SELECT Id, ContentDocumentId, Checksum, ContentSize FROM ContentVersion WHERE ContentLocation = 'S' AND CreatedDate <= \(asOf)",
      as: Row.self, limit: limit
    ) { row in
      guard RecordId(row.id) != nil else { return nil }
      let checksum = row.checksum?.lowercased()
      return OrgInventory.ContentFile(
        id: row.id, contentDocumentId: row.documentId,
        checksum: checksum.flatMap { $0.count == 32 && $0.allSatisfy(\.isHexDigit) ? $0 : nil },
        size: row.size.flatMap { $0 >= 0 ? $0 : nil })
    }
  }
}
