import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// Plain parts (Stored and Deflate entries, headers that agree) are decoded by ExportGate itself
/// with ISA-L instead of by libarchive. libarchive is the oracle: whatever either reads, intact
/// or damaged, the other must read the same, entry for entry and finding for finding.
@Suite struct DirectReadTests {
  /// One scan's account of a bundle, in a form two scans can be compared by.
  struct Reading: Equatable {
    struct Entry: Equatable {
      var path: String
      var kind: String
      var declaredSize: Int64?
      var modified: Int64?
      var content: [UInt8]
      var intact: Bool?
    }
    var entries: [Entry]
    /// Code, entry and severity of every finding (the words of a decoding error differ).
    var findings: [String]
    var parts: [String]
    var decoders: [String?]
  }

  static func read(_ paths: [String], direct: Bool) throws -> Reading {
    var scanner = BundleScanner(bundle: try BundleLocator.locate(paths), jobs: 1)
    scanner.allowsDirectRead = direct
    let visitor = CollectingVisitor()
    let result = scanner.scan(visitor: visitor)
    return Reading(
      entries: visitor.entries.map {
        Reading.Entry(
          path: $0.entry.path, kind: "\($0.entry.kind)", declaredSize: $0.entry.declaredSize,
          modified: $0.entry.modified, content: $0.content, intact: $0.outcome?.isComplete)
      },
      findings: result.findings.map {
        "\($0.code.rawValue) \($0.location.part ?? "") \($0.location.entry ?? "") \($0.severity)"
      }.sorted(),
      parts: result.parts.map {
        "\($0.name) \($0.entries) \($0.uncompressedBytes) \($0.sha256 ?? "-") \($0.newestEntry ?? 0)"
      },
      decoders: result.parts.map(\.decodedBy))
  }

  /// Compares the two readings; returns the decoders the direct scan used. Where nothing is
  /// damaged they must agree in everything; where something is, on which entries are damaged
  /// and on every error (how many bytes came out before the damage, and whether libarchive
  /// then gives up on the directory and salvages, differs between decoders).
  @discardableResult
  static func expectAlike(_ paths: [String], _ label: String = "") throws -> [String?] {
    let direct = try read(paths, direct: true)
    let libarchive = try read(paths, direct: false)
    #expect(libarchive.decoders.allSatisfy { $0 == "libarchive" }, "\(label)")
    #expect(direct.entries.map(\.path) == libarchive.entries.map(\.path), "\(label)")
    for (mine, theirs) in zip(direct.entries, libarchive.entries) {
      var mine = mine
      var theirs = theirs
      if mine.intact != true || theirs.intact != true { (mine.content, theirs.content) = ([], []) }
      guard mine != theirs else { continue }
      Issue.record(
        "\(label) \(mine.path): direct \(mine.kind) \(String(describing: mine.declaredSize)) \(String(describing: mine.modified)) \(mine.content.count) bytes intact \(String(describing: mine.intact)); libarchive \(theirs.kind) \(String(describing: theirs.declaredSize)) \(String(describing: theirs.modified)) \(theirs.content.count) bytes intact \(String(describing: theirs.intact))"
      )
    }
    let damaged = (direct.entries + libarchive.entries).contains { $0.intact == false }
    if damaged {
      let errors = { (reading: Reading) in reading.findings.filter { $0.hasSuffix(" error") } }
      #expect(errors(direct) == errors(libarchive), "\(label)")
    } else {
      #expect(direct.findings == libarchive.findings, "\(label)")
      #expect(direct.parts == libarchive.parts, "\(label)")
    }
    return direct.decoders
  }

