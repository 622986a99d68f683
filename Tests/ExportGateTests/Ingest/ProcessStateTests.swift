import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// A library must not change its host's process: reading parts leaves the process's locale and
/// environment as they were, and still reads non-ASCII entry names through libarchive.
@Suite struct ProcessStateTests {
  @Test func aScanThroughLibarchiveKeepsTheLocaleAndTZAndReadsNonASCIINames() throws {
    let directory = TemporaryDirectory()
    let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
    let name = "Documents/Pièces jointes – Müller, été.pdf"
    try RawZip.write(
      [RawZip.Entry("Account.csv", Array("Id,Name\n".utf8)), RawZip.Entry(name, [1, 2, 3])],
      to: path)
    let paths = [path]
    let localeBefore = setlocale(LC_CTYPE, nil).map { String(cString: $0) }
    let zoneBefore = getenv("TZ").map { String(cString: $0) }

    var scanner = BundleScanner(bundle: try BundleLocator.locate(paths), jobs: 1)
    scanner.allowsDirectRead = false
    let visitor = CollectingVisitor()
    let result = scanner.scan(visitor: visitor)

    #expect(result.parts.map(\.decodedBy) == paths.map { _ in "libarchive" })
    #expect(visitor.entries.map(\.entry.path) == ["Account.csv", name])
    #expect(setlocale(LC_CTYPE, nil).map { String(cString: $0) } == localeBefore)
    #expect(getenv("TZ").map { String(cString: $0) } == zoneBefore)
  }
}
