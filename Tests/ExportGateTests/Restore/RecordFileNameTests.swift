import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Objects whose records files would be one file once their names are made safe (case and
/// Unicode normalization fold together on macOS and Windows; `?` is dropped): each keeps its
/// own file, none is overwritten or mixed, and `records-manifest.csv` says which is which.
@Suite struct RecordFileNameTests {
  @Test func objectsWhoseSafeNamesFoldTogetherKeepTheirOwnFiles() throws {
    let directory = TemporaryDirectory()
    let part = directory.file("parts/WE_\(ExportGenerator.orgId)_1.ZIP")
    try FileManager.default.createDirectory(
      atPath: directory.file("parts"), withIntermediateDirectories: true)
    // A case variant, a name a file system refuses, and a name that folds to another's only
    // once lower-cased past ASCII. (NFC and NFD spellings of one name are one object to Swift,
    // so their pieces are joined as one object's.)
    let objects = ["Invoice__c", "invoice__c", "Deal", "Deal?", "\u{C9}t\u{E9}", "\u{E9}t\u{E9}"]
    let csv = { (object: String) in Array("Id,Name\n\"a0\",\"\(object) record\"\n".utf8) }
    try FixtureWriter.writeZip(at: part, entries: objects.map { ("\($0).csv", csv($0)) })
    let root = directory.file("restored")
    var options = RestoreOptions(destination: root)
    options.database = false
    let report = try BackupRestorer(options: options).restore(paths: [part])

    let paths = objects.compactMap { report.recordFiles[$0] }
    #expect(paths.count == objects.count, "\(report.recordFiles)")
    let folded = Set(paths.map { $0.precomposedStringWithCanonicalMapping.lowercased() })
    #expect(folded.count == objects.count, "\(paths)")
    for object in objects {
      let path = try #require(report.recordFiles[object])
      let text = try String(
        contentsOfFile: (root as NSString).appendingPathComponent(path), encoding: .utf8)
      #expect(text.contains("\(object) record"), "\(object) in \(path)")
      #expect(objects.filter { $0 != object }.allSatisfy { !text.contains("\"\($0) record") })
    }
    // Each renamed one is said; the first of each folded name keeps its own.
    #expect(
      Set(report.renamedRecordFiles.map(\.object)) == ["invoice__c", "Deal?", "\u{E9}t\u{E9}"])
    let manifest = try String(
      contentsOfFile: (root as NSString).appendingPathComponent("records-manifest.csv"),
      encoding: .utf8)
    for object in objects {
      #expect(manifest.contains("\(object),\(report.recordFiles[object] ?? "?")"), "\(manifest)")
    }
  }
}
