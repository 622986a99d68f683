import ExportGate
import Foundation

/// Writes large, realistic export CSVs for benchmarks without holding them in memory: rows of a
/// generated export repeated with fresh, valid Ids until the target size is reached.
public enum BenchmarkData {
  /// The twelve objects benchmark exports carry data for.
  public static let objects = [
    "Account", "Contact", "Lead", "Opportunity", "Case", "Invoice__c", "User", "Attachment",
    "Document", "ContentVersion", "ContentDocumentLink", "ContentBody",
  ]

  /// Writes `Object.csv` files into `directory`, about `megabytes` MB in all (UTF-8, LF, every
  /// field quoted). Returns the paths.
  @discardableResult
  public static func writeCSVs(to directory: String, megabytes: Int, seed: UInt64 = 3) throws
    -> [String]
  {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var size = ExportGenerator.Size.benchmarkBase
    size.attachments = 60
    size.documents = 20
    size.contentDocuments = 30
    size.contentBodies = 20
    var generator = ExportGenerator(seed: seed, size: size)
    let export = generator.make()
    let tables = objects.compactMap { export.table($0) }
    let baseBytes = tables.map { table in
      FixtureWriter.csvText(table, lineEnding: .lf).utf8.count
    }
    let total = baseBytes.reduce(0, +)
    let repeats = max(1, megabytes * 1_000_000 / max(total, 1))
    var paths: [String] = []
    for table in tables {
      let path = (directory as NSString).appendingPathComponent(table.name + ".csv")
      guard FileManager.default.createFile(atPath: path, contents: nil) else { continue }
      guard let handle = FileHandle(forWritingAtPath: path) else { continue }
      defer { try? handle.close() }
      BenchmarkExport.replicate(table, times: repeats) { handle.write(Data($0)) }
      paths.append(path)
    }
    return paths
  }
}
