import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

/// `fetch` against a fake org on loopback that injects each fault the real one shows.
@Suite(.serialized) struct FetchTests {
  /// A multi-part export served by a fake org.
  struct Setup {
    let directory = TemporaryDirectory()
    let served: String
    let parts: [String]
    let org: FakeOrg

    init(parts count: Int? = nil) throws {
      served = directory.file("served")
      var export = smallExport()
      export.maxPartBytes = 15_000
      // The org behind the page holds what its export holds (fetch takes its inventory).
      let model = FakeOrgModel.matching(
        count == nil ? export : FixtureExport(orgId: ExportGenerator.orgId))
      if let count {
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        var written: [String] = []
        for number in 1...count {
          let path = (served as NSString).appendingPathComponent(
            "WE_\(ExportGenerator.orgId)_\(number).ZIP")
          try FixtureWriter.writeZip(
            at: path, entries: [("Note\(number).txt", Array("part \(number)".utf8))])
          written.append(path)
        }
        parts = written
      } else {
        parts = try FixtureWriter.writeParts(export, to: served)
      }
      org = try FakeOrg(serving: served, model: model)
    }

    var session: SalesforceSession {
      SalesforceSession(instanceURL: org.instanceURL, accessToken: org.token)
    }

    func fetch(
      into name: String = "fetched", session: SalesforceSession? = nil, retries: Int = 4
    ) throws -> (ExportFetcher.Report, String) {
      var options = ExportFetcher.Options(destination: directory.file(name))
      options.retries = retries
      options.retryDelay = 0.01
      options.timeout = 10
      options.jobs = 3
      return (
        try ExportFetcher(options: options).fetch(session: session ?? self.session),
        options.destination
      )
    }

    func identical(_ folder: String) throws -> Bool {
      try parts.allSatisfy { path in
        let name = (path as NSString).lastPathComponent
        return try Data(contentsOf: URL(fileURLWithPath: path))
          == Data(
            contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
      }
    }
  }

  func zipNames(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
      $0.hasSuffix(".ZIP")
    }
  }

