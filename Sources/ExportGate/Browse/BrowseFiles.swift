import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The restored files the browse page serves: found by their manifest Id (a URL never holds a
/// path), opened under the restore folder one component at a time without following a link,
/// and typed by their extension (images and PDFs previewed, everything else downloaded).
enum BrowseFiles {
  /// How a file may be shown in the page.
  enum Preview { case image, pdf, none }

  struct MediaType {
    let name: String
    let preview: Preview
  }

  /// Why a file cannot be served.
  struct Refusal: Error, CustomStringConvertible {
    let description: String
  }

  /// Images a browser shows without running anything (SVG, which can hold script, is not one).
  private static let images: [String: String] = [
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp", "bmp": "image/bmp",
  ]

  static func mediaType(of name: String) -> MediaType {
    let ext = (name as NSString).pathExtension.lowercased()
    if let image = images[ext] { return MediaType(name: image, preview: .image) }
    if ext == "pdf" { return MediaType(name: "application/pdf", preview: .pdf) }
    let others: [String: String] = [
      "txt": "text/plain", "csv": "text/csv", "html": "text/html", "htm": "text/html",
      "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "doc": "application/msword", "xls": "application/vnd.ms-excel", "zip": "application/zip",
    ]
    return MediaType(name: others[ext] ?? "application/octet-stream", preview: .none)
  }

  /// Opens `path` (relative, as the manifest gives it) under `root` for reading: every
  /// component is a plain name opened relative to its folder with `O_NOFOLLOW`, so neither
  /// `..`, an absolute path nor a link planted anywhere on the way leads outside `root`.
  static func open(_ path: String, under root: String) throws -> Int32 {
    let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard !path.hasPrefix("/"), !components.isEmpty,
      components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") })
    else { throw Refusal(description: "not a path inside the restore folder") }
    var folder = Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard folder >= 0 else { throw Refusal(description: "the restore folder cannot be opened") }
    for (index, component) in components.enumerated() {
      let last = index == components.count - 1
      let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY)
      let next = openat(folder, component, flags)
      close(folder)
      guard next >= 0 else {
        throw Refusal(description: "\(path) cannot be opened: \(String(cString: strerror(errno)))")
      }
      folder = next
    }
    var info = stat()
    guard fstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(folder)
      throw Refusal(description: "\(path) is not a regular file")
    }
    return folder
  }
}
