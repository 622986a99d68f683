import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Requests to the org with its session cookie, through AsyncHTTPClient: the Data Export page
/// read whole, parts streamed straight to disk. The client reads the next bytes from the socket
/// only once the previous ones are written and hashed, so memory does not depend on a part's
/// size however fast the network is. Redirects are never followed: the org answers an expired
/// session with a redirect to its login page.
final class OrgConnection: Sendable {
  let session: SalesforceSession
  private let client: HTTPClient

  private let timeout: TimeAmount

  init(session: SalesforceSession, timeout: TimeInterval = 60) {
    self.session = session
    let limit = TimeAmount.milliseconds(Int64(max(timeout, 0.1) * 1000))
    self.timeout = limit
    var configuration = HTTPClient.Configuration(
      redirectConfiguration: .disallow,
      timeout: HTTPClient.Configuration.Timeout(connect: limit, read: limit),
      decompression: .disabled)
    // Reads of up to 1 MiB instead of NIO's 64 KiB: a part is hundreds of MB, and each read
    // costs a trip through the event loop, a write and a hashing hand-off.
    configuration.http1_1ConnectionDebugInitializer = { channel in
      channel.setOption(
        ChannelOptions.recvAllocator,
        value: AdaptiveRecvByteBufferAllocator(
          minimum: 64 << 10, initial: 256 << 10, maximum: 1 << 20))
    }
    client = HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }

  /// Closes the client's connections; every request must have finished.
  func shutdown() {
    try? client.syncShutdown()
  }

  /// Closes the client's connections from async code (the blocking form may not wait there).
  func close() async {
    try? await client.shutdown()
  }

  /// A finished request: status, headers, and the body (pages and refusals only).
  struct Response: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var redirectedTo: String? { headers["location"] }
    var contentType: String { headers["content-type"] ?? "" }
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Writing a part to disk failed: retrying the download cannot help.
  struct WriteFailure: Error, CustomStringConvertible {
    let description: String
    /// The system's error number (`ENOSPC`: the disk is full); 0 when none applies.
    var code: Int32 = 0

    /// The call that just failed: `errno` is read before `what` is built (building a string
    /// may call into the C library, which may change `errno`).
    static func lastError(_ what: @autoclosure () -> String) -> WriteFailure {
      let code = errno
      return system(what(), code: code)
    }

    /// `what` failed with the system's error number `code`.
    static func system(_ what: String, code: Int32) -> WriteFailure {
      WriteFailure(description: "\(what): \(String(cString: strerror(code)))", code: code)
    }
  }

  /// The body is not what a part must be (not a ZIP, longer than any part can be, a resume
  /// the org answered for other bytes): nothing of it is kept.
  struct BodyRefused: Error, CustomStringConvertible {
    let description: String
    /// The first bytes, when they are not a ZIP's (to say what came instead).
    var head: [UInt8]?
  }

  private func request(_ path: String, range: Int64? = nil, ifRange: String? = nil) throws
    -> HTTPClient.Request
  {
    let url = URL(string: path, relativeTo: session.instanceURL) ?? session.instanceURL
    var headers = HTTPHeaders()
    // The token as is: real ones hold `!` and `.`, and the org does not decode the cookie.
    headers.add(name: "Cookie", value: session.cookie)
    headers.add(name: "User-Agent", value: "ExportGate/\(ExportGateVersion.current)")
    if let range {
      headers.add(name: "Range", value: "bytes=\(range)-")
      // The rest of the same bytes only: a part that changed comes whole (200).
      if let ifRange { headers.add(name: "If-Range", value: ifRange) }
    }
    return try HTTPClient.Request(url: url.absoluteString, method: .GET, headers: headers)
  }

