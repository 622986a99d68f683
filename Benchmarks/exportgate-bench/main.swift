import ExportGate
import ExportGateTestSupport
import Foundation

/// Benchmark driver. Timings live here, never in tests; `Benchmarks/run` compares them with
/// reference tools run in the same session.
///
///   exportgate-bench csv-data DIR MEGABYTES   write realistic export CSVs
///   exportgate-bench csv DIR [RUNS]           parse every CSV in DIR on one core
///   exportgate-bench export-data DIR [SCALE]  write the benchmark export (1.0 = ~1.3 GB)
///   exportgate-bench export-data-files DIR F  the same CSVs with F times the files (scale run)
///   exportgate-bench export-data-larger DIR F the same records and files, each F times larger
///   exportgate-bench archive-queries DIR      search and record-page latency on a restore
struct CountingHandler: CSVRecordHandler {
  var records = 0
  var fields = 0
  var malformations = 0

  mutating func record(_ record: CSVRecord) {
    records += 1
    fields += record.count
  }

  mutating func malformed(_ malformation: CSVMalformation) { malformations += 1 }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("exportgate-bench: \(message)\n".utf8))
  exit(2)
}

/// Parses every file from memory (loaded once), best and median of `runs`.
func benchCSV(directory: String, runs: Int) throws {
  let names = try FileManager.default.contentsOfDirectory(atPath: directory)
    .filter { $0.hasSuffix(".csv") }.sorted()
  let files = try names.map { try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)) }
  let totalBytes = files.reduce(0) { $0 + $1.count }
  var seconds: [Double] = []
  var handler = CountingHandler()
  var invalid = 0
  for _ in 0..<runs {
    handler = CountingHandler()
    invalid = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for file in files {
      var reader = CSVStreamReader(encoding: .utf8)
      file.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let end = min(offset + (1 << 20), raw.count)
          reader.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<end]), into: &handler)
          offset = end
        }
      }
      reader.finish(into: &handler)
      if reader.validator.firstInvalidOffset != nil { invalid += 1 }
    }
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  seconds.sort()
  let median = seconds[seconds.count / 2]
  let gbps = Double(totalBytes) / median / 1e9
  print(
    "exportgate-csv files=\(files.count) bytes=\(totalBytes) records=\(handler.records) fields=\(handler.fields) malformed=\(handler.malformations) invalid-utf8-files=\(invalid)"
  )
  print(
    String(
      format: "exportgate-csv median=%.3fs best=%.3fs throughput=%.2fGB/s", median, seconds[0], gbps
    ))
}

/// Median latency of searches and record pages on a restored archive: the words are taken
/// from the archive's own records (a rare one and a common one), the records from its tables.
func benchArchiveQueries(folder: String) throws {
  let search = try ArchiveSearch(folder: folder)
  let browser = try ArchiveBrowser(folder: folder)
  let words = ["Zanzibar", "renewal", "Sons", "contract pdf"]
  var searchTimes: [Double] = []
  var hits = 0
  for _ in 0..<11 {
    for word in words {
      let start = DispatchTime.now().uptimeNanoseconds
      hits += try search.search(word, limit: 50).count
      searchTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
  }
  let records = try browser.sampleRecords(count: 40)
  var pageTimes: [Double] = []
  for _ in 0..<3 {
    for (object, id) in records {
      let start = DispatchTime.now().uptimeNanoseconds
      _ = try browser.record(object: object, id: id)
      pageTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
  }
  searchTimes.sort()
  pageTimes.sort()
  print(
    String(
      format: "archive-search median=%.2fms p90=%.2fms searches=%d hits=%d",
      searchTimes[searchTimes.count / 2], searchTimes[searchTimes.count * 9 / 10],
      searchTimes.count, hits))
  print(
    String(
      format: "archive-record-page median=%.2fms p90=%.2fms pages=%d",
      pageTimes[pageTimes.count / 2], pageTimes[pageTimes.count * 9 / 10], pageTimes.count))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: exportgate-bench csv-data DIR MB | csv DIR [RUNS]") }
switch arguments[1] {
case "csv-data":
  let megabytes = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
  let paths = try BenchmarkData.writeCSVs(to: arguments[2], megabytes: megabytes)
  print("wrote \(paths.count) files to \(arguments[2])")
case "export-data":
  let scale = arguments.count > 3 ? Double(arguments[3]) ?? 1 : 1
  let paths = try BenchmarkExport.write(
    to: arguments[2], shape: BenchmarkExport.Shape().scaled(by: scale))
  print("wrote \(paths.count) parts to \(arguments[2])")
case "export-data-files":
  let factor = arguments.count > 3 ? Double(arguments[3]) ?? 8 : 8
  let paths = try BenchmarkExport.write(
    to: arguments[2], shape: BenchmarkExport.Shape().withMoreFiles(factor))
  print("wrote \(paths.count) parts to \(arguments[2])")
case "export-data-parts":
  let parts = arguments.count > 3 ? Int(arguments[3]) ?? 24 : 24
  let paths = try BenchmarkExport.write(
    to: arguments[2], shape: BenchmarkExport.Shape().split(into: parts))
  print("wrote \(paths.count) parts to \(arguments[2])")
case "export-data-larger":
  let factor = arguments.count > 3 ? Double(arguments[3]) ?? 8 : 8
  let paths = try BenchmarkExport.write(
    to: arguments[2], shape: BenchmarkExport.Shape().withLargerFiles(factor))
  print("wrote \(paths.count) parts to \(arguments[2])")
case "fake-org-script":
  // The loopback org `fetch`'s tests use, as a file for the fetch benchmark.
  try FakeOrg.script.write(toFile: arguments[2], atomically: true, encoding: .utf8)
case "org-model":
  // The REST side of an org for the inventory benchmark: N objects (3 in 5 with records, each
  // with 60 described fields) and M stored file versions.
  let objects = arguments.count > 3 ? Int(arguments[3]) ?? 500 : 500
  let files = arguments.count > 4 ? Int(arguments[4]) ?? 200_000 : 200_000
  try JSONEncoder().encode(BenchmarkOrg.model(objects: objects, files: files))
    .write(to: URL(fileURLWithPath: arguments[2]))
  print("wrote an org of \(objects) objects and \(files) stored files to \(arguments[2])")
case "large-part":
  // One stored part of N MiB (incompressible bytes), for fetch's memory at several GB.
  let megabytes = arguments.count > 3 ? Int64(arguments[3]) ?? 2048 : 2048
  try FixtureWriter.writeLargeEntryZip(
    at: arguments[2], entryName: "Attachments/00PDn0000000001MAA", size: megabytes << 20,
    compression: .store)
case "archive-queries":
  try benchArchiveQueries(folder: arguments[2])
case "csv":
  try benchCSV(directory: arguments[2], runs: arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5)
default:
  fail("unknown mode \(arguments[1])")
}
