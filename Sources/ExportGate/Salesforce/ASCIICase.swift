extension UInt8 {
  /// The byte with ASCII `A`-`Z` folded to `a`-`z`, anything else unchanged: names in an export
  /// (folders, `.csv`, record Ids) are compared this way without building lowercased strings.
  var asciiLowercased: UInt8 { self >= 0x41 && self <= 0x5A ? self | 0x20 : self }
}

extension UInt8 {
  /// `A`-`Z` or `a`-`z`.
  var isASCIILetter: Bool { (0x41...0x5A).contains(asciiLowercased & ~0x20) }
}
