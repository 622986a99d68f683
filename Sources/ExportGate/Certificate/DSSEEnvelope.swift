import Crypto
import Foundation

/// A DSSE envelope (Dead Simple Signing Envelope) around a statement, signed with Ed25519 over
/// the pre-authentication encoding, as in-toto and cosign use it.
public struct DSSEEnvelope: Codable, Sendable, Equatable {
  public static let payloadType = "application/vnd.in-toto+json"

  public struct Signature: Codable, Sendable, Equatable {
    public var keyid: String
    public var sig: String
  }

  public var payloadType: String
  /// Base64 of the statement's bytes.
  public var payload: String
  public var signatures: [Signature]

  /// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.
  static func preAuthenticationEncoding(type: String, body: Data) -> Data {
    var data = Data("DSSEv1 \(type.utf8.count) \(type) \(body.count) ".utf8)
    data.append(body)
    return data
  }

  public static func sign(_ statement: Data, with key: Curve25519.Signing.PrivateKey) throws
    -> DSSEEnvelope
  {
    let signature = try key.signature(
      for: preAuthenticationEncoding(type: payloadType, body: statement))
    return DSSEEnvelope(
      payloadType: payloadType, payload: statement.base64EncodedString(),
      signatures: [
        Signature(
          keyid: SigningKey.keyID(key.publicKey), sig: Data(signature).base64EncodedString())
      ])
  }

  /// The payload bytes when a signature by `key` covers them, else nil.
  public func verifiedPayload(with key: Curve25519.Signing.PublicKey) -> Data? {
    guard let body = Data(base64Encoded: payload) else { return nil }
    let message = Self.preAuthenticationEncoding(type: payloadType, body: body)
    for signature in signatures {
      if let bytes = Data(base64Encoded: signature.sig), key.isValidSignature(bytes, for: message) {
        return body
      }
    }
    return nil
  }
}
