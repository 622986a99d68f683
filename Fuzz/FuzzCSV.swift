import ExportGate

/// libFuzzer entry point: any bytes, split at a point the input chooses, through the CSV
/// stream reader; the same records must come out as when fed whole.
struct Counter: CSVRecordHandler {
  var records = 0
  var fields = 0
  var malformations = 0
  mutating func record(_ record: CSVRecord) {
    records += 1
    fields += record.count
  }
  mutating func malformed(_ malformation: CSVMalformation) { malformations += 1 }
}

func parse(_ bytes: UnsafeRawBufferPointer, split: Int) -> Counter {
  var reader = CSVStreamReader(encoding: .auto)
  var counter = Counter()
  reader.feed(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), into: &counter)
  reader.feed(UnsafeRawBufferPointer(rebasing: bytes[split...]), into: &counter)
  reader.finish(into: &counter)
  return counter
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  let whole = parse(bytes, split: 0)
  let split = size == 0 ? 0 : Int(data[0]) % (size + 1)
  let halves = parse(bytes, split: split)
  if whole.records != halves.records || whole.fields != halves.fields {
    fatalError("chunking changed the result: \(whole) vs \(halves) at \(split)")
  }
  return 0
}
