import ArgumentParser
import ExportGate
import Foundation

/// How `fetch` and `inventory` log in to the org: the Salesforce CLI's session, or an instance
/// URL with the token in `SF_ACCESS_TOKEN` (never on the command line).
struct SessionOptions: ParsableArguments {
  @Option(name: .customLong("target-org"), help: "The Salesforce CLI alias or username to use.")
  var targetOrg: String?

  @Option(
    name: .customLong("instance-url"),
    help: "The org's URL (https://...my.salesforce.com); the token comes from SF_ACCESS_TOKEN.")
  var instanceURL: String?

  func validate() throws {
    if instanceURL != nil && targetOrg != nil {
      throw ValidationError("--instance-url and --target-org exclude each other")
    }
    if let instanceURL {
      guard let url = URL(string: instanceURL), url.scheme != nil, url.host != nil else {
        throw ValidationError("--instance-url '\(instanceURL)' is not a URL")
      }
      do {
        try SalesforceSession(instanceURL: url, accessToken: "").checkTransport()
      } catch {
        throw ValidationError(
          "--instance-url must be https:// (http:// is accepted for loopback test servers only)")
      }
    }
  }

  /// The session, or exit 2 with the reason on stderr.
  func session() throws -> SalesforceSession {
    do {
      let session =
        if let instanceURL, let url = URL(string: instanceURL) {
          try SalesforceSession.fromEnvironment(instanceURL: url)
        } else {
          try SalesforceSession.fromSalesforceCLI(targetOrg: targetOrg)
        }
      try session.checkTransport()
      return session
    } catch {
      FileHandle.standardError.write(Data("exportgate: \(error)\n".utf8))
      throw ExitCode(2)
    }
  }
}
