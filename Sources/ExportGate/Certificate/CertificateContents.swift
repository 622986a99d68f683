import Foundation

/// What a certificate says, read for a person (`exportgate certificate show`): its statement,
/// and whether it is signed, by which key, and whether that signature was checked.
public struct CertificateContents: Sendable, Encodable {
  public var statement: VerificationStatement
  public var signed: Bool
  /// The key ids of the envelope's signatures.
  public var keyIds: [String]
  /// True or false when a public key was given to check the signature; nil when not.
  public var signatureVerified: Bool?

  /// Why a certificate cannot be read.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// Reads the certificate at `path` (a statement, or a DSSE envelope around one); with a
  /// public key, its signature is checked.
  public static func read(path: String, publicKeyPath: String? = nil) throws -> CertificateContents
  {
    let data = try InputFile.read(path, what: "certificate")
    let decoder = JSONDecoder()
    var signed = false
    var keyIds: [String] = []
    var verified: Bool?
    var body = data
    if let envelope = try? decoder.decode(DSSEEnvelope.self, from: data) {
      guard let payload = Data(base64Encoded: envelope.payload) else {
        throw Failure(description: "\(path): the envelope's payload is not base64")
      }
      signed = true
      keyIds = envelope.signatures.map(\.keyid)
      body = payload
      if let publicKeyPath {
        let key = try SigningKey.publicKey(
          pem: String(decoding: InputFile.read(publicKeyPath, what: "public key"), as: UTF8.self))
        verified = envelope.verifiedPayload(with: key) != nil
      }
    } else if publicKeyPath != nil {
      verified = false
    }
    let statement: VerificationStatement
    do {
      statement = try decoder.decode(VerificationStatement.self, from: body)
    } catch {
      throw Failure(description: "\(path) is not an ExportGate certificate (in-toto Statement v1)")
    }
    return CertificateContents(
      statement: statement, signed: signed, keyIds: keyIds, signatureVerified: verified)
  }

  /// The statement in plain words, one fact per line.
  public var text: String {
    let predicate = statement.predicate
    var lines = ["ExportGate certificate: \(predicate.verdict.uppercased())"]
    lines.append(
      "  verified at \(predicate.verifiedAt) by \(predicate.tool["name"] ?? "exportgate") \(predicate.tool["version"] ?? "")"
    )
    lines.append("  org: \(predicate.orgId ?? "not named")")
    lines.append("  parts (\(statement.subject.count)), each named with its SHA-256:")
    for part in statement.subject {
      lines.append("    \(part.name)  \(part.digest["sha256"] ?? "-")")
    }
    if let list = predicate.partList {
      lines.append(
        "  part list: \(list.name) (SHA-256 \(list.digest["sha256"] ?? "-")), read at \(list.readAt) from \(list.instance): \(list.parts) part(s)"
      )
    } else {
      lines.append("  part list: none (no proof the parts are all the export's)")
    }
    if let inventory = predicate.inventory {
      lines.append(
        "  inventory: \(inventory.name) (SHA-256 \(inventory.digest["sha256"] ?? "-")), taken at \(inventory.takenAt), as of \(inventory.asOf), from \(inventory.instance)"
          + (inventory.username.map { " as \($0)" } ?? ""))
    } else {
      lines.append("  inventory: none (not checked against what the org holds)")
    }
    lines.append(
      "  policy: " + (predicate.policyDigest?["sha256"].map { "SHA-256 \($0)" } ?? "none"))
    let records = predicate.objects.values.reduce(0, +)
    lines.append("  objects (\(predicate.objects.count)), \(records) record(s):")
    for (name, count) in predicate.objects.sorted(by: { $0.key < $1.key }) {
      lines.append("    \(name): \(count)")
    }
    if !predicate.files.isEmpty {
      lines.append("  files:")
      for (folder, count) in predicate.files.sorted(by: { $0.key < $1.key }) {
        lines.append(
          "    \(folder): \(count.present) of \(count.expected) present, \(count.bytes) bytes")
      }
    }
    lines.append("  findings: \(predicate.errors) error(s), \(predicate.warnings) warning(s)")
    let signature: String
    switch (signed, signatureVerified) {
    case (false, _): signature = "not signed"
    case (true, .some(true)): signature = "signed (key \(keyIds.joined(separator: ", "))): verified"
    case (true, .some(false)):
      signature =
        "signed (key \(keyIds.joined(separator: ", "))): does NOT verify with the key given"
    case (true, .none):
      signature =
        "signed (key \(keyIds.joined(separator: ", "))): not checked (give --public-key KEYFILE.pub)"
    }
    lines.append("  signature: \(signature)")
    return lines.joined(separator: "\n") + "\n"
  }
}
