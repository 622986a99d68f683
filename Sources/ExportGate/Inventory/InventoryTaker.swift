import Foundation

/// `exportgate inventory`: asks the org, while it exists, what its Data Export should hold:
/// its objects (within ``InventoryScope``), records created by T (a moment certainly before the
/// export started) and now, the stored fields of every object with records, the Salesforce
/// Files it stores with their MD5, and who asked with which permissions. A few requests run at
/// once; the token is never printed or written.
public struct InventoryTaker: Sendable {
  /// How to take the inventory.
  public struct Options: Sendable {
    /// T: records created by then must all be in the export.
    public var asOf: Date
    /// Where T came from, in words.
    public var asOfSource: String
    /// Requests at once.
    public var jobs = 4
    public var retries = 4
    public var retryDelay: TimeInterval = 1
    public var timeout: TimeInterval = 60
    /// More files than this is not an org's answer but a runaway one.
    public var maxFiles = 20_000_000
    /// More objects than this likewise.
    public var maxObjects = 100_000

    public init(asOf: Date, asOfSource: String) {
      self.asOf = asOf
      self.asOfSource = asOfSource
    }
  }

  /// Why the inventory could not be taken.
  public struct Failure: Error, CustomStringConvertible {
    public enum Kind: Sendable { case sessionRejected, unreachable }
    public let kind: Kind
    public let description: String
  }

  public let options: Options

  public init(options: Options) { self.options = options }

  /// T for an export the Data Export page dates `day` (midnight UTC of the date shown): the
  /// page shows a date in the user's time zone and names no zone, so the start of that day in
  /// the earliest zone there is (UTC+14) is certainly before the export started.
  public static func asOf(scheduledDay day: Date) -> Date {
    day.addingTimeInterval(-14 * 3600)
  }

  /// Takes the inventory. Throws when the org cannot be asked at all (session, network);
  /// what could not be asked of one object is recorded in the inventory's `problems`.
  public func take(
    session: SalesforceSession, progress: (@Sendable (String) -> Void)? = nil
  ) async throws -> OrgInventory {
    try session.checkTransport()
    let connection = OrgConnection(session: session, timeout: options.timeout)
    do {
      let inventory = try await take(connection: connection, progress: progress)
      await connection.close()
      return inventory
    } catch {
      await connection.close()
      throw error
    }
  }

  private func take(connection: OrgConnection, progress: (@Sendable (String) -> Void)?)
    async throws -> OrgInventory
  {
    let api = try await Self.fatal {
      try await OrgAPI.negotiate(
        connection: connection, retries: options.retries, retryDelay: options.retryDelay)
    }
    let asOf = ISO8601DateFormatter().string(from: options.asOf)
    var problems: [String] = []
    progress?("asking who takes the inventory")
    let user = try await InventoryUserQuery(api: api).user(problems: &problems)
    let permissions = try await InventoryUserQuery(api: api).permissions(problems: &problems)

    progress?("listing the org's objects")
    let (candidates, skipped) = try await objectsInScope(api)
    progress?("counting the records of \(candidates.count) objects")
    let counter = RecordCounter(api: api, asOf: asOf)
    var counted = try await Self.concurrentMap(candidates, width: options.jobs) { entry in
      try await counter.count(entry.name)
    }
    try await counter.addApproximations(to: &counted, names: candidates.map(\.name))
    let withRecords = candidates.indices.filter { (counted[$0].count.best ?? 0) > 0 }
    progress?("describing the fields of \(withRecords.count) objects with records")
    let described = try await Self.concurrentMap(withRecords, width: options.jobs) { index in
      try await Self.describe(candidates[index].name, api: api)
    }
    let objects = Self.assemble(
      candidates, counted: counted,
      described: Dictionary(uniqueKeysWithValues: zip(withRecords, described)),
      problems: &problems)

    var contentFiles: [OrgInventory.ContentFile]?
    if candidates.contains(where: { $0.name == "ContentVersion" }) {
      progress?("listing the Salesforce Files stored in the org")
      do {
        contentFiles = try await ContentFileQuery(api: api, asOf: asOf, limit: options.maxFiles)
          .files()
      } catch let failure as Failure where failure.kind == .sessionRejected {
        throw failure
      } catch {
        problems.append("ContentVersion: the file list could not be taken: \(error)")
      }
    }
    return OrgInventory(
      takenAt: ISO8601DateFormatter().string(from: Date()), asOf: asOf,
      asOfSource: options.asOfSource,
      instance: connection.session.instanceURL.absoluteString, apiVersion: api.version,
      user: user, permissions: permissions, objects: objects.sorted { $0.name < $1.name },
      skipped: skipped.sorted { $0.name < $1.name }, contentFiles: contentFiles,
      problems: problems.map(connection.session.redact))
  }

