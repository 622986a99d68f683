import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Restoring an export verify would refuse is allowed (what is whole is worth having) but never
/// silent: it is said before anything is written, and each file that may have been in the
/// damaged part says so instead of "the export does not hold this file".
@Suite struct RestorePrecheckTests {
  func cutExample(_ directory: TemporaryDirectory) throws -> [String] {
    let paths = try ExampleExport.writeWithSecondPartCut(to: directory.file("parts"))
    return paths
  }

  @Test func aCutPartIsSeenBeforeAnythingIsReadAndAWholeExportIsNot() throws {
    let directory = TemporaryDirectory()
    let paths = try cutExample(directory)
    let problems = try RestorePrecheck(paths: paths).problems
    #expect(problems.count == 1, "\(problems)")
    #expect(
      problems.first?.hasPrefix("part-truncated: \((paths[1] as NSString).lastPathComponent)")
        == true)
    let whole = try FixtureWriter.writeParts(ExampleExport.make(), to: directory.file("whole"))
    #expect(try RestorePrecheck(paths: whole).warning == nil)
  }

  @Test(.enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
  func restoreSaysSoFirstThenRestoresWhatIsWhole() throws {
    let directory = TemporaryDirectory()
    let paths = try cutExample(directory)
    let root = directory.file("restored")
    let run = try ExportGateBinary.run(["restore", directory.file("parts"), "--to", root])
    #expect(run.status == 1, "\(run.standardError)")
    #expect(run.standardError.hasPrefix("WARNING: verify would refuse this export:"))
    #expect(run.standardError.contains("part-truncated"))
    let manifest = try String(
      contentsOfFile: (root as NSString).appendingPathComponent("manifest.csv"), encoding: .utf8)
    let cut = (paths[1] as NSString).lastPathComponent
    #expect(manifest.contains("it may have been in \(cut)"))
    #expect(!manifest.contains("the export does not hold this file"))
    #expect(manifest.contains(",restored,"))
  }
}
