import Foundation
import Hummingbird

/// Lets through only requests that carry the browse page's token, in the `t` query parameter
/// or the cookie the first such request sets, and that name this machine as their host (a
/// page elsewhere cannot reach the server through a name that resolves to 127.0.0.1). Every
/// other request is answered 403 with a plain line, never a redirect or a login page.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: String
  /// False when the server was bound to another address on purpose (`--host`): its Host
  /// header then names that address.
  var checksHost = true
  static var cookieName: String { "exportgate_token" }

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let fromQuery = BrowseQuery(request.uri.query).value("t")
    let fromCookie = request.cookies[Self.cookieName]?.value
    guard !checksHost || Self.isLocalHost(request.head.authority),
      [fromQuery, fromCookie].contains(where: { $0.map(matches) == true })
    else {
      return Response(
        status: .forbidden,
        headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
        body: .init(
          byteBuffer: ByteBuffer(
            string: "403: this page needs its token: open the URL `exportgate browse` printed\n")))
    }
    var response = try await next(request, context)
    if fromQuery.map(matches) == true, fromCookie.map(matches) != true {
      response.setCookie(
        Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict))
    }
    response.headers[.xContentTypeOptions] = "nosniff"
    if response.headers[.contentSecurityPolicy] == nil {
      // Pages carry no script: none may run, nothing may be loaded from elsewhere.
      response.headers[.contentSecurityPolicy] =
        "default-src 'none'; img-src 'self'; frame-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'self'"
    }
    return response
  }

  /// Compares in time that does not depend on where the strings differ.
  private func matches(_ candidate: String) -> Bool {
    let given = Array(candidate.utf8)
    let expected = Array(token.utf8)
    guard given.count == expected.count else { return false }
    return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
  }

  /// A Host of a loopback name or address (any port), or none (HTTP/1.0).
  static func isLocalHost(_ authority: String?) -> Bool {
    guard let authority, !authority.isEmpty else { return true }
    var host = Substring(authority)
    if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
      host = host[host.index(after: host.startIndex)..<end]
    } else if let colon = host.lastIndex(of: ":") {
      host = host[..<colon]
    }
    return host == "localhost" || host == "::1" || SalesforceSession.isLoopback(String(host))
  }
}

/// A query string as a browser sends a form: `+` is a space, `%XX` a byte.
struct BrowseQuery {
  private var pairs: [(String, String)] = []

  init(_ query: String?) {
    for pair in (query ?? "").split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let decode = { (text: Substring) in
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
      }
      pairs.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
    }
  }

  func value(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
}
