import Crypto
import ExportGate
import ExportGateTestSupport
import Foundation
import Testing

@Suite struct CertificateTests {
  struct Signed {
    let directory = TemporaryDirectory()
    let parts: String
    let certificate: String
    let publicKey: String
    let key = Curve25519.Signing.PrivateKey()

    init(sign: Bool = true) throws {
      parts = directory.file("parts")
      try FixtureWriter.writeParts(smallExport(), to: parts)
      let report = try ExportVerifier().verify(paths: [parts])
      let statement = try #require(VerificationStatement(report: report))
      certificate = directory.file("cert.json")
      publicKey = directory.file("key.pub")
      try SigningKey.publicPEM(key.publicKey).write(
        toFile: publicKey, atomically: true, encoding: .utf8)
      if sign {
        let envelope = try DSSEEnvelope.sign(try statement.encoded(), with: key)
        try JSONEncoder().encode(envelope).write(to: URL(fileURLWithPath: certificate))
      } else {
        try statement.encoded().write(to: URL(fileURLWithPath: certificate))
      }
    }

    func check(publicKey: String? = nil) throws -> CertificateCheck.Result {
      try CertificateCheck().check(
        certificatePath: certificate, paths: [parts], publicKeyPath: publicKey)
    }
  }

  @Test func aSignedCertificateChecksOut() throws {
    let signed = try Signed()
    let result = try signed.check(publicKey: signed.publicKey)
    #expect(result.passed, "\(result.problems)")
    #expect(result.signatureVerified)
    #expect(result.statement?.subject.count == 1)
    #expect(result.statement?.predicate.objects["Account"] == 10)
  }

  @Test func changingAnyByteOfAPartFailsTheCheck() throws {
    let signed = try Signed()
    let part = try #require(try FileManager.default.contentsOfDirectory(atPath: signed.parts).first)
    let path = signed.parts + "/" + part
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: path))
    let result = try signed.check(publicKey: signed.publicKey)
    #expect(!result.passed)
    #expect(result.problems.contains { $0.contains(part) && $0.contains("differs") })
  }

  @Test func changingAFieldOfTheStatementFailsTheSignature() throws {
    let signed = try Signed()
    var envelope = try JSONDecoder().decode(
      DSSEEnvelope.self, from: Data(contentsOf: URL(fileURLWithPath: signed.certificate)))
    var statement = try JSONDecoder().decode(
      VerificationStatement.self, from: try #require(Data(base64Encoded: envelope.payload)))
    statement.predicate.objects["Account"] = 11
    envelope.payload = try statement.encoded().base64EncodedString()
    try JSONEncoder().encode(envelope).write(to: URL(fileURLWithPath: signed.certificate))
    let result = try signed.check(publicKey: signed.publicKey)
    #expect(!result.passed)
    #expect(result.problems.first?.contains("signature does not verify") == true)
  }

  @Test func anotherKeyFailsTheSignature() throws {
    let signed = try Signed()
    let other = signed.directory.file("other.pub")
    try SigningKey.publicPEM(Curve25519.Signing.PrivateKey().publicKey).write(
      toFile: other, atomically: true, encoding: .utf8)
    #expect(try !signed.check(publicKey: other).passed)
  }

  @Test func aSignedCertificateNeedsThePublicKey() throws {
    let signed = try Signed()
    #expect(throws: CertificateCheck.UsageError.self) { _ = try signed.check() }
  }

  @Test func anUnsignedCertificateStillChecksTheBytes() throws {
    let signed = try Signed(sign: false)
    let result = try signed.check()
    #expect(result.passed)
    #expect(!result.signatureVerified)
    #expect(try !signed.check(publicKey: signed.publicKey).passed)
  }

  @Test func aRefusedExportGetsNoStatement() throws {
    var export = smallExport()
    export.tables.removeAll { $0.name == "Account" }
    let report = try verifyFixture(export)
    #expect(VerificationStatement(report: report) == nil)
  }

  @Test func keysRoundTripThroughPEM() throws {
    let key = Curve25519.Signing.PrivateKey()
    let restored = try SigningKey.privateKey(pem: SigningKey.privatePEM(key))
    #expect(restored.rawRepresentation == key.rawRepresentation)
    let publicKey = try SigningKey.publicKey(pem: SigningKey.publicPEM(key.publicKey))
    #expect(publicKey.rawRepresentation == key.publicKey.rawRepresentation)
    #expect(SigningKey.privatePEM(key).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
  }

  @Test(
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs openssl"))
  func opensslReadsTheKeys() throws {
    let directory = TemporaryDirectory()
    let key = Curve25519.Signing.PrivateKey()
    let path = directory.file("key.pem")
    try SigningKey.privatePEM(key).write(toFile: path, atomically: true, encoding: .utf8)
    let run = try ExportGateBinary.run(
      ["pkey", "-in", path, "-pubout"], binary: "/usr/bin/openssl")
    #expect(run.status == 0)
    #expect(run.standardOutput == SigningKey.publicPEM(key.publicKey))
  }
}

@Suite struct CertificateScopeTests {
  @Test func anExtractedFolderGetsNoCertificate() throws {
    let report = try verifyFixture(smallExport(), asFolder: true)
    #expect(report.isCertified)
    #expect(VerificationStatement(report: report) == nil)
  }

  @Test func aStatementNamingNoPartNeverChecksOut() throws {
    let directory = TemporaryDirectory()
    let parts = directory.file("parts")
    try FixtureWriter.writeParts(smallExport(), to: parts)
    var statement = try #require(
      VerificationStatement(report: try ExportVerifier().verify(paths: [parts])))
    statement.subject = []
    let path = directory.file("empty.json")
    try statement.encoded().write(to: URL(fileURLWithPath: path))
    let result = try CertificateCheck().check(
      certificatePath: path, paths: [parts], publicKeyPath: nil)
    #expect(!result.passed)
    #expect(result.problems.first?.contains("names no part") == true)
  }
}

@Suite struct CertificateRenameTests {
  @Test func renamedPartsStillMatchByTheirBytes() throws {
    let directory = TemporaryDirectory()
    let parts = directory.file("parts")
    var export = smallExport()
    export.maxPartBytes = 20_000
    let paths = try FixtureWriter.writeParts(export, to: parts)
    let statement = try #require(
      VerificationStatement(report: try ExportVerifier().verify(paths: [parts])))
    let certificate = directory.file("cert.json")
    try statement.encoded().write(to: URL(fileURLWithPath: certificate))
    let renamed = parts + "/archived-2026-11-26-part1.zip"
    try FileManager.default.moveItem(atPath: paths[0], toPath: renamed)
    let result = try CertificateCheck().check(
      certificatePath: certificate, paths: [parts], publicKeyPath: nil)
    #expect(result.passed, "\(result.problems)")
    #expect(
      result.matched.contains { $0.contains("archived-2026-11-26-part1.zip (certified as WE_") })
    // A renamed part whose bytes changed is neither matched nor forgiven.
    var bytes = try Data(contentsOf: URL(fileURLWithPath: renamed))
    bytes[100] ^= 1
    try bytes.write(to: URL(fileURLWithPath: renamed))
    let changed = try CertificateCheck().check(
      certificatePath: certificate, paths: [parts], publicKeyPath: nil)
    #expect(!changed.passed)
    #expect(changed.problems.contains { $0.contains("is certified but was not given") })
    #expect(
      changed.problems.contains {
        $0.contains("archived-2026-11-26-part1.zip is not part of the certified export")
      })
  }
}
