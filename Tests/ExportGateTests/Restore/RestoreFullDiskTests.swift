import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// restore on a disk that fills up part-way (a small tmpfs, so the system itself answers
/// ENOSPC): at every stage (the records, the files, the manifest, the archive) it stops with
/// the full disk named as the cause and what to do, reports nothing complete, leaves no half
/// file under a real name, and `--resume` on a larger disk finishes what it started.
@Suite(.serialized, .enabled(if: SmallDisk.isAvailable, "needs root to mount a small tmpfs"))
struct RestoreFullDiskTests {
  /// Every name under `folder`, recursively.
  func names(_ folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
  }

  @Test func aFullDiskStopsRestoreWithItsCauseAndResumeFinishesIt() throws {
    let directory = TemporaryDirectory()
    let parts = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.file("parts"))
    var stages = Set<String>()
    for kib in stride(from: 48, through: 400, by: 24) {
      let disk = try SmallDisk(bytes: kib << 10)
      let root = disk.file("restored")
      do {
        _ = try BackupRestorer(options: RestoreOptions(destination: root)).restore(paths: parts)
        // Large enough: nothing more to learn from larger disks.
        #expect(try RestoreCheck.check(folder: root).isIntact)
        break
      } catch let failure as BackupRestorer.Failure {
        let text = failure.description
        #expect(text.contains("is full"), "\(kib) KiB: \(text)")
        #expect(
          text.contains("No space left on device") || text.contains("database or disk is full"))
        if text.contains("database or disk is full") { stages.insert("archive") }
        #expect(text.contains("--resume"))
        if text.contains("records/") { stages.insert("records") }
        if text.contains("files/") { stages.insert("files") }
        if text.contains("manifest.csv") { stages.insert("manifest") }
      }
      // Nothing claims to be complete, and nothing half written is left under a real name.
      let left = names(root)
      #expect(!left.contains("manifest.csv"), "\(kib) KiB")
      #expect(!left.contains("archive.sqlite"), "\(kib) KiB")
      let partial = left.filter { ($0 as NSString).lastPathComponent.hasSuffix(".partial") }
      #expect(partial.isEmpty, "\(kib) KiB")

      // With room again, the same command with --resume finishes the restore.
      try disk.resize(bytes: 4 << 20)
      var options = RestoreOptions(destination: root)
      options.resume = true
      let report = try BackupRestorer(options: options).restore(paths: parts)
      #expect(report.isComplete, "\(kib) KiB")
      #expect(try RestoreCheck.check(folder: root).isIntact, "\(kib) KiB")
      #expect(
        FileManager.default.fileExists(
          atPath: (root as NSString).appendingPathComponent("archive.sqlite")))
    }
    // The sizes tried filled the disk in each stage that writes.
    #expect(stages.isSuperset(of: ["records", "files", "archive"]), "\(stages)")
  }
}
