import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// A restore re-checked years later against its manifest (`restore --check`), and a restore
/// folder given to verify by mistake.
@Suite struct RestoreCheckTests {
  typealias Restored = RestoreTests.Restored

  /// `restore --check`: years later, every restored file against the manifest: one changed in
  /// place (same size), one gone, one replaced by a link are each named; untouched, intact.
  @Test func aRestoreIsReCheckedAgainstItsManifest() throws {
    let restored = try Restored(RestoreTests.hardExport())
    let intact = try RestoreCheck.check(folder: restored.root)
    #expect(intact.isIntact, "\(intact.problems)")
    #expect(intact.checked >= restored.report.restoredCount)
    let files = restored.report.rows.filter { $0.status == .restored }.map(\.path)
    #expect(files.count >= 3)
    let changed = restored.root + "/" + files[0]
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: changed)))
    bytes[0] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: changed))
    try FileManager.default.removeItem(atPath: restored.root + "/" + files[1])
    let linked = restored.root + "/" + files[2]
    try FileManager.default.removeItem(atPath: linked)
    try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: changed)
    let result = try RestoreCheck.check(folder: restored.root)
    #expect(Set(result.problems.map(\.path)) == Set(files.prefix(3)))
    #expect(result.problems.first { $0.path == files[0] }?.reason.contains("SHA-256") == true)
    #expect(result.problems.first { $0.path == files[1] }?.reason.contains("missing") == true)
    #expect(result.problems.first { $0.path == files[2] }?.reason.contains("not a regular") == true)
    let run = try ExportGateBinary.run(["restore", "--check", restored.root])
    #expect(run.status == 1)
    #expect(run.standardOutput.contains("NOT INTACT: 3 of"))
    let nothing = try ExportGateBinary.run(["restore", "--check", restored.directory.path])
    #expect(nothing.status == 2)
  }

  /// verify given a restore folder says what it is and how to check it, never "export again".
  @Test func verifyOnARestoreFolderSaysItIsARestore() throws {
    let restored = try Restored(smallExport())
    let run = try ExportGateBinary.run(["verify", restored.root])
    #expect(run.status == 2)
    #expect(run.standardError.contains("restore --check"), "\(run.standardError)")
    #expect(!run.standardOutput.contains("object-missing"))
  }
}
