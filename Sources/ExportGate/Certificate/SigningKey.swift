import Crypto
import Foundation

/// Ed25519 keys for signing certificates, stored as PEM: the private key as PKCS#8
/// (`PRIVATE KEY`), the public key as SubjectPublicKeyInfo (`PUBLIC KEY`), as OpenSSL writes
/// them (RFC 8410), so `openssl pkey` can read both.
public enum SigningKey {
  public struct KeyError: Error, CustomStringConvertible {
    public let description: String
  }

  /// DER of PKCS#8 for Ed25519, up to the 32-byte seed.
  static let privatePrefix: [UInt8] = [
    0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
  ]
  /// DER of SubjectPublicKeyInfo for Ed25519, up to the 32-byte key.
  static let publicPrefix: [UInt8] = [
    0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00,
  ]

  public static func privatePEM(_ key: Curve25519.Signing.PrivateKey) -> String {
    pem(label: "PRIVATE KEY", der: privatePrefix + key.rawRepresentation)
  }

  public static func publicPEM(_ key: Curve25519.Signing.PublicKey) -> String {
    pem(label: "PUBLIC KEY", der: publicPrefix + key.rawRepresentation)
  }

  public static func privateKey(pem text: String) throws -> Curve25519.Signing.PrivateKey {
    let der = try decode(pem: text, label: "PRIVATE KEY")
    guard der.count == privatePrefix.count + 32,
      Array(der.prefix(privatePrefix.count)) == privatePrefix
    else { throw KeyError(description: "not an Ed25519 private key (PKCS#8 PEM expected)") }
    return try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
  }

  public static func publicKey(pem text: String) throws -> Curve25519.Signing.PublicKey {
    if text.contains("-----BEGIN PRIVATE KEY-----") {
      throw KeyError(
        description:
          "this is a private key: give the public key it pairs with (KEYFILE.pub), and keep the private key to yourself"
      )
    }
    let der = try decode(pem: text, label: "PUBLIC KEY")
    guard der.count == publicPrefix.count + 32,
      Array(der.prefix(publicPrefix.count)) == publicPrefix
    else {
      throw KeyError(description: "not an Ed25519 public key (SubjectPublicKeyInfo PEM expected)")
    }
    return try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
  }

  /// A short identifier of a public key: the hex SHA-256 of its raw bytes.
  public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
    SHA256.hash(data: key.rawRepresentation).map { String(format: "%02x", $0) }.joined()
  }

  static func pem(label: String, der: [UInt8]) -> String {
    let base64 = Data(der).base64EncodedString()
    var lines: [String] = []
    var index = base64.startIndex
    while index < base64.endIndex {
      let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
      lines.append(String(base64[index..<end]))
      index = end
    }
    return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n")
      + "\n-----END \(label)-----\n"
  }

  static func decode(pem text: String, label: String) throws -> [UInt8] {
    let begin = "-----BEGIN \(label)-----"
    let end = "-----END \(label)-----"
    guard let start = text.range(of: begin), let stop = text.range(of: end),
      start.upperBound <= stop.lowerBound
    else { throw KeyError(description: "no \(begin) block") }
    let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
    guard let data = Data(base64Encoded: String(body)) else {
      throw KeyError(description: "the PEM body is not base64")
    }
    return [UInt8](data)
  }
}
