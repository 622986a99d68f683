import ExportGate
import Foundation

/// Structure-aware libFuzzer harness: the input is not a ZIP but a recipe for one (entries with
/// names drawn from the aliasing classes, header fields that disagree, entries the directory
/// does not list, entries sharing a local header, an end record whose count is off), written
/// with `RawZip` and scanned. Byte-level mutation of real ZIPs rarely reaches these states;
/// this reaches them on every input. Beyond "never crash", it checks one oracle: two listed
/// entries with the same stored name and different bytes are always named.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZipStructure(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var recipe = Recipe(Array(UnsafeBufferPointer(start: data, count: size)))
  let id = "00PDn0000000001MAA"
  let names = [
    "Account.csv", "./Account.csv", "ACCOUNT.csv", "Account.csv\u{0}.txt", "account.csv",
    "Attachments/\(id)", "attachments/\(id)", "Attachments/./\(id)", "Attachments/\(id.prefix(15))",
    "Attachments\\\(id)", "../Account.csv", "Documents/", "notes.txt", "Contact.csv",
  ]
  var entries: [RawZip.Entry] = []
  let count = 1 + Int(recipe.next() % 8)
  for index in 0..<count {
    var entry = RawZip.Entry(names[Int(recipe.next()) % names.count], recipe.content())
    let toggles = recipe.next()
    if toggles & 1 != 0 { entry.localFlags |= 1 }
    if toggles & 2 != 0 { entry.centralMethod = 8 }
    if toggles & 4 != 0 { entry.localSizeDelta = Int(recipe.next()) }
    if toggles & 8 != 0, index > 0 { entry.listed = false }
    if toggles & 16 != 0, index > 0 { entry.sharesLocalHeaderOf = Int(recipe.next()) % index }
    if toggles & 32 != 0 {
      entry.centralExtra = RawZip.unicodePath(
        names[Int(recipe.next()) % names.count], forStored: entry.name)
    }
    if toggles & 64 != 0 { entry.localName = Array(names[Int(recipe.next()) % names.count].utf8) }
    entries.append(entry)
  }
  let path = NSTemporaryDirectory() + "/exportgate-fuzz-structure-\(getpid()).zip"
  defer { unlink(path) }
  guard (try? RawZip.write(entries, to: path, countDelta: Int(recipe.next() % 3) - 1)) != nil else {
    return 0
  }
  let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  let part = PartFile(path: path, bytes: Int64(bytes))
  var limits = ScanLimits()
  limits.expansionAllowance = 1 << 24
  let bundle = ExportBundle(parts: [part], folders: [], orgId: nil, findings: [], excludedParts: [])
  let result = BundleScanner(bundle: bundle, limits: limits, jobs: 1).scan(visitor: nil)

  // The oracle: a stored name listed twice with different bytes (nothing else about either
  // entry changed) must be named, whatever else is wrong.
  let plain = entries.enumerated().filter { _, entry in
    entry.listed && entry.sharesLocalHeaderOf == nil && entry.centralExtra.isEmpty
      && entry.localName == nil && entry.localFlags == entry.centralFlags
      && entry.centralMethod == 0 && entry.localSizeDelta == 0 && !entry.name.contains(0)
  }
  for (i, a) in plain {
    for (j, b) in plain where j > i && a.name == b.name && a.content != b.content {
      let named = result.findings.contains {
        [.entryConflict, .partZipBomb, .entryCorrupt].contains($0.code)
      }
      if !named { fatalError("differing copies of \(String(decoding: a.name, as: UTF8.self)) not named") }
    }
  }
  return 0
}

/// Reads the fuzzer's bytes as a stream of choices.
struct Recipe {
  private let bytes: [UInt8]
  private var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  mutating func next() -> UInt8 {
    guard !bytes.isEmpty else { return 0 }
    defer { position += 1 }
    return bytes[position % bytes.count] &+ UInt8(truncatingIfNeeded: position / max(bytes.count, 1))
  }

  mutating func content() -> [UInt8] {
    let length = Int(next() % 24)
    return (0..<length).map { _ in next() }
  }
}
