import Foundation

/// The org's REST API as the inventory asks it: JSON resources under
/// `/services/data/vXX.X/` on fetch's connection (so the same redaction and the same rule that
/// the token goes only to the org's host), failures a retry can mend retried with backoff, the
/// org's own errors typed, and every body bounded.
struct OrgAPI: Sendable {
  /// The org refused a request with its own error (`[{"message", "errorCode"}]`).
  struct OrgError: Error, CustomStringConvertible {
    let status: Int
    let code: String
    let message: String
    var description: String { "\(code): \(message) (HTTP \(status))" }
  }

  let connection: OrgConnection
  /// `v62.0`: the newest version the org serves.
  let version: String
  let retries: Int
  let retryDelay: TimeInterval

  /// One answer of the API is at most this large (a describe of a wide object is about 1 MB;
  /// a query page of 2,000 files about 0.5 MB).
  static let bodyLimit = 32 << 20

  /// Asks the org which API versions it serves and takes the newest.
  static func negotiate(connection: OrgConnection, retries: Int, retryDelay: TimeInterval)
    async throws -> OrgAPI
  {
    var api = OrgAPI(connection: connection, version: "", retries: retries, retryDelay: retryDelay)
    struct Version: Decodable { let version: String }
    let versions = try await api.get("/services/data/", as: [Version].self)
    let newest = versions.map(\.version).filter { version in
      version.allSatisfy { $0.isNumber || $0 == "." } && !version.isEmpty
    }.max { (Double($0) ?? 0) < (Double($1) ?? 0) }
    guard let newest else {
      throw InventoryTaker.Failure(
        kind: .unreachable, description: "the org lists no REST API version at /services/data/")
    }
    api = OrgAPI(
      connection: connection, version: "v\(newest)", retries: retries, retryDelay: retryDelay)
    return api
  }

  /// `/services/data/vXX.X/` + `resource`.
  func path(_ resource: String) -> String { "/services/data/\(version)/\(resource)" }

  /// The answer to `path` decoded as `type`.
  func get<Answer: Decodable>(_ path: String, as type: Answer.Type) async throws -> Answer {
    let body = try await fetch(path)
    do {
      return try JSONDecoder().decode(Answer.self, from: body)
    } catch {
      throw InventoryTaker.Failure(
        kind: .unreachable,
        description:
          "the org's answer to \(connection.session.redact(path)) is not the JSON expected"
      )
    }
  }

  /// `SELECT COUNT() ...`'s total.
  func count(_ soql: String) async throws -> Int {
    struct Total: Decodable { let totalSize: Int }
    let total = try await get(queryPath(soql), as: Total.self).totalSize
    guard total >= 0 else {
      throw InventoryTaker.Failure(kind: .unreachable, description: "the org counted \(total)")
    }
    return total
  }

  /// Every record a query returns, page by page (`nextRecordsUrl`), at most `limit`.
  func records<Record: Decodable & Sendable>(
    _ soql: String, as type: Record.Type, limit: Int
  ) async throws -> [Record] {
    try await records(soql, as: type, limit: limit) { $0 }
  }

  /// Every record a query returns, each kept as `keep` makes it (nil: dropped) as its page
  /// arrives, so the raw records are never all held at once.
  func records<Record: Decodable & Sendable, Kept>(
    _ soql: String, as type: Record.Type, limit: Int, keep: (Record) -> Kept?
  ) async throws -> [Kept] {
    var all: [Kept] = []
    var next: String? = queryPath(soql)
    while let current = next {
      let page = try await get(current, as: QueryPage<Record>.self)
      all += page.records.compactMap(keep)
      guard all.count <= limit else {
        throw InventoryTaker.Failure(
          kind: .unreachable, description: "the query returned more than \(limit) records")
      }
      next = page.done ? nil : page.nextRecordsUrl
      if !page.done && next == nil {
        throw InventoryTaker.Failure(
          kind: .unreachable, description: "a query page is not done and names no next page")
      }
    }
    return all
  }

  private func queryPath(_ soql: String) -> String {
    // Only unreserved characters stay as they are: `<=`, quotes and spaces are encoded.
    let unreserved = CharacterSet(charactersIn: "-._~").union(
      CharacterSet(charactersIn: "A"..."Z")
    ).union(CharacterSet(charactersIn: "a"..."z")).union(CharacterSet(charactersIn: "0"..."9"))
    let encoded = soql.addingPercentEncoding(withAllowedCharacters: unreserved) ?? soql
    return path("query/?q=\(encoded)")
  }

  /// The body of a 200 answer, retrying what a retry can mend (the network, 5xx).
  private func fetch(_ path: String) async throws -> Data {
    var lastProblem = ""
    for attempt in 0...retries {
      if attempt > 0 {
        let delay = min(retryDelay * pow(2, Double(attempt - 1)), 30)
        try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
      }
      let response: OrgConnection.Response
      do {
        response = try await connection.api(path, limit: Self.bodyLimit)
      } catch {
        lastProblem = "\(error)"
        continue
      }
      switch response.status {
      case 200:
        return response.body
      case 300..<400, 401:
        throw InventoryTaker.Failure(
          kind: .sessionRejected,
          description:
            "the org did not accept the session (HTTP \(response.status)\(Self.orgError(response).map { ", \($0.code)" } ?? "")): log in again (sf org login web) and take the inventory again"
        )
      case 500...:
        lastProblem = "the org answered HTTP \(response.status)"
        continue
      default:
        if let error = Self.orgError(response) {
          throw OrgError(
            status: error.status, code: error.code,
            message: connection.session.redact(error.message))
        }
        throw OrgError(
          status: response.status, code: "HTTP_\(response.status)",
          message: "the org refused \(connection.session.redact(path))")
      }
    }
    throw InventoryTaker.Failure(
      kind: .unreachable,
      description:
        "\(connection.session.redact(path)): \(connection.session.redact(lastProblem)) (after \(retries + 1) attempts)"
    )
  }

  private static func orgError(_ response: OrgConnection.Response) -> OrgError? {
    struct Item: Decodable {
      let message: String?
      let errorCode: String?
    }
    guard let items = try? JSONDecoder().decode([Item].self, from: response.body),
      let first = items.first
    else { return nil }
    return OrgError(
      status: response.status, code: first.errorCode ?? "UNKNOWN",
      message: String((first.message ?? "").prefix(500)))
  }
}

/// One page of a query's answer.
private struct QueryPage<Record: Decodable>: Decodable {
  let records: [Record]
  let done: Bool
  let nextRecordsUrl: String?
}
