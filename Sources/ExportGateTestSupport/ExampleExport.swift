/// The example export bundled in `Fixtures/example`: a few hundred records across the usual
/// objects, with files, in two parts.
public enum ExampleExport {
  /// The example's parts written to `folder` with the second cut in half, as an admin's
  /// interrupted download leaves it; the parts' paths.
  public static func writeWithSecondPartCut(to folder: String) throws -> [String] {
    let paths = try FixtureWriter.writeParts(make(), to: folder)
    try FaultInjector.truncateToHalf(paths[1])
    return paths
  }

  public static func make() -> FixtureExport {
    var generator = ExportGenerator(seed: 2026)
    var export = generator.make()
    // Two parts: the CSVs and the first binaries in part 1, the rest in part 2.
    let total = FixtureWriter.layout(export).flatMap { $0 }.reduce(0) { $0 + $1.content.count }
    export.maxPartBytes = total * 3 / 5
    return export
  }
}
