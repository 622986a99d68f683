/// `records-manifest.csv`: which file under `records/` holds each object's records. An object's
/// file is named after it, made safe; when two objects' safe names would be one file on some
/// file system (`Invoice__c` and `invoice__c` on macOS or Windows, `Deal?` and `Deal`), the
/// second is numbered (`invoice__c (2).csv`) and this file says which is which. Same CSV rules
/// as `manifest.csv`.
enum RecordsManifest {
  static let fileName = "records-manifest.csv"
  static let header = ["Object", "Path"]

  static func csv(_ files: [String: String]) -> String {
    var out: [UInt8] = []
    RecordOutputFormat.csv.append(header.map { ArraySlice($0.utf8) }, to: &out)
    for (object, path) in files.sorted(by: { $0.key < $1.key }) {
      RecordOutputFormat.csv.append(
        [object, path].map(RestoreManifest.spreadsheetSafe), to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
