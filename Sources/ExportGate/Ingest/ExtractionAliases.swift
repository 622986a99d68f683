import Foundation

/// What a restore makes of the bundle's names: entries of every part that land on one file when
/// all parts are extracted into one folder (the same name twice, `./Account.csv`, a name cut at
/// a NUL, `ACCOUNT.csv` on a case-insensitive disk, a 15-character Id beside its 18-character
/// form, an Info-ZIP Unicode Path). Extractors keep one copy (unzip the last), so copies that
/// differ mean the restore is not what was checked: an error naming every place. Identical
/// copies are read once, with a warning; pieces of one object's CSV in several parts stay
/// supported, with a warning that one folder keeps only one piece.
struct ExtractionAliases {
  /// One entry of one part.
  struct Place {
    var part: Int
    var partName: String
    var entry: ZipStructure.Entry
  }

  private(set) var findings: [Finding] = []
  /// Per part, entry names (as the reader sees them) and which of their occurrences (1-based,
  /// in directory order) are copies already read elsewhere: read for integrity, not checked
  /// again.
  private(set) var copies: [Int: [String: Set<Int>]] = [:]

  /// What the bundle-wide pass needs of one part, computed on the worker that audited it: the
  /// hash of each entry's keys (``key(_:)`` of each of its names, without repeats; directories
  /// have none), and which entries repeat a name met before in the part.
  struct PartKeys: Sendable {
    /// (entry index, FNV-1a hash of one key), in directory order.
    var hashes: [(entry: Int, hash: UInt64)] = []
    /// Entry index -> which occurrence (1-based) of its reader name it is, for the second and
    /// later occurrences.
    var occurrences: [Int: Int] = [:]
  }

  static func partKeys(of structure: ZipStructure) -> PartKeys {
    var result = PartKeys()
    result.hashes.reserveCapacity(structure.entries.count)
    var occurrence: [String: Int] = [:]
    for entry in structure.entries where !entry.isDirectory {
      let readerName = entry.readerName
      let count = (occurrence[readerName] ?? 0) + 1
      occurrence[readerName] = count
      if count > 1 { result.occurrences[entry.index] = count }
      let names = entry.names
      if names.count == 1 {
        result.hashes.append((entry.index, keyHash(names[0])))
      } else {
        for key in keys(of: names) { result.hashes.append((entry.index, hash(key))) }
      }
    }
    return result
  }

  /// ``key(_:)`` of each of an entry's names, without repeats.
  private static func keys(of names: [String]) -> [String] {
    if names.count == 1 { return [key(names[0])] }
    var keys: [String] = []
    for key in names.map(key) where !keys.contains(key) { keys.append(key) }
    return keys
  }

  /// FNV-1a over the key's bytes: the same in every process, unlike `String`'s hash.
  static func hash(_ key: String) -> UInt64 {
    var hash = FNV1a()
    for byte in key.utf8 { hash.add(byte) }
    return hash.value
  }

  /// `hash(key(name))`, without building the key: every entry of every part comes here
  /// before any part is read, so ASCII names (all of them, in practice) are hashed as they
  /// are folded, and only the others take ``key(_:)``.
  static func keyHash(_ name: String) -> UInt64 {
    var name = name
    return name.withUTF8 { keyHash(ascii: $0) } ?? hash(key(name))
  }

