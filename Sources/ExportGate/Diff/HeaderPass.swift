/// Pass 0: the header of every object CSV; everything else is skipped.
final class HeaderPass: BundleVisitor {
  let encoding: TextEncoding
  var headers: [String: [String]] = [:]

  init(encoding: TextEncoding) { self.encoding = encoding }

  func skips(_ entry: BundleEntry) -> Bool {
    if case .objectCSV = entry.kind { return false }
    return true
  }

  func sink(for entry: BundleEntry) -> EntrySink? {
    guard case .objectCSV(let name) = entry.kind else { return nil }
    return HeaderSink(encoding: encoding) { [weak self] header in
      if self?.headers[name] == nil { self?.headers[name] = header }
    }
  }

  final class HeaderSink: CSVEntrySink {
    private let decoder: FieldDecoder
    private let done: ([String]) -> Void
    private var found = false

    init(encoding: TextEncoding, done: @escaping ([String]) -> Void) {
      decoder = FieldDecoder(encoding: encoding)
      self.done = done
      super.init(encoding: encoding)
    }

    override var isSatisfied: Bool { found }

    override func record(_ record: CSVRecord) {
      guard !found else { return }
      found = true
      done((0..<record.count).map { decoder.string(record[$0]) })
    }
  }
}
