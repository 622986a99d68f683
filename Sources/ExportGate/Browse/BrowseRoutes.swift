import Foundation
import Hummingbird
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// The browse page's URLs: `/` the objects, `/search?q=` every record holding the words,
/// `/o/<Object>` a table, `/r/<Object>/<Id>` a record, `.../related` one group of the records
/// pointing to it, `/file/<manifest Id>` a restored file. Anything else is a 404.
struct BrowseRoutes: Sendable {
  let session: BrowseSession
  let folder: String

  func register(on router: Router<BasicRequestContext>) {
    router.get("/") { _, _ in try await html { $0.objectsPage() } }
    router.get("/search") { request, _ in
      let query = BrowseQuery(request.uri.query)
      let text = query.value("q") ?? ""
      guard !text.allSatisfy(\.isWhitespace) else { return try await html { $0.objectsPage() } }
      let page = Self.page(query)
      return try await html { try $0.searchPage(text, page: page) }
    }
    router.get("/o/:object") { request, context in
      let object = try context.parameters.require("object")
      let query = BrowseQuery(request.uri.query)
      let page = Self.page(query)
      return try await html {
        try $0.tablePage(
          object, sort: query.value("sort"), descending: query.value("desc") == "1", page: page)
      }
    }
    router.get("/r/:object/:id") { _, context in
      let object = try context.parameters.require("object")
      let id = try context.parameters.require("id")
      return try await html { try $0.recordPage(object, id) }
    }
    router.get("/r/:object/:id/related") { request, context in
      let object = try context.parameters.require("object")
      let id = try context.parameters.require("id")
      let query = BrowseQuery(request.uri.query)
      guard let source = query.value("object"), let field = query.value("field") else {
        return Self.notFound()
      }
      let page = Self.page(query)
      return try await html {
        try $0.relatedPage(object, id, from: source, field: field, page: page)
      }
    }
    router.get("/file/:id") { request, context in
      let id = try context.parameters.require("id")
      let inline = BrowseQuery(request.uri.query).value("inline") == "1"
      return try await file(id: id, inline: inline)
    }
  }

  static func page(_ query: BrowseQuery) -> Int {
    max(0, min(query.value("page").flatMap { Int($0) } ?? 0, 1_000_000))
  }

  private func html(_ render: @escaping @Sendable (BrowsePages) throws -> String?) async throws
    -> Response
  {
    guard let page = try await session.render(render) else { return Self.notFound() }
    return Response(
      status: .ok,
      headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(string: page)))
  }

  static func notFound() -> Response {
    Response(
      status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: "404: no such page in this archive\n")))
  }

  /// A restored file, streamed. Previews only for images and PDFs; everything else is an
  /// attachment, and all of it is sandboxed (an HTML or SVG file from the export never runs
  /// script with the page's origin, where the token is).
  private func file(id: String, inline: Bool) async throws -> Response {
    guard let path = try await session.filePath(id: id) else { return Self.notFound() }
    let descriptor: Int32
    do { descriptor = try BrowseFiles.open(path, under: folder) } catch { return Self.notFound() }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    var info = stat()
    let size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : nil
    let name = (path as NSString).lastPathComponent
    let type = BrowseFiles.mediaType(of: name)
    let shown = inline && type.preview != .none
    var headers: HTTPFields = [
      .contentType: shown ? type.name : "application/octet-stream",
      .contentDisposition:
        "\(shown ? "inline" : "attachment"); filename*=UTF-8''\(HTML.component(name))",
      .cacheControl: "no-store",
    ]
    if type.preview != .pdf { headers[.contentSecurityPolicy] = "sandbox; default-src 'none'" }
    let body = ResponseBody(contentLength: size) { writer in
      while true {
        let chunk = try handle.read(upToCount: 1 << 16) ?? Data()
        if chunk.isEmpty { break }
        try await writer.write(ByteBuffer(bytes: chunk))
      }
      try await writer.finish(nil)
    }
    return Response(status: .ok, headers: headers, body: body)
  }
}
