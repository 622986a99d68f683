import Foundation

/// The org and the access token to read its Data Export page with: from the Salesforce CLI
/// (`sf org display --json`), the way admins are already logged in, or from `SF_ACCESS_TOKEN`
/// with an instance URL. The token is never printed, logged or written: its description is
/// redacted, and `redact` removes it from any message.
public struct SalesforceSession: Sendable, CustomStringConvertible {
  public struct Problem: Error, CustomStringConvertible {
    public let description: String
  }

  public let instanceURL: URL
  let accessToken: String

  public init(instanceURL: URL, accessToken: String) {
    self.instanceURL = instanceURL
    self.accessToken = accessToken
  }

  public var description: String { "\(instanceURL.absoluteString) (access token redacted)" }

  /// The cookie every request carries: the token as is (real ones contain `!` and `.`).
  var cookie: String { "sid=\(accessToken)" }

  /// Refuses to send the token anywhere but over https, or over plain http to this machine
  /// (test servers): a name that only looks like loopback (`127.evil.example`) is not.
  public func checkTransport() throws {
    let scheme = instanceURL.scheme?.lowercased()
    guard let host = instanceURL.host, !host.isEmpty else {
      throw Problem(description: "the instance URL \(instanceURL.absoluteString) has no host")
    }
    if scheme == "https" { return }
    if scheme == "http" && Self.isLoopback(host) { return }
    throw Problem(
      description:
        "the instance URL \(instanceURL.absoluteString) is not https: the session is sent only over https (plain http only to loopback test servers)"
    )
  }

  /// `localhost`, `::1`, or an IPv4 literal in 127.0.0.0/8 (parsed, not matched as text).
  static func isLoopback(_ host: String) -> Bool {
    let bare =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if bare.lowercased() == "localhost" || bare == "::1" { return true }
    var address = in_addr()
    guard inet_pton(AF_INET, bare, &address) == 1 else { return false }
    return UInt32(bigEndian: address.s_addr) >> 24 == 127
  }

  /// `message` without the token.
  public func redact(_ message: String) -> String {
    let token = accessToken.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else { return message }
    // The forms a token takes once a URL, a JSON encoder or a library's description has
    // carried it: percent-encoded (every reserved character, or the query's set), escaped.
    var forms: Set<String> = [token]
    for allowed in [CharacterSet.alphanumerics, .urlQueryAllowed, .urlPathAllowed] {
      if let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) {
        forms.insert(encoded)
        forms.insert(encoded.lowercased() == encoded ? encoded : Self.lowercaseEscapes(encoded))
      }
    }
    forms.insert(token.replacingOccurrences(of: "/", with: "\\/"))
    forms.insert(token.replacingOccurrences(of: "\"", with: "\\\""))
    var redacted = message
    for form in forms.sorted(by: { $0.count > $1.count }) {
      redacted = redacted.replacingOccurrences(of: form, with: "[redacted]")
    }
    return redacted
  }

  /// `%2F` as `%2f`: both spell the same byte.
  private static func lowercaseEscapes(_ text: String) -> String {
    var out = ""
    var hexLeft = 0
    for character in text {
      if character == "%" {
        hexLeft = 2
        out.append(character)
      } else if hexLeft > 0 {
        hexLeft -= 1
        out.append(contentsOf: character.lowercased())
      } else {
        out.append(character)
      }
    }
    return out
  }

  /// Runs `sf org display --json [--target-org ALIAS]` and takes `result.accessToken` and
  /// `result.instanceUrl`.
  public static func fromSalesforceCLI(targetOrg: String?, executable: String = "sf") throws
    -> SalesforceSession
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      [executable, "org", "display", "--json"] + (targetOrg.map { ["--target-org", $0] } ?? [])
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    do {
      try process.run()
    } catch {
      throw Problem(
        description:
          "cannot run the Salesforce CLI (\(executable)): install it, or give --instance-url with SF_ACCESS_TOKEN set"
      )
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard
      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let result = json["result"] as? [String: Any],
      let token = result["accessToken"] as? String, !token.isEmpty,
      let instance = (result["instanceUrl"] as? String).flatMap(URL.init(string:))
    else {
      let org = targetOrg.map { " --target-org \($0)" } ?? ""
      throw Problem(
        description:
          "the Salesforce CLI gave no session (sf org display --json\(org)): log in with `sf org login web\(org)`"
      )
    }
    return SalesforceSession(
      instanceURL: instance, accessToken: try plausibleToken(token, from: "the Salesforce CLI"))
  }

  /// A token trimmed of surrounding white space, refused (never sent) when it holds a control
  /// character (CR or LF would inject a header) or anything a session id does not hold.
  static func plausibleToken(_ raw: String, from origin: String) throws -> String {
    let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    let plausible =
      !token.isEmpty && token.count <= 4096
      && token.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }
    guard plausible else {
      throw Problem(
        description:
          "the access token from \(origin) is not a plausible session id (empty, too long, or holding spaces or control characters): it was not sent"
      )
    }
    return token
  }

  /// The instance given, with the token from `SF_ACCESS_TOKEN`.
  public static func fromEnvironment(instanceURL: URL) throws -> SalesforceSession {
    guard let token = ProcessInfo.processInfo.environment["SF_ACCESS_TOKEN"], !token.isEmpty else {
      throw Problem(
        description:
          "--instance-url needs the access token in SF_ACCESS_TOKEN (never on the command line)")
    }
    return SalesforceSession(
      instanceURL: instanceURL, accessToken: try plausibleToken(token, from: "SF_ACCESS_TOKEN"))
  }
}
