import ExportGate
import Testing

@Suite struct EntryKindTests {
  @Test func objectCSVsLiveAtTheRoot() {
    #expect(
      EntryKind.classify(path: "Account.csv", isLink: false, isDirectory: false)
        == .objectCSV(object: "Account"))
    #expect(
      EntryKind.classify(path: "Invoice__c.CSV", isLink: false, isDirectory: false)
        == .objectCSV(object: "Invoice__c"))
    #expect(
      EntryKind.classify(path: "sub/Account.csv", isLink: false, isDirectory: false)
        == .unexpected)
  }

  @Test func binariesLiveInTheKnownFolders() {
    #expect(
      EntryKind.classify(
        path: "Other Uploaded Collateral/05TDn0000000001AAA", isLink: false, isDirectory: false)
        == .binary(folder: .otherUploadedCollateral, name: "05TDn0000000001AAA"))
    #expect(
      EntryKind.classify(path: "Attachments/", isLink: false, isDirectory: true) == .directory)
    #expect(
      EntryKind.classify(path: "Attachments/a/b", isLink: false, isDirectory: false) == .unexpected)
  }

  @Test(arguments: [
    ("../x.csv", "traversal"), ("a/../../x", "traversal"), ("/abs/x", "absolute"),
    ("Attachments\\x", "backslash"), ("C:/x", "drive-letter"), ("", "empty"), ("a\u{0}b", "NUL"),
  ])
  func unsafeNamesAreRecognised(path: String, reason: String) {
    guard case .unsafe(let why) = EntryKind.classify(path: path, isLink: false, isDirectory: false)
    else {
      Issue.record("\(path) not unsafe")
      return
    }
    #expect(why.contains(reason))
  }

  @Test func linksAreUnsafeWhateverTheirName() {
    guard case .unsafe = EntryKind.classify(path: "Attachments/x", isLink: true, isDirectory: false)
    else {
      Issue.record("link not unsafe")
      return
    }
  }
}