  /// An export with every shape the reader meets: CSVs, small binaries, and one incompressible
  /// binary of 3 MB whose Deflate data spans several of the reader's 1 MiB blocks.
  private func mixedExport() -> FixtureExport {
    var export = smallExport()
    var random = SeededRandom(seed: 7)
    export.files[0].content = (0..<3_000_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    return export
  }

  @Test(arguments: [FixtureExport.Compression.deflate, .store])
  func generatedExportsAreDecodedDirectlyAndReadAsLibarchiveReadsThem(
    compression: FixtureExport.Compression
  ) throws {
    let directory = TemporaryDirectory()
    var export = mixedExport()
    export.compression = compression
    export.maxPartBytes = 1_200_000
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    #expect(paths.count >= 2)
    let decoders = try Self.expectAlike(paths)
    #expect(decoders.allSatisfy { $0 == "exportgate" })
  }

  @Test func theBundledExampleIsDecodedDirectlyAndReadAsLibarchiveReadsIt() throws {
    let example = SharedCorpus.projectRoot + "/Fixtures/example"
    let paths = try FileManager.default.contentsOfDirectory(atPath: example)
      .filter { $0.uppercased().hasSuffix(".ZIP") }.sorted().map { example + "/" + $0 }
    let decoders = try Self.expectAlike(paths)
    #expect(decoders.allSatisfy { $0 == "exportgate" })
  }

  /// Random damage to the entries' bytes (headers and directory left alone, so that the audit
  /// still lets the part be read directly): both decoders find the same entries damaged.
  @Test func damageIsFoundAlikeEitherWay() throws {
    let directory = TemporaryDirectory()
    var export = mixedExport()
    export.maxPartBytes = .max
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[0])))
    let damaged = directory.path + "/damaged/" + (paths[0] as NSString).lastPathComponent
    try FileManager.default.createDirectory(
      atPath: directory.path + "/damaged", withIntermediateDirectories: true)
    var random = SeededRandom(seed: 2026)
    var directlyRead = 0
    var findingsSeen = 0
    for trial in 0..<40 {
      var bytes = original
      for _ in 0..<(1 + Int(random.next() % 3)) {
        // Inside the first 90% of the file: entries, not the directory at the end.
        let position = Int(random.next() % UInt64(bytes.count * 9 / 10))
        bytes[position] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
      }
      try Data(bytes).write(to: URL(fileURLWithPath: damaged))
      let decoders = try Self.expectAlike([damaged], "trial \(trial)")
      if decoders == ["exportgate"] { directlyRead += 1 }
      findingsSeen += try Self.read([damaged], direct: true).findings.count
    }
    // Most damage falls in entry data, which leaves the part to the direct read.
    #expect(directlyRead >= 20)
    #expect(findingsSeen >= directlyRead)
  }

  /// Deflate data made to fail in each way a decoder can see: cut short, not Deflate at all,
  /// a size or CRC the headers misstate, bytes after the stream's end.
  @Test func craftedDeflateDamageIsReadAlikeEitherWay() throws {
    var random = SeededRandom(seed: 11)
    let content = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: random.next() % 16) }
    let deflated = RawZip.deflate(content)
    #expect(deflated.count > 1000 && deflated.count < content.count)
    func entry(_ name: String, data: [UInt8], content: [UInt8] = content) -> RawZip.Entry {
      var entry = RawZip.Entry(name, content)
      entry.centralMethod = 8
      entry.localMethod = 8
      entry.data = data
      return entry
    }
    var misstated = entry("Attachments/00P5g00000AbCdFAAV", data: deflated)
    misstated.statedCRCXor = 0x100
    let cases: [(String, [RawZip.Entry])] = [
      ("intact", [entry("Attachments/00P5g00000AbCdEAAV", data: deflated)]),
      ("cut short", [entry("Attachments/00P5g00000AbCdEAAV", data: Array(deflated.prefix(900)))]),
      ("not Deflate", [entry("Attachments/00P5g00000AbCdEAAV", data: [0xFF] + deflated)]),
      ("bad CRC", [misstated]),
      (
        "size misstated",
        [entry("Attachments/00P5g00000AbCdEAAV", data: deflated, content: content + [1])]
      ),
      ("trailing bytes", [entry("Attachments/00P5g00000AbCdEAAV", data: deflated + [1, 2, 3])]),
    ]
    for (label, entries) in cases {
      let directory = TemporaryDirectory()
      let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
      let plain = RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8))
      try RawZip.write([plain] + entries + [plain.renamed("Contact.csv")], to: path)
      let decoders = try Self.expectAlike([path], label)
      #expect(decoders == ["exportgate"], "\(label)")
      let reading = try Self.read([path], direct: true)
      let damaged = reading.entries.filter { $0.intact == false }.map(\.path)
      #expect(
        damaged == (label == "intact" ? [] : [entries[0].nameText]), "\(label)")
    }
  }

  /// A streamed entry's local header may state zero sizes; other sizes than the directory's
  /// make libarchive refuse the entry, so such a part is libarchive's to read (found by
  /// `Fuzz/run direct`).
  @Test func aStreamedEntryWhoseLocalHeaderStatesOtherSizesIsLeftToLibarchive() throws {
    var streamed = RawZip.Entry("Attachments/00P5g00000AbCdEAAV", Array(repeating: 9, count: 300))
    streamed.descriptorCRC = RawZip.crc(streamed.content)
    let directory = TemporaryDirectory()
    let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
    try RawZip.write([RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8)), streamed], to: path)
    #expect(try Self.expectAlike([path], "agreeing") == ["exportgate"])
    streamed.localSizeDelta = 5
    try RawZip.write([RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8)), streamed], to: path)
    #expect(try Self.expectAlike([path], "disagreeing") == ["libarchive"])
  }

  /// A flagged UTF-8 name is read directly, with the name libarchive gives it. A name flagged
  /// UTF-8 that is not is named by the audit (extractors read it differently), so libarchive
  /// reads that part.
  @Test func namesAreReadAsLibarchiveReadsThem() throws {
    let csv = RawZip.Entry("Account.csv", Array("\"Id\"\n".utf8))
    let directory = TemporaryDirectory()
    let path = directory.path + "/WE_00D5g000004ExAmEAK_1.ZIP"
    try RawZip.write([csv, RawZip.Entry("Documents/Café – été.txt", [1, 2, 3])], to: path)
    #expect(try Self.expectAlike([path], "UTF-8") == ["exportgate"])
    var invalid = RawZip.Entry("Documents/x", [1, 2, 3])
    invalid.name = Array("Documents/".utf8) + [0xC3, 0x28, 0xFF]
    try RawZip.write([csv, invalid], to: path)
    #expect(try Self.expectAlike([path], "not UTF-8") == ["libarchive"])
  }

  /// Where the two differ on purpose, and why.
  static let knownDifferences: [String: String] = [
    "libzip/testfile-long-comment.zip":
      "a 22 KB archive comment after the end record: libarchive's seekable reader does not find the record ('Unrecognized archive format'), salvages the entry through its local header and warns; the direct read finds the record, as every other tool does, and reads the entry intact"
  ]

  @Test(.enabled(if: SharedCorpus.shouldRun, "needs ../shared/conformance (absent in this clone)"))
  func theZipConformanceCorpusIsReadAlikeEitherWay() throws {
    let root = try #require(SharedCorpus.path("conformance/zip"))
    let files = try #require(FileManager.default.subpaths(atPath: root))
      .filter { $0.lowercased().hasSuffix(".zip") }.sorted()
    #expect(files.count > 100)
    var direct = 0
    for file in files where Self.knownDifferences[file] == nil {
      let decoders = try Self.expectAlike([root + "/" + file], file)
      if decoders == ["exportgate"] { direct += 1 }
    }
    // Plain archives are common in the corpus too: the direct read meets them.
    #expect(direct >= 20)
  }
}

extension RawZip.Entry {
  fileprivate func renamed(_ name: String) -> RawZip.Entry {
    var copy = self
    copy.name = Array(name.utf8)
    return copy
  }

  fileprivate var nameText: String { String(decoding: name, as: UTF8.self) }
}