  /// The org's objects the Data Export can hold, and the others with the rule that left each
  /// out.
  private func objectsInScope(_ api: OrgAPI) async throws -> (
    [DescribeGlobal.Entry], [OrgInventory.SkippedObject]
  ) {
    let global = try await Self.fatal {
      try await api.get(api.path("sobjects/"), as: DescribeGlobal.self)
    }
    guard global.sobjects.count <= options.maxObjects else {
      throw Failure(
        kind: .unreachable, description: "the org lists \(global.sobjects.count) objects")
    }
    var candidates: [DescribeGlobal.Entry] = []
    var skipped: [OrgInventory.SkippedObject] = []
    for entry in global.sobjects {
      if let rule = InventoryScope.exclusion(
        name: entry.name, queryable: entry.queryable ?? false,
        deprecatedAndHidden: entry.deprecatedAndHidden ?? false)
      {
        skipped.append(OrgInventory.SkippedObject(name: entry.name, rule: rule))
      } else {
        candidates.append(entry)
      }
    }
    return (candidates, skipped)
  }

  /// Each object with its counts and, where it was described, its fields; what the org would
  /// not answer goes to `problems`.
  private static func assemble(
    _ candidates: [DescribeGlobal.Entry], counted: [RecordCounter.Counted],
    described: [Int: Result<[OrgInventory.Field], Error>], problems: inout [String]
  ) -> [OrgInventory.Object] {
    candidates.enumerated().map { index, entry in
      var fields: [OrgInventory.Field]?
      switch described[index] {
      case .success(let found)?: fields = found
      case .failure(let error)?: problems.append("\(entry.name): describe failed: \(error)")
      case nil: break
      }
      if let problem = counted[index].problem { problems.append("\(entry.name): \(problem)") }
      return OrgInventory.Object(
        name: entry.name, keyPrefix: entry.keyPrefix, custom: entry.custom ?? false,
        queryable: entry.queryable ?? false, replicateable: entry.replicateable ?? false,
        count: counted[index].count, fields: fields)
    }
  }

  /// The org's answer to describeGlobal, as far as the inventory reads it.
  struct DescribeGlobal: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
      let name: String
      let keyPrefix: String?
      let queryable: Bool?
      let replicateable: Bool?
      let custom: Bool?
      let deprecatedAndHidden: Bool?
    }
    let sobjects: [Entry]
  }

  /// The stored fields of one object; a describe the org refuses is a result, not a throw.
  private static func describe(_ name: String, api: OrgAPI) async throws -> Result<
    [OrgInventory.Field], Error
  > {
    struct Describe: Decodable {
      struct Field: Decodable {
        let name: String
        let type: String?
        let calculated: Bool?
        let compoundFieldName: String?
        let referenceTo: [String]?
      }
      let fields: [Field]
    }
    do {
      // An API name (InventoryScope checked it) needs no encoding in a path.
      let answer = try await api.get(api.path("sobjects/\(name)/describe/"), as: Describe.self)
      return .success(
        answer.fields.prefix(20_000).map {
          OrgInventory.Field(
            name: $0.name, type: $0.type ?? "", calculated: $0.calculated ?? false,
            compoundFieldName: $0.compoundFieldName, referenceTo: $0.referenceTo ?? [])
        })
    } catch let failure as Failure where failure.kind == .sessionRejected {
      throw failure
    } catch let error as OrgAPI.OrgError where error.code == "REQUEST_LIMIT_EXCEEDED" {
      throw Failure(kind: .unreachable, description: "\(error)")
    } catch {
      return .failure(error)
    }
  }

  /// Runs `body`, turning the org's refusal into a failure of the whole inventory.
  static func fatal<Answer>(_ body: () async throws -> Answer) async throws -> Answer {
    do {
      return try await body()
    } catch let error as OrgAPI.OrgError {
      throw Failure(kind: .unreachable, description: "\(error)")
    }
  }

  /// `transform` over `items`, at most `width` at once, results in the items' order.
  static func concurrentMap<Item: Sendable, Answer: Sendable>(
    _ items: [Item], width: Int, _ transform: @escaping @Sendable (Item) async throws -> Answer
  ) async throws -> [Answer] {
    try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
      var answers = [Answer?](repeating: nil, count: items.count)
      var next = 0
      func start() {
        let index = next
        next += 1
        group.addTask { (index, try await transform(items[index])) }
      }
      while next < min(max(width, 1), items.count) { start() }
      while let (index, answer) = try await group.next() {
        answers[index] = answer
        if next < items.count { start() }
      }
      return answers.compactMap { $0 }
    }
  }
}
