import Foundation

/// `exportgate certificate check`: does a certificate (signed or not) still describe exactly
/// these parts? Verifies the signature when a public key is given, then re-hashes the parts.
public struct CertificateCheck {
  /// What the check found.
  public struct Result: Sendable {
    public var statement: VerificationStatement?
    public var signatureVerified: Bool
    /// Every reason the parts are not exactly the certified bytes (empty when they are).
    public var problems: [String]
    public var matched: [String]
    /// The inventory held against the certified one, when one was given or beside the parts.
    public var inventoryChecked: String?
    public var passed: Bool { problems.isEmpty && statement != nil }
  }

  public struct UsageError: Error, CustomStringConvertible {
    public let description: String
  }

  public init() {}

  /// Checks the certificate against `paths`; the inventory compared is `inventoryPath`, else
  /// `org-inventory.json` beside the parts.
  public func check(
    certificatePath: String, paths: [String], publicKeyPath: String?,
    inventoryPath: String? = nil
  ) throws -> Result {
    let data = try InputFile.read(certificatePath, what: "certificate")
    let decoder = JSONDecoder()
    var result = Result(statement: nil, signatureVerified: false, problems: [], matched: [])
    let statementBytes: Data
    if let envelope = try? decoder.decode(DSSEEnvelope.self, from: data) {
      guard let publicKeyPath else {
        throw UsageError(
          description:
            "the certificate is signed: give --public-key KEYFILE.pub to check its signature")
      }
      let key = try SigningKey.publicKey(
        pem: String(decoding: InputFile.read(publicKeyPath, what: "public key"), as: UTF8.self))
      guard envelope.payloadType == DSSEEnvelope.payloadType,
        let payload = envelope.verifiedPayload(with: key)
      else {
        result.problems.append(
          "the signature does not verify with \((publicKeyPath as NSString).lastPathComponent): the certificate was altered or signed with another key"
        )
        return result
      }
      result.signatureVerified = true
      statementBytes = payload
    } else {
      if let publicKeyPath {
        result.problems.append(
          "the certificate is not signed, so \((publicKeyPath as NSString).lastPathComponent) cannot vouch for it"
        )
      }
      statementBytes = data
    }
    guard let statement = try? decoder.decode(VerificationStatement.self, from: statementBytes),
      statement.type == VerificationStatement.type
    else {
      result.problems.append("not an ExportGate certificate (in-toto Statement v1 expected)")
      return result
    }
    result.statement = statement
    guard statement.predicate.verdict == "certified" else {
      result.problems.append(
        "the statement's verdict is \(statement.predicate.verdict), not certified")
      return result
    }
    guard !statement.subject.isEmpty else {
      result.problems.append("the certificate names no part, so it vouches for no bytes")
      return result
    }
    let bundle = try BundleLocator.locate(paths)
    try matchParts(of: bundle, to: statement, into: &result)
    checkPartList(of: bundle, against: statement, into: &result)
    let inventory = inventoryPath ?? bundle.inventoryPath
    if let problem = try inventoryProblem(statement.predicate.inventory, given: inventory) {
      result.problems.append(problem)
    } else {
      result.inventoryChecked = inventory
    }
    return result
  }

  /// Each part given against the certified subjects: by its bytes first (archives rename
  /// files), then by name.
  private func matchParts(
    of bundle: ExportBundle, to statement: VerificationStatement, into result: inout Result
  ) throws {
    var given: [(name: String, digest: String)] = []
    for part in bundle.parts {
      given.append((part.name, try PartHasher.sha256Hex(ofFileAt: part.path)))
    }
    var unmatched = given
    for subject in statement.subject {
      let certified = subject.digest["sha256"] ?? ""
      if let index = unmatched.firstIndex(where: { $0.digest == certified }) {
        let part = unmatched.remove(at: index)
        result.matched.append(
          part.name == subject.name ? part.name : "\(part.name) (certified as \(subject.name))")
      } else if let index = unmatched.firstIndex(where: { $0.name == subject.name }) {
        let part = unmatched.remove(at: index)
        result.problems.append(
          "\(subject.name) differs from the certified bytes (SHA-256 \(part.digest.prefix(16))..., certified \(certified.prefix(16))...)"
        )
      } else {
        result.problems.append("\(subject.name) is certified but was not given")
      }
    }
    for part in unmatched {
      result.problems.append("\(part.name) is not part of the certified export")
    }
  }

  /// A part list beside the parts must still list what was certified (re-running fetch
  /// rewrites the file, so its parts are compared, not its bytes).
  private func checkPartList(
    of bundle: ExportBundle, against statement: VerificationStatement, into result: inout Result
  ) {
    if let claim = statement.predicate.partList, let list = bundle.partList {
      let certifiedNames = Set(statement.subject.map(\.name))
      let listedNames = Set(list.parts.map(\.name))
      if list.parts.count != claim.parts || listedNames != certifiedNames {
        result.problems.append(
          "\(claim.name) beside the parts lists \(list.parts.count) part(s) where the certified one listed \(claim.parts) (\(certifiedNames.symmetricDifference(listedNames).sorted().joined(separator: ", "))): the parts and the list are from different exports"
        )
      }
    }
  }

  /// An inventory given (or beside the parts) that is not the one certified; the certificate
  /// says what it was certified against, so another inventory cannot pass for it.
  private func inventoryProblem(_ claim: VerificationStatement.InventoryClaim?, given: String?)
    throws -> String?
  {
    guard let given else { return nil }
    let digest = try PartHasher.sha256Hex(ofFileAt: given)
    guard let claim else {
      return
        "\((given as NSString).lastPathComponent) is given, but the certificate was made without an inventory: it claims completeness only as far as the export's own data can tell"
    }
    guard claim.digest["sha256"] == digest else {
      return
        "\((given as NSString).lastPathComponent) is not the inventory certified (SHA-256 \(digest.prefix(16))..., certified \((claim.digest["sha256"] ?? "").prefix(16))..., taken \(claim.takenAt)): the export was certified against another inventory"
    }
    return nil
  }
}
