import Crypto
import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// `exportgate browse` over HTTP, as a browser or a script meets it: the token, the paths it
/// will never serve, every page well-formed, values escaped, the archive left as it was.
@Suite(.serialized) struct BrowseServerTests {
  /// A restored archive of the archive tests' export, with a record whose name is markup.
  static func restore() throws -> (TemporaryDirectory, String) {
    var export = ArchiveWriterTests.export()
    var accounts = export.table("Account")!
    accounts.rows[3][accounts.column("Name")] = "<script>alert(1)</script> & Co"
    export.setTable(accounts)
    let directory = TemporaryDirectory()
    let paths = try FixtureWriter.writeParts(export, to: directory.path + "/parts")
    _ = try BackupRestorer(options: RestoreOptions(destination: directory.path + "/out"))
      .restore(paths: paths)
    return (directory, directory.path + "/out")
  }

  /// Where restore wrote the file of manifest row `id`.
  static func restoredFile(_ folder: String, id: String) throws -> String {
    let database = try SQLiteDatabase(path: folder + "/archive.sqlite", readOnly: true)
    let path = try #require(
      try database.rows("SELECT Path FROM manifest WHERE Id = ?", [.text(id)]).first?[0] ?? nil)
    return folder + "/" + path
  }

  static func firstFile(_ folder: String) throws -> (id: String, path: String) {
    let database = try SQLiteDatabase(path: folder + "/archive.sqlite", readOnly: true)
    let row = try #require(
      try database.rows(
        "SELECT Id, Path FROM manifest WHERE Status = 'restored' ORDER BY Id LIMIT 1"
      )
      .first)
    return (try #require(row[0]), try #require(row[1]))
  }

  @Test func everyRequestWithoutTheTokenIsRefused() throws {
    let (directory, folder) = try Self.restore()
    defer { withExtendedLifetime(directory) {} }
    let page = try BrowseProcess(folder: folder)
    #expect(page.url.hasPrefix("http://127.0.0.1:"))
    #expect(page.token.count == 64)
    let almost = String(page.token.dropLast()) + (page.token.hasSuffix("0") ? "1" : "0")
    for path in ["/", "/search?q=a", "/o/Account", "/?t=", "/?t=\(almost)"] {
      let response = try page.get(path)
      #expect(response.status == 403, "\(path)")
      #expect(response.headers["location"] == nil)
      #expect(!response.text.contains("<"), "\(path): a page was shown")
    }
    let accepted = try page.get("/?t=\(page.token)")
    #expect(accepted.status == 200)
    let cookie = try #require(accepted.headers["set-cookie"])
    #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
    // The cookie alone is enough afterwards; another site's name for this machine is not.
    let pair = String(cookie.split(separator: ";")[0])
    #expect(try page.get("/o/Account", headers: ["Cookie": pair]).status == 200)
    #expect(try page.get("/?t=\(page.token)", headers: ["Host": "evil.example"]).status == 403)
    // A new run, a new token.
    let again = try BrowseProcess(folder: folder)
    #expect(again.token != page.token)
    #expect(try again.get("/?t=\(page.token)").status == 403)
  }

  @Test func noPathOutsideTheRestoreIsEverServed() throws {
    let (directory, folder) = try Self.restore()
    defer { withExtendedLifetime(directory) {} }
    let victim = directory.file("victim.txt")
    try Data("secret".utf8).write(to: URL(fileURLWithPath: victim))
    let database = try SQLiteDatabase(path: folder + "/archive.sqlite", readOnly: false)
    let files = try database.rows(
      "SELECT Id, Path FROM manifest WHERE Status = 'restored' ORDER BY Id LIMIT 4")
    #expect(files.count == 4)
    let ids = files.compactMap { $0[0] }
    // A manifest edited to point outside, and a link planted in place of a restored file.
    try database.execute("UPDATE manifest SET Path = '../victim.txt' WHERE Id = '\(ids[0])'")
    try database.execute("UPDATE manifest SET Path = '\(victim)' WHERE Id = '\(ids[1])'")
    try database.execute(
      "UPDATE manifest SET Path = 'files/../../victim.txt' WHERE Id = '\(ids[2])'")
    let planted = folder + "/" + (files[3][1] ?? "")
    try FileManager.default.removeItem(atPath: planted)
    try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
    let page = try BrowseProcess(folder: folder)
    let t = page.token
    for path in [
      "/file/\(ids[0])?t=\(t)", "/file/\(ids[1])?t=\(t)", "/file/\(ids[2])?t=\(t)",
      "/file/\(ids[3])?t=\(t)", "/file/..%2F..%2Fvictim.txt?t=\(t)", "/file/%2e%2e?t=\(t)",
      "/o/..%2F..%2Fvictim.txt?t=\(t)", "/r/Account/..%2F..%2Fetc%2Fpasswd?t=\(t)",
      "/../victim.txt?t=\(t)",
    ] {
      let response = try page.get(path)
      #expect(response.status == 404, "\(path): \(response.status)")
      #expect(!response.text.contains("secret"), "\(path)")
    }
  }

  @Test func aFileIsServedWithItsBytesAndNeverRunsInThePage() throws {
    let (directory, folder) = try Self.restore()
    defer { withExtendedLifetime(directory) {} }
    let file = try Self.firstFile(folder)
    let page = try BrowseProcess(folder: folder)
    let response = try page.get("/file/\(file.id)?t=\(page.token)")
    #expect(response.status == 200)
    let expected = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file.path))
    #expect(Data(response.body) == expected)
    #expect(response.headers["content-disposition"]?.hasPrefix("attachment") == true)
    #expect(response.headers["x-content-type-options"] == "nosniff")
  }

  @Test func everyPageIsWellFormedAndEscapesWhatTheExportHolds() throws {
    let (directory, folder) = try Self.restore()
    defer { withExtendedLifetime(directory) {} }
    let archive = folder + "/archive.sqlite"
    let before = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: archive)))
    let page = try BrowseProcess(folder: folder)
    let t = page.token
    let account = ArchiveWriterTests.export().table("Account")!.rows[0][0]
    let paths = [
      "/?t=\(t)", "/search?t=\(t)&q=\(ArchiveWriterTests.word)", "/search?t=\(t)&q=nothing+here",
      "/search?t=\(t)&q=%22%3Cscript%3E", "/o/Account?t=\(t)", "/o/Account?t=\(t)&sort=Name&desc=1",
      "/o/Contact?t=\(t)&page=1", "/r/Account/\(account)?t=\(t)",
      "/r/Account/\(account)/related?t=\(t)&object=Contact&field=AccountId",
    ]
    for (index, path) in paths.enumerated() {
      let response = try page.get(path)
      #expect(response.status == 200, "\(path)")
      #expect(response.headers["content-security-policy"]?.contains("default-src 'none'") == true)
      #expect(!response.text.contains("<script"), "\(path): markup from the export")
      let file = directory.file("page\(index).html")
      try Data(response.body).write(to: URL(fileURLWithPath: file))
      let check = try ExportGateBinary.run(
        ["python3", "-c", HTMLValidity.script, file], binary: "/usr/bin/env")
      #expect(check.status == 0, "\(path): \(check.standardError)")
      if let tidy = tidyPath {
        let run = try ExportGateBinary.run(["-errors", "-quiet", file], binary: tidy)
        let errors = run.standardError.split(separator: "\n").filter { $0.contains("Error:") }
        #expect(errors.isEmpty, "\(path): \(run.standardError)")
      }
    }
    let table = try page.get("/o/Account?t=\(t)").text
    #expect(table.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
    #expect(try page.get("/o/NoSuchObject?t=\(t)").status == 404)
    #expect(try page.get("/r/Account/001000000000000AAA?t=\(t)").status == 404)
    let after = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: archive)))
    #expect(before == after, "the archive was changed by browsing it")
  }

  @Test func theRecordPageNamesLookupsAndListsWhatPointsToIt() throws {
    let (directory, folder) = try Self.restore()
    defer { withExtendedLifetime(directory) {} }
    let export = ArchiveWriterTests.export()
    let account = export.table("Account")!.rows[0]
    let page = try BrowseProcess(folder: folder)
    let html = try page.get("/r/Account/\(account[0])?t=\(page.token)").text
    let owner = account[export.table("Account")!.column("OwnerId")]
    #expect(html.contains("/r/User/\(owner)?t=\(page.token)"))
    #expect(html.contains("Contact by AccountId"))
    #expect(html.contains("Task by WhatId"))
    #expect(html.contains("Note by ParentId"))
  }
}
