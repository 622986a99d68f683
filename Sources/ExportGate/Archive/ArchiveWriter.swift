import CSQLite
import Foundation

/// Writes `DIR/archive.sqlite` beside a restore, from the passes restore already makes: the
/// first pass profiles every object's columns (``profileSink(object:encoding:)``), the second
/// stores the records (``loadSink(object:source:encoding:)``), and ``finish(manifest:)`` adds
/// the indexes, the searches, the manifest and `metadata.json`. Built in a hidden file and
/// renamed into place once whole; one transaction, no journal (a failed build leaves only the
/// hidden file, which the next run replaces).
public final class ArchiveWriter {
  public static let fileName = "archive.sqlite"
  public static let metadataFileName = "metadata.json"
  static let partialName = ".archive.sqlite.partial"

  let folder: String
  private let partialPath: String
  private let database: SQLiteDatabase
  private var profiles: [ObjectProfile] = []
  private var profileByObject: [String: ObjectProfile] = [:]
  private(set) var schema = ArchiveSchema(profiles: [], objectByPrefix: [:], inventory: nil)
  private var loaders: [String: ArchiveTableLoader] = [:]
  private var objectByPrefix: [KeyPrefix: String] = [:]
  private var indexing: IndexingJob?

  /// Starts the archive in `folder` (a restore's root).
  init(folder: String) throws {
    self.folder = folder
    partialPath = (folder as NSString).appendingPathComponent(Self.partialName)
    try Self.createExclusively(partialPath)
    database = try SQLiteDatabase(path: partialPath, readOnly: false)
    try database.execute(
      """
      PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192;
      PRAGMA cache_size = -65536; PRAGMA temp_store = FILE; BEGIN;
      CREATE TABLE _rejected_rows (object TEXT NOT NULL, source TEXT NOT NULL,
        line INTEGER NOT NULL, id TEXT, reason TEXT NOT NULL, fields TEXT NOT NULL);
      """)
  }

  /// The hidden file, new: a stale one from a failed run is removed first, and a link planted
  /// at its name is never followed.
  private static func createExclusively(_ path: String) throws {
    var info = stat()
    if lstat(path, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFREG, unlink(path) == 0 else {
        throw SQLiteDatabase.Failure(
          description: "\(path) exists and is not a file ExportGate left: remove it first")
      }
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw SQLiteDatabase.Failure(
        description: "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    close(descriptor)
  }

  /// Pass 1: a sink profiling one piece of `object`'s CSV.
  func profileSink(object: String, encoding: TextEncoding) -> EntrySink {
    let profile =
      profileByObject[object]
      ?? {
        let profile = ObjectProfile(object: object)
        profileByObject[object] = profile
        profiles.append(profile)
        return profile
      }()
    return profile.sink(encoding: encoding)
  }

  /// Between the passes: decides the tables and creates them.
  func createTables(objectByPrefix: [KeyPrefix: String], inventory: OrgInventory?) throws {
    schema = ArchiveSchema(
      profiles: profiles, objectByPrefix: objectByPrefix, inventory: inventory)
    self.objectByPrefix = objectByPrefix
    for table in schema.tables {
      try database.execute(ArchiveSchema.createStatement(table))
      loaders[table.object] = try ArchiveTableLoader(table, database: database)
    }
  }

  /// Pass 2: a sink storing one piece of `object`'s CSV.
  func loadSink(object: String, source: String, encoding: TextEncoding) -> EntrySink? {
    loaders[object]?.sink(source: source, encoding: encoding)
  }

  /// What the archive holds, once finished.
  var summary: RestoreReport.ArchiveSummary {
    RestoreReport.ArchiveSummary(
      path: (folder as NSString).appendingPathComponent(Self.fileName),
      tables: schema.tables.count, records: loaders.values.reduce(0) { $0 + $1.stored },
      rejected: loaders.values.reduce(0) { $0 + $1.rejections })
  }

  /// Once every record is stored: starts the indexes and searches on a thread of their own,
  /// so that they are built while restore writes the files.
  func startIndexing() throws {
    if let failure = loaders.values.compactMap(\.failure).first { throw failure }
    indexing = IndexingJob(
      ArchiveIndexer(database: database, schema: schema, objectByPrefix: objectByPrefix))
  }

  /// The manifest and `metadata.json` once the indexes are built; then the file into place.
  func finish(manifest: [RestoreReport.Row], title: String) throws {
    if indexing == nil { try startIndexing() }
    try indexing?.wait()
    try storeManifest(manifest)
    try database.execute("COMMIT; PRAGMA journal_mode = DELETE;")
    try AtomicFile.write(
      Data(try ArchiveMetadata(schema: schema, title: title).json()),
      to: (folder as NSString).appendingPathComponent(Self.metadataFileName))
    let descriptor = open(partialPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0, fsync(descriptor) == 0 else {
      let code = errno
      if descriptor >= 0 { close(descriptor) }
      throw SQLiteDatabase.Failure(
        description: "cannot sync \(partialPath): \(String(cString: strerror(code)))",
        code: DiskSpace.isFull(code) ? SQLITE_FULL : 0)
    }
    close(descriptor)
    let final = (folder as NSString).appendingPathComponent(Self.fileName)
    guard rename(partialPath, final) == 0 else {
      throw SQLiteDatabase.Failure(
        description: "cannot move the archive into place: \(String(cString: strerror(errno)))")
    }
  }

  /// Gives the archive up after a failed restore: the indexing thread is let finish (it may
  /// not be left writing), and the hidden file is removed.
  func abandon() {
    try? indexing?.wait()
    unlink(partialPath)
  }

  /// The restore manifest as a table: manifest.csv's columns, paths relative to the folder.
  private func storeManifest(_ rows: [RestoreReport.Row]) throws {
    let columns = RestoreManifest.header
    try database.execute(
      "CREATE TABLE manifest ("
        + columns.map { SQLiteDatabase.quote($0) + " TEXT" }
        .joined(separator: ", ") + ")")
    let insert = try database.prepare(
      "INSERT INTO manifest VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    )
    for row in rows {
      try insert.bind(RestoreManifest.fields(of: row).map { $0.isEmpty ? .null : .text($0) })
      guard insert.run() == SQLITE_OK else {
        throw SQLiteDatabase.Failure(
          description: "cannot store the manifest: \(database.lastError)")
      }
    }
    try database.execute(
      "CREATE INDEX manifest_id ON manifest(\"Id\"); CREATE INDEX manifest_parent ON manifest(\"Parent\");"
    )
  }
}

/// The archive's indexing on a thread of its own while restore writes the files. The database
/// connection belongs to that thread until ``wait()`` returns: restore touches nothing of the
/// archive meanwhile, which is why the job may cross threads though a connection is not
/// Sendable (the semaphore orders the thread's writes before the waiter's reads).
private final class IndexingJob: @unchecked Sendable {
  private let indexer: ArchiveIndexer
  private let done = DispatchSemaphore(value: 0)
  private var failure: Error?

  init(_ indexer: ArchiveIndexer) {
    self.indexer = indexer
    let thread = Thread { [self] in
      do { try self.indexer.build() } catch { failure = error }
      done.signal()
    }
    thread.name = "exportgate-archive-index"
    thread.start()
  }

  /// Returns once the indexes are built; again at once on a later call (a failed restore
  /// abandons an archive whose indexing it already waited for).
  func wait() throws {
    done.wait()
    done.signal()
    if let failure { throw failure }
  }
}