  /// A REST API resource (`/services/data/...`) with the token as a bearer header, read whole
  /// up to `limit` bytes: a larger body fails rather than being cut, so no answer is ever
  /// judged on half its bytes. Redirects are not followed (the token never leaves the host).
  func api(_ path: String, limit: Int) async throws -> Response {
    // A path from an answer (`nextRecordsUrl`) that names another host would take the token
    // there: only paths on the instance itself are requested.
    guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
      let url = URL(string: path, relativeTo: session.instanceURL),
      url.host == session.instanceURL.host
    else {
      throw Failure(
        description: "refused to request \(session.redact(path)): not a path on the org")
    }
    var request = HTTPClientRequest(url: url.absoluteString)
    request.headers.add(name: "Authorization", value: "Bearer \(session.accessToken)")
    request.headers.add(name: "Accept", value: "application/json")
    request.headers.add(name: "User-Agent", value: "ExportGate/\(ExportGateVersion.current)")
    do {
      let response = try await client.execute(request, timeout: timeout)
      let body = try await response.body.collect(upTo: limit)
      var headers: [String: String] = [:]
      for header in response.headers { headers[header.name.lowercased()] = header.value }
      return Response(
        status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
    } catch is NIOTooManyBytesError {
      throw Failure(description: "the org's answer to \(path) is larger than \(limit >> 20) MiB")
    } catch {
      throw Failure(description: session.redact(Self.describe(error)))
    }
  }

  /// Reads a page whole (the Data Export page is small).
  func page(_ path: String) throws -> Response {
    try run(request(path), Transfer(sink: nil))
  }

  /// Streams a part's body to `descriptor` (an open file, positioned where the bytes go), from
  /// byte `offset` when resuming, if the part is still what `ifRange` names. `onResponse` sees the status and headers first and may refuse
  /// the body; a body that starts at byte 0 must start as a ZIP does, and no body may pass
  /// `limit` bytes. `onBytes` gets each chunk once written (hashing, progress).
  func download(
    _ path: String, resumingAt offset: Int64?, ifRange: String? = nil, into descriptor: Int32,
    limit: Int64,
    onResponse: @escaping @Sendable (Int, [String: String]) throws -> Void,
    onBytes: @escaping @Sendable (ByteBuffer) -> Void
  ) throws -> Response {
    let transfer = Transfer(sink: { buffer in
      try buffer.withUnsafeReadableBytes { try Self.writeAll($0, to: descriptor) }
      onBytes(buffer)
    })
    transfer.onResponse = onResponse
    transfer.limit = limit
    let response: Response
    do {
      response = try run(request(path, range: offset, ifRange: ifRange), transfer)
    } catch let failure as Failure {
      // The connection failed: the bytes that arrived intact are kept for the resume.
      try transfer.writeRest()
      throw failure
    }
    try transfer.writeRest()
    return response
  }

  private func run(_ request: HTTPClient.Request, _ transfer: Transfer) throws -> Response {
    do {
      return try client.execute(request: request, delegate: transfer).wait()
    } catch let failure as WriteFailure {
      throw failure
    } catch let refused as BodyRefused {
      throw BodyRefused(description: session.redact(refused.description), head: refused.head)
    } catch {
      throw Failure(description: session.redact(Self.describe(error)))
    }
  }

  private static func describe(_ error: Error) -> String {
    if let error = error as? HTTPClientError {
      switch error {
      case .readTimeout: return "no byte arrived within the timeout"
      case .connectTimeout: return "the connection could not be made within the timeout"
      case .remoteConnectionClosed: return "the org closed the connection"
      default: return String(describing: error)
      }
    }
    return String(describing: error)
  }

  private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws {
    guard let code = AtomicFile.writeAll(descriptor, bytes) else { return }
    throw WriteFailure.system("cannot write the part", code: code)
  }

  /// One request's delegate, called on one event loop in order: collects a page, or streams a
  /// part's body. A body that is not the file (an error or login page) is kept, never written.
  ///
  /// The event loop never touches the disk: body parts are gathered into batches of
  /// ``batchBytes``, and each batch is written (and hashed) on the transfer's own serial
  /// queue; the future returned for the part that filled the batch completes when it is
  /// written, and the client reads nothing more until then. So at most two batches are held.
  /// Unchecked: the gathering state is touched only on the event loop, in the delegate's calls;
  /// the sink only on the queue, one batch at a time, and by ``writeRest()`` once the request
  /// has ended (every batch handed to the queue was written before the next part was read).
  final class Transfer: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = OrgConnection.Response
    static let batchBytes = 1 << 20
    private let writer = DispatchQueue(label: "exportgate.fetch.write")
    /// Bytes gathered for the next write.
    private var batch = ByteBuffer()
    /// The first write that failed (touched only on the queue).
    private var writeError: Error?

    private let sink: ((ByteBuffer) throws -> Void)?
    /// Called with the status and headers before any byte of the body; may refuse it.
    var onResponse: ((Int, [String: String]) throws -> Void)?
    /// Bytes of body streamed at most.
    var limit: Int64 = .max
    /// The body starts a part (a 200 answer): its first bytes must be a ZIP's before any is
    /// written.
    private var checksZipStart = false
    private var status = 0
    private var headers: [String: String] = [:]
    private var body = Data()
    private var streamed: Int64 = 0
    /// The first bytes held back until there are enough to tell a ZIP.
    private var head: [UInt8] = []

    init(sink: ((ByteBuffer) throws -> Void)?) { self.sink = sink }

    private var streams: Bool {
      sink != nil && (200..<300).contains(status)
        && !(headers["content-type"] ?? "").lowercased().hasPrefix("text/html")
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead)
      -> EventLoopFuture<Void>
    {
      status = Int(head.status.code)
      // A whole body (not a resume's rest) must start as a ZIP.
      checksZipStart = sink != nil && status == 200
      for header in head.headers {
        headers[header.name.lowercased()] = header.value
      }
      do {
        try onResponse?(status, headers)
      } catch {
        return task.eventLoop.makeFailedFuture(error)
      }
      return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer)
      -> EventLoopFuture<Void>
    {
      do {
        if streams {
          streamed += Int64(buffer.readableBytes)
          guard streamed <= limit else {
            throw BodyRefused(
              description: "the org sent more than \(limit) bytes, more than the part can have")
          }
          if checksZipStart {
            guard let whole = try holdHead(buffer) else {
              return task.eventLoop.makeSucceededVoidFuture()
            }
            batch.writeImmutableBuffer(whole)
          } else {
            var buffer = buffer
            batch.writeBuffer(&buffer)
          }
          if batch.readableBytes >= Self.batchBytes {
            return write(takeBatch(), on: task.eventLoop)
          }
        } else if body.count < 1 << 20 {
          body.append(contentsOf: buffer.readableBytesView)
        }
        return task.eventLoop.makeSucceededVoidFuture()
      } catch {
        return task.eventLoop.makeFailedFuture(error)
      }
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
      if checksZipStart && streams && !head.isEmpty {
        // A body shorter than a ZIP's signature is no part.
        throw BodyRefused(description: "the org sent \(head.count) byte(s), not a ZIP", head: head)
      }
      return Response(status: status, headers: headers, body: body)
    }

    private func takeBatch() -> ByteBuffer {
      let taken = batch
      batch = ByteBuffer()
      return taken
    }

    /// Writes `bytes` on the queue; the future completes once they are written.
    private func write(_ bytes: ByteBuffer, on loop: EventLoop) -> EventLoopFuture<Void> {
      let promise = loop.makePromise(of: Void.self)
      writer.async {
        do {
          try self.sinkOnQueue(bytes)
          promise.succeed(())
        } catch {
          promise.fail(error)
        }
      }
      return promise.futureResult
    }

    private func sinkOnQueue(_ bytes: ByteBuffer) throws {
      if let writeError { throw writeError }
      do {
        try sink?(bytes)
      } catch {
        writeError = error
        throw error
      }
    }

    /// Writes what is left of the body once the request has ended (called from the thread
    /// that waited for it, never from the event loop), after any write still on the queue;
    /// throws the first write that failed, even one the request no longer waited for.
    func writeRest() throws {
      let rest = takeBatch()
      try writer.sync {
        if let writeError { throw writeError }
        guard rest.readableBytes > 0 else { return }
        try sinkOnQueue(rest)
      }
    }

    /// Holds the body's first bytes until four tell whether it starts as a ZIP (local header,
    /// empty archive or spanning marker); returns them once they do, and only then is anything
    /// written.
    private func holdHead(_ buffer: ByteBuffer) throws -> ByteBuffer? {
      head += buffer.readableBytesView
      guard head.count >= 4 else { return nil }
      checksZipStart = false
      guard ZipProbe.sniff(head, fileSize: Int64(head.count)) == .zip else {
        throw BodyRefused(description: "the body is not a ZIP", head: Array(head.prefix(512)))
      }
      var whole = ByteBufferAllocator().buffer(capacity: head.count)
      whole.writeBytes(head)
      head = []
      return whole
    }
  }
}
