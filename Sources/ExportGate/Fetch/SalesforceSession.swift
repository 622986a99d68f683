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

  /// `message` without the token.
  public func redact(_ message: String) -> String {
    accessToken.isEmpty
      ? message : message.replacingOccurrences(of: accessToken, with: "[redacted]")
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
    return SalesforceSession(instanceURL: instance, accessToken: token)
  }

  /// The instance given, with the token from `SF_ACCESS_TOKEN`.
  public static func fromEnvironment(instanceURL: URL) throws -> SalesforceSession {
    guard let token = ProcessInfo.processInfo.environment["SF_ACCESS_TOKEN"], !token.isEmpty else {
      throw Problem(
        description:
          "--instance-url needs the access token in SF_ACCESS_TOKEN (never on the command line)")
    }
    return SalesforceSession(instanceURL: instanceURL, accessToken: token)
  }
}