  @Test func aCleanFetchIsByteIdenticalListedAndCertified() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete)
    #expect(report.downloaded.count == setup.parts.count)
    #expect(try setup.identical(folder))
    let list = try #require(try ExportPartList.load(folder: folder))
    #expect(list.parts.count == setup.parts.count)
    #expect(
      list.parts.allSatisfy { $0.sha256?.count == 64 && $0.bytes != nil && $0.displayedSize != nil }
    )
    #expect(report.expiresAround != nil)
    let verification = try ExportVerifier().verify(paths: [folder])
    #expect(verification.isCertified, "\(verification.typedFindings)")
    #expect(verification.export.partList?.parts == setup.parts.count)
    #expect(!zipNames(folder).contains { $0.hasPrefix(".") })

    // The certificate names the list, and a list from another export beside the parts fails it.
    let statement = try #require(VerificationStatement(report: verification))
    let claim = try #require(statement.predicate.partList)
    #expect(claim.name == ExportPartList.fileName)
    #expect(claim.parts == setup.parts.count)
    #expect(claim.digest["sha256"] == verification.export.partList?.sha256)
    let certificate = setup.directory.file("cert.json")
    try statement.encoded().write(to: URL(fileURLWithPath: certificate))
    let check = {
      try CertificateCheck().check(
        certificatePath: certificate, paths: [folder], publicKeyPath: nil)
    }
    let clean = try check()
    #expect(clean.passed, "\(clean.problems)")
    var other = list
    other.parts.append(
      ExportPartList.Part(
        name: "WE_00D000000000062_9.ZIP", exportId: "092000000000099", displayedSize: "1.0M"))
    try other.save(folder: folder)
    let problems = try check().problems
    #expect(
      problems.contains {
        $0.contains(ExportPartList.fileName) && $0.contains("WE_00D000000000062_9.ZIP")
      }, "\(problems)")
  }

  @Test func aDroppedConnectionIsRetriedAndResumed() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[1] as NSString).lastPathComponent
    var faults = FakeOrg.Faults()
    faults.dropOnce = [victim]
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete, "\(report.failed)")
    #expect(try setup.identical(folder))
    #expect(setup.org.requests(for: victim) == 2)
  }

  @Test func aServerThatIgnoresRangesIsStartedAgain() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.dropOnce = setup.parts.map { ($0 as NSString).lastPathComponent }
    faults.ignoreRanges = true
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete, "\(report.failed)")
    #expect(try setup.identical(folder))
  }

  @Test func aServerErrorIsRetried() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.errorOnce = [(setup.parts[0] as NSString).lastPathComponent]
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete)
    #expect(try setup.identical(folder))
  }

  @Test func aRejectedSessionStopsAndLeavesNoPart() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let wrong = SalesforceSession(
      instanceURL: setup.org.instanceURL, accessToken: "00Dx!wrong.token")
    #expect {
      _ = try setup.fetch(session: wrong)
    } throws: { error in
      (error as? ExportFetcher.Failure)?.kind == .sessionRejected
        && !"\(error)".contains("wrong.token")
    }
    #expect(zipNames(setup.directory.file("fetched")).isEmpty)
  }

  @Test func aLoginPageServedAsAPartIsASessionProblemNotAPart() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[0] as NSString).lastPathComponent
    var faults = FakeOrg.Faults()
    faults.loginPageInstead = [victim]
    try setup.org.setFaults(faults)
    #expect(throws: ExportFetcher.Failure.self) { _ = try setup.fetch() }
    #expect(!zipNames(setup.directory.file("fetched")).contains(victim))
  }

  @Test func aPartThatNeverCompletesLeavesNothingUnderItsName() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    let victim = (setup.parts[2] as NSString).lastPathComponent
    var faults = FakeOrg.Faults()
    faults.alwaysShort = [victim]
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(!report.isComplete)
    #expect(report.failed.map { $0.location.part } == [victim])
    #expect(!zipNames(folder).contains(victim))
  }

  @Test func aSecondRunDownloadsNothingAndADeletedPartIsMissing() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    _ = try setup.fetch()
    let requests = setup.parts.map { setup.org.requests(for: ($0 as NSString).lastPathComponent) }
    let (again, folder) = try setup.fetch()
    #expect(again.downloaded.isEmpty)
    #expect(again.alreadyComplete.count == setup.parts.count)
    #expect(
      setup.parts.map { setup.org.requests(for: ($0 as NSString).lastPathComponent) } == requests)
    // The last part deleted: the list makes it a fact, not a guess.
    let last = (setup.parts[setup.parts.count - 1] as NSString).lastPathComponent
    try FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(last))
    let verification = try ExportVerifier().verify(paths: [folder])
    #expect(!verification.isCertified)
    #expect(findings(verification, .partMissing).map(\.location.part) == [last])
    // And a part whose bytes changed since the download is named.
    let first = (folder as NSString).appendingPathComponent(
      (setup.parts[0] as NSString).lastPathComponent)
    let handle = try #require(FileHandle(forWritingAtPath: first))
    try handle.seekToEnd()
    handle.write(Data([0]))
    try handle.close()
    let changed = try ExportVerifier().verify(paths: [folder])
    #expect(!findings(changed, .partListMismatch).isEmpty)
  }

  @Test func fiftyPartsAndSlowResponses() throws {
    let setup = try Setup(parts: 50)
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.delay = 0.02
    try setup.org.setFaults(faults)
    let (report, folder) = try setup.fetch()
    #expect(report.isComplete)
    #expect(report.list.parts.count == 50)
    #expect(try setup.identical(folder))
  }

  @Test func noExportOnThePageSaysSo() throws {
    let setup = try Setup()
    defer { setup.org.stop() }
    var faults = FakeOrg.Faults()
    faults.noExport = true
    try setup.org.setFaults(faults)
    #expect { _ = try setup.fetch() } throws: { ($0 as? ExportFetcher.Failure)?.kind == .noExport }
  }

  @Test func thePageIsReadAsTheOrgWritesIt() {
    let html = """
      <script>UserContext.initialize({"dateFormat":"dd/MM/yyyy"});</script>
      <tr><td class="labelCol">Schedule Date</td><td class="data2Col" colspan="3">22/05/2020</td></tr>
      <a href="/servlet/servlet.OrgExport?fileName=WE_00D4J000000CuzUUAS_1.ZIP&amp;id=0924J000000YpZK" class="actionLink">download</a></td><th scope="row" class=" dataCell  ">WE_00D4J000000CuzUUAS_1.ZIP</th><td class=" dataCell  ">81.7K</td></tr>
      <a href="/setup/other?x=1&amp;y=2">not a part</a>
      """
    let page = DataExportPage(html: html)
    #expect(page.links.map(\.fileName) == ["WE_00D4J000000CuzUUAS_1.ZIP"])
    #expect(page.links.first?.exportId == "0924J000000YpZK")
    #expect(page.links.first?.displayedSize == "81.7K")
    #expect(page.links.first?.path.contains("&id=") == true)
    #expect(page.scheduleDate == "22/05/2020")
    #expect(
      page.scheduledDay.map { Calendar(identifier: .gregorian).component(.month, from: $0) } == 5)
  }
}

