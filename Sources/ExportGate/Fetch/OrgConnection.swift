import Crypto
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Requests to the org with its session cookie, through URLSession: the Data Export page read
/// whole, parts streamed straight to disk (memory does not depend on a part's size). Redirects
/// are never followed: the org answers an expired session with a redirect to its login page.
final class OrgConnection: @unchecked Sendable {
  let session: SalesforceSession
  let timeout: TimeInterval

  init(session: SalesforceSession, timeout: TimeInterval = 60) {
    self.session = session
    self.timeout = timeout
  }

  /// A finished request: status, headers, and the body (pages only).
  struct Response {
    var status: Int
    var headers: [String: String]
    var body: Data
    var redirectedTo: String? { headers["location"] }
    var contentType: String { headers["content-type"] ?? "" }
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private func request(_ path: String, range: Int64? = nil) -> URLRequest {
    let url = URL(string: path, relativeTo: session.instanceURL) ?? session.instanceURL
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.setValue(session.cookie, forHTTPHeaderField: "Cookie")
    request.setValue("ExportGate/\(ExportGateVersion.current)", forHTTPHeaderField: "User-Agent")
    if let range { request.setValue("bytes=\(range)-", forHTTPHeaderField: "Range") }
    return request
  }

  /// Reads a page whole (the Data Export page is small).
  func page(_ path: String) throws -> Response {
    let collector = Transfer(sink: nil)
    try run(request(path), collector)
    return Response(status: collector.status, headers: collector.headers, body: collector.body)
  }

  /// Streams a part's body into `handle`, from byte `offset` when resuming. `onBytes` gets
  /// each chunk as it arrives (hashing, progress).
  func download(
    _ path: String, resumingAt offset: Int64?, into handle: FileHandle,
    onResponse: @escaping (Int, [String: String]) -> Void, onBytes: @escaping (Data) -> Void
  ) throws -> Response {
    let transfer = Transfer(sink: { data in
      handle.write(data)
      onBytes(data)
    })
    transfer.onResponse = onResponse
    try run(request(path, range: offset), transfer)
    return Response(status: transfer.status, headers: transfer.headers, body: transfer.body)
  }

  private func run(_ request: URLRequest, _ transfer: Transfer) throws {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieAcceptPolicy = .never
    configuration.httpShouldSetCookies = false
    configuration.timeoutIntervalForRequest = timeout
    let urlSession = URLSession(
      configuration: configuration, delegate: transfer, delegateQueue: nil)
    defer { urlSession.finishTasksAndInvalidate() }
    urlSession.dataTask(with: request).resume()
    transfer.done.wait()
    if let error = transfer.error {
      throw Failure(description: session.redact(error.localizedDescription))
    }
  }

  /// One request's delegate: collects or streams the body, refuses redirects.
  final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private let sink: ((Data) -> Void)?
    /// Called with the status and headers before any byte of the body.
    var onResponse: ((Int, [String: String]) -> Void)?
    private(set) var status = 0
    private(set) var headers: [String: String] = [:]
    private(set) var body = Data()
    private(set) var error: Error?

    init(sink: ((Data) -> Void)?) { self.sink = sink }

    func urlSession(
      _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
      completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
      lock.withLock {
        if let http = response as? HTTPURLResponse {
          status = http.statusCode
          for (key, value) in http.allHeaderFields {
            headers[String(describing: key).lowercased()] = String(describing: value)
          }
        }
        onResponse?(status, headers)
      }
      completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
      lock.withLock {
        // A body that is not the file (an error or login page) is kept, never streamed out.
        if let sink, status >= 200, status < 300,
          !(headers["content-type"] ?? "").lowercased().hasPrefix("text/html")
        {
          sink(data)
        } else if body.count < 1 << 20 {
          body.append(data)
        }
      }
    }

    func urlSession(
      _ session: URLSession, task: URLSessionTask,
      willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
      completionHandler: @escaping (URLRequest?) -> Void
    ) {
      completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?)
    {
      lock.withLock { self.error = error }
      done.signal()
    }
  }
}
