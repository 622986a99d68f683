import Foundation

/// Counts one object's records: created by T (the sound lower bound), now, and, where the
/// first cannot be asked (no CreatedDate, a query that times out on a large table), the org's
/// cached approximation from `/limits/recordCount`.
struct RecordCounter: Sendable {
  /// One object's counts, and what went wrong asking for them.
  struct Counted: Sendable {
    var count = OrgInventory.RecordCount()
    var problem: String?
  }

  let api: OrgAPI
  /// T, as SOQL writes a datetime literal (ISO 8601, UTC).
  let asOf: String

  func count(_ name: String) async throws -> Counted {
    var counted = Counted()
    if InventoryScope.withoutCreatedDate.contains(name) {
      counted.count.asOfUnavailable = "no CreatedDate"
    } else {
      do {
        counted.count.asOf = try await api.count(
          "SELECT COUNT() FROM \(name) WHERE CreatedDate <= \(asOf)")
      } catch {
        let code = try Self.survivable(error)
        counted.count.asOfUnavailable = code == "INVALID_FIELD" ? "no CreatedDate" : code
        if code != "INVALID_FIELD" && code != "QUERY_TIMEOUT" { counted.problem = "\(error)" }
      }
    }
    // A count that timed out with a filter times out without one as well.
    guard counted.count.asOfUnavailable != "QUERY_TIMEOUT" else { return counted }
    do {
      counted.count.now = try await api.count("SELECT COUNT() FROM \(name)")
    } catch {
      _ = try Self.survivable(error)
      counted.problem = counted.problem ?? "\(error)"
    }
    return counted
  }

  /// The org's approximate counts for every object whose count as of T is unknown, asked
  /// 100 names at a time (an unknown name is dropped by the org, not refused).
  func addApproximations(to counted: inout [Counted], names: [String]) async throws {
    struct Answer: Decodable {
      struct Entry: Decodable {
        let name: String
        let count: Int
      }
      let sObjects: [Entry]
    }
    let wanted = counted.indices.filter { counted[$0].count.asOf == nil }
    var start = 0
    while start < wanted.count {
      let batch = Array(wanted[start..<min(start + 100, wanted.count)])
      start += 100
      let list = batch.map { names[$0] }.joined(separator: ",")
      do {
        let answer = try await api.get(
          api.path("limits/recordCount?sObjects=\(list)"), as: Answer.self)
        var byName: [String: Int] = [:]
        for entry in answer.sObjects where entry.count >= 0 { byName[entry.name] = entry.count }
        for index in batch { counted[index].count.approximate = byName[names[index]] }
      } catch {
        _ = try Self.survivable(error)
        for index in batch {
          counted[index].problem =
            counted[index].problem ?? "no approximate count either: \(error)"
        }
      }
    }
  }

  /// The org's error code when the inventory can go on without this answer; rethrows what
  /// ends it (the session refused, the API's daily limit reached).
  static func survivable(_ error: Error) throws -> String {
    if let failure = error as? InventoryTaker.Failure, failure.kind == .sessionRejected {
      throw failure
    }
    guard let error = error as? OrgAPI.OrgError else { return "\(error)" }
    if error.code == "REQUEST_LIMIT_EXCEEDED" {
      throw InventoryTaker.Failure(
        kind: .unreachable,
        description:
          "\(error): the org's daily API limit is reached; take the inventory later today"
      )
    }
    return error.code
  }
}