@Suite(
  .serialized, .enabled(if: ExportGateBinary.path != nil, "needs the built exportgate executable"))
struct FetchCommandTests {
  @Test func theCLIRouteWithAFakeSFAndVerify() throws {
    let setup = try FetchTests.Setup()
    defer { setup.org.stop() }
    let bin = setup.directory.file("bin")
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    let sf = (bin as NSString).appendingPathComponent("sf")
    try """
    #!/bin/sh
    echo '{"status":0,"result":{"id":"00D5g000004ExAmEAK","accessToken":"\(setup.org.token)","instanceUrl":"\(setup.org.instanceURL.absoluteString)","username":"admin@example.com"}}'
    """.write(toFile: sf, atomically: true, encoding: .utf8)
    #expect(chmod(sf, 0o755) == 0)
    let binary = try #require(ExportGateBinary.path)
    let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let run = try ExportGateBinary.run(
      [
        "PATH=\(path)", "EXPORTGATE_RETRY_DELAY=0.01", binary, "fetch", "--to",
        setup.directory.file("cli"), "--verify",
      ],
      binary: "/usr/bin/env")
    #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
    #expect(run.standardOutput.contains("CERTIFIED"))
    #expect(
      !run.standardOutput.contains(setup.org.token) && !run.standardError.contains(setup.org.token))
  }

  @Test func tokensComeFromTheEnvironmentAndPlainHTTPOnlyOnLoopback() throws {
    let setup = try FetchTests.Setup()
    defer { setup.org.stop() }
    let binary = try #require(ExportGateBinary.path)
    let ok = try ExportGateBinary.run(
      [
        "SF_ACCESS_TOKEN=\(setup.org.token)", binary, "fetch", "--to", setup.directory.file("env"),
        "--instance-url", setup.org.instanceURL.absoluteString,
      ],
      binary: "/usr/bin/env")
    #expect(ok.status == 0, "\(ok.standardError)")
    let rejected = try ExportGateBinary.run(
      [
        "SF_ACCESS_TOKEN=00Dx!bad.token", binary, "fetch", "--to", setup.directory.file("bad"),
        "--instance-url", setup.org.instanceURL.absoluteString,
      ],
      binary: "/usr/bin/env")
    #expect(rejected.status == 2)
    #expect(rejected.standardError.contains("sf org login web"))
    #expect(!rejected.standardError.contains("bad.token"))
    let plain = try ExportGateBinary.run(
      ["fetch", "--to", setup.directory.file("x"), "--instance-url", "http://example.com"],
      timeoutSeconds: 20)
    #expect(plain.status == 64)
  }
}