  /// The key's hash for an ASCII name; nil for any other.
  private static func keyHash(ascii name: UnsafeBufferPointer<UInt8>) -> UInt64? {
    var end = name.count
    for index in name.indices {
      let byte = name[index]
      if byte == 0 {
        end = index
        break
      }
      if byte >= 0x80 { return nil }
    }
    let bytes = UnsafeBufferPointer(rebasing: name[0..<end])
    // The components that stay (not empty, not `.`), joined by `/` and folded; the first two
    // are kept for the binary folder rule.
    var hash = FNV1a()
    var kept = 0
    var first = 0..<0
    var second = 0..<0
    var start = 0
    for index in 0...bytes.count where index == bytes.count || isSeparator(bytes[index]) {
      let component = start..<index
      start = index + 1
      if component.isEmpty || (component.count == 1 && bytes[component.lowerBound] == 0x2E) {
        continue
      }
      if kept == 0 { first = component } else if kept == 1 { second = component }
      if kept > 0 { hash.add(0x2F) }
      kept += 1
      for byte in bytes[component] { hash.add(byte.asciiLowercased) }
    }
    // A 15-character Id in a binary folder is taken in its 18-character form.
    if kept == 2, second.count == 15,
      isBinaryFolder(UnsafeBufferPointer(rebasing: bytes[first])),
      let suffix = RecordId.suffix(
        ofFifteen: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[second])))
    {
      hash.add(suffix.0.asciiLowercased)
      hash.add(suffix.1.asciiLowercased)
      hash.add(suffix.2.asciiLowercased)
    }
    return hash.value
  }

  private static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x2F || byte == 0x5C }

  private static func isBinaryFolder(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    BinaryFolder.all.contains { folder in
      folder.name.utf8.elementsEqual(name) { $0.asciiLowercased == $1.asciiLowercased }
    }
  }

  /// `structures` in bundle order, each with ``partKeys(of:)``.
  init(structures: [(part: Int, name: String, structure: ZipStructure, keys: PartKeys)]) {
    // Nearly every key names one entry. This pass runs on one core while the others wait, so
    // it first counts the keys' hashes; only keys whose hash is met more than once (the
    // collisions, and the rare hash collision) are compared as text.
    var hashCounts: [UInt64: Int] = [:]
    hashCounts.reserveCapacity(structures.reduce(0) { $0 + $1.keys.hashes.count })
    for item in structures {
      for (_, hash) in item.keys.hashes { hashCounts[hash, default: 0] += 1 }
    }
    var placesByKey: [String: [Int]] = [:]
    var keyOrder: [String] = []
    var occurrenceOf: [Int: [Int: Int]] = [:]
    for (slot, item) in structures.enumerated() {
      occurrenceOf[item.part] = item.keys.occurrences
      var previousEntry = -1
      for (entryIndex, hash) in item.keys.hashes where (hashCounts[hash] ?? 0) > 1 {
        // An entry with several keys is listed once per key: all are taken the first time.
        guard entryIndex != previousEntry else { continue }
        previousEntry = entryIndex
        for key in Self.keys(of: item.structure.entries[entryIndex].names)
        where (hashCounts[Self.hash(key)] ?? 0) > 1 {
          let packed = slot << 32 | entryIndex
          if placesByKey[key]?.append(packed) == nil {
            placesByKey[key] = [packed]
            keyOrder.append(key)
          }
        }
      }
    }
    func place(_ packed: Int) -> Place {
      let item = structures[packed >> 32]
      return Place(
        part: item.part, partName: item.name, entry: item.structure.entries[packed & 0xFFFF_FFFF])
    }
    var reported = Set<[Int]>()
    for key in keyOrder {
      guard let packed = placesByKey[key], packed.count > 1 else { continue }
      let places = packed.map(place)
      let identity = places.flatMap { [$0.part, $0.entry.index] }
      guard reported.insert(identity).inserted else { continue }
      let first = places[0]
      let location = FindingLocation(part: first.partName, entry: first.entry.readerName)
      let identical = places.allSatisfy {
        $0.entry.crc32 == first.entry.crc32
          && $0.entry.uncompressedSize == first.entry.uncompressedSize
      }
      let listing = places.map { place in
        "\(place.partName): '\(Self.shown(place.entry.names[0]))' (\(place.entry.uncompressedSize) bytes, CRC-32 \(String(place.entry.crc32, radix: 16)))"
      }.joined(separator: ", ")
      if identical {
        findings.append(
          Finding(
            .entryDuplicate,
            "\(places.count) entries become one file on extraction and hold the same bytes: \(listing); read once",
            at: location))
        for place in places.dropFirst() {
          // Only repeated names are recorded; a name's only occurrence is its first.
          let count = occurrenceOf[place.part]?[place.entry.index] ?? 1
          copies[place.part, default: [:]][place.entry.readerName, default: []].insert(count)
        }
        continue
      }
      let isRootCSV = !key.contains("/") && key.hasSuffix(".csv")
      let onePerPart = Set(places.map(\.part)).count == places.count
      if isRootCSV && onePerPart {
        let last = places[places.count - 1]
        findings.append(
          Finding(
            .entryDuplicate,
            "\(first.entry.readerName) is in \(places.count) parts with different content (\(listing)): read as pieces of one object, whose records add up; unzipping every part into one folder keeps only \(last.partName)'s piece, so extract each part into its own folder",
            at: location))
      } else {
        findings.append(
          Finding(
            .entryConflict,
            "\(places.count) entries become one file on extraction and their bytes differ: \(listing); extractors keep one of them (unzip the last), so a restore is not what was checked",
            at: location, severity: ZipStructure.severity(for: places.map(\.entry))))
      }
    }
  }

  /// The file an entry name becomes when extracted onto a case-insensitive disk: `.` and empty
  /// components dropped, `\` taken as `/`, cut at a NUL, Unicode and case folded, and a record
  /// Id in a binary folder taken in its 18-character form.
  static func key(_ name: String) -> String {
    // Nearly every name is ASCII: fold it byte by byte (Foundation's string calls cost more
    // than reading the entry's headers).
    var bytes: [UInt8] = []
    bytes.reserveCapacity(name.utf8.count)
    for byte in name.utf8 {
      if byte == 0 { break }
      guard byte < 0x80 else { return foldedKey(name) }
      bytes.append(byte == 0x5C ? 0x2F : byte)
    }
    var components = bytes.split(separator: 0x2F).filter { !($0.count == 1 && $0.first == 0x2E) }
    if components.count == 2, components[1].count == 15 || components[1].count == 18,
      BinaryFolder.named(String(decoding: components[0], as: UTF8.self)) != nil,
      let id = RecordId(String(decoding: components[1], as: UTF8.self))
    {
      components[1] = ArraySlice(id.description.utf8)
    }
    var key: [UInt8] = []
    key.reserveCapacity(bytes.count)
    for (index, component) in components.enumerated() {
      if index > 0 { key.append(0x2F) }
      for byte in component { key.append(byte.asciiLowercased) }
    }
    return String(decoding: key, as: UTF8.self)
  }

  /// `key` for names beyond ASCII: Unicode normalisation and case folding.
  private static func foldedKey(_ name: String) -> String {
    let cut = name.prefix { $0 != "\u{0}" }.replacingOccurrences(of: "\\", with: "/")
    var components = cut.split(separator: "/").map(String.init).filter { $0 != "." }
    if components.count == 2, BinaryFolder.named(components[0]) != nil,
      let id = RecordId(components[1])
    {
      components[0] = components[0].lowercased()
      components[1] = id.description.lowercased()
    }
    return components.joined(separator: "/").precomposedStringWithCanonicalMapping.lowercased()
  }

  static func shown(_ name: String) -> String {
    name.replacingOccurrences(of: "\u{0}", with: "\\0")
  }
}

/// FNV-1a, 64 bits, fed one byte at a time.
private struct FNV1a {
  private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

  mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x0100_0000_01B3 }
}
