import ExportGateTestSupport
import Foundation
import Testing

@testable import ExportGate

/// The plan alone, from metadata rows: where each file goes, names kept unique as
/// case-insensitive file systems compare them, versions and links, rows that give no file.
@Suite struct RestorePlanTests {
  static let account = IdFactory.make(prefix: "001", serial: 1)
  static let opportunity = IdFactory.make(prefix: "006", serial: 1)

  static func metadata() -> RestoreMetadata {
    let metadata = RestoreMetadata()
    metadata.names[account] = "ACME / Europe"
    metadata.objectByPrefix[KeyPrefix("001")!] = "Account"
    return metadata
  }

  @Test func attachmentsGoUnderTheirParentAndTakenNamesGetTheirId() throws {
    let metadata = Self.metadata()
    let first = IdFactory.make(prefix: "00P", serial: 1)
    let second = IdFactory.make(prefix: "00P", serial: 2)
    let empty = IdFactory.make(prefix: "00P", serial: 3)
    for row in [
      ["Id": first, "ParentId": Self.account, "Name": "Contract.pdf", "BodyLength": "10"],
      ["Id": second, "ParentId": Self.account, "Name": "CONTRACT.PDF", "BodyLength": "12"],
      ["Id": empty, "ParentId": Self.account, "Name": "nothing.txt", "BodyLength": "0"],
    ] as [[String: String]] {
      metadata.files.add(row, of: "Attachment")
    }
    let plan = RestorePlan(metadata: metadata, latestOnly: false)
    let folder = "files/Account/ACME _ Europe (\(Self.account))"
    let firstJob = try #require(plan.jobs[RestorePlan.key(folder: "Attachments", id: first)])
    let secondJob = try #require(plan.jobs[RestorePlan.key(folder: "Attachments", id: second)])
    #expect(firstJob.paths == [folder + "/Contract.pdf"])
    #expect(secondJob.paths == [folder + "/CONTRACT (\(second)).PDF"])
    #expect(firstJob.expectedSize == 10)
    #expect(plan.jobs[RestorePlan.key(folder: "Attachments", id: empty)] == nil)
    #expect(plan.directories == [folder])
  }

  @Test func filesGoUnderEveryLinkedRecordOlderVersionsTaggedOrLeftOut() throws {
    let metadata = Self.metadata()
    let document = IdFactory.make(prefix: "069", serial: 1)
    let latest = IdFactory.make(prefix: "068", serial: 2)
    let older = IdFactory.make(prefix: "068", serial: 1)
    let external = IdFactory.make(prefix: "068", serial: 3)
    for row in [
      ["ContentDocumentId": document, "LinkedEntityId": Self.account],
      ["ContentDocumentId": document, "LinkedEntityId": Self.opportunity],
    ] as [[String: String]] {
      metadata.files.add(row, of: "ContentDocumentLink")
    }
    for row in [
      [
        "Id": older, "ContentDocumentId": document, "Title": "Plan", "FileType": "PDF",
        "VersionNumber": "1", "IsLatest": "0", "ContentLocation": "S",
      ],
      [
        "Id": latest, "ContentDocumentId": document, "Title": "Plan", "FileType": "PDF",
        "VersionNumber": "2", "IsLatest": "1", "ContentLocation": "S", "ContentSize": "5",
      ],
      ["Id": external, "ContentDocumentId": "x", "Title": "Link", "ContentLocation": "E"],
    ] as [[String: String]] {
      metadata.files.add(row, of: "ContentVersion")
    }
    let all = RestorePlan(metadata: metadata, latestOnly: false)
    let latestJob = try #require(all.jobs[RestorePlan.key(folder: "ContentVersion", id: latest)])
    #expect(
      latestJob.paths == [
        "files/Account/ACME _ Europe (\(Self.account))/Plan.pdf",
        "files/Opportunity/\(Self.opportunity)/Plan.pdf",
      ])
    let olderJob = try #require(all.jobs[RestorePlan.key(folder: "ContentVersion", id: older)])
    #expect(olderJob.paths.first?.hasSuffix("/Plan (v1).pdf") == true)
    #expect(all.notes.map(\.status) == [.noFile])

    let latestOnly = RestorePlan(metadata: metadata, latestOnly: true)
    #expect(latestOnly.jobs[RestorePlan.key(folder: "ContentVersion", id: older)] == nil)
    #expect(latestOnly.notes.map(\.status).sorted { "\($0)" < "\($1)" } == [.noFile, .skipped])
  }

  @Test func anEnhancedNoteGetsAReadableCopyBesideItAndOnlyItDoes() throws {
    let metadata = Self.metadata()
    let note = IdFactory.make(prefix: "068", serial: 1)
    let file = IdFactory.make(prefix: "068", serial: 2)
    let document = IdFactory.make(prefix: "069", serial: 1)
    for row in [
      ["ContentDocumentId": document, "LinkedEntityId": Self.account]
    ] as [[String: String]] {
      metadata.files.add(row, of: "ContentDocumentLink")
    }
    for row in [
      [
        "Id": note, "ContentDocumentId": document, "Title": "Call notes", "FileType": "SNOTE",
        "IsLatest": "1",
      ],
      [
        "Id": file, "ContentDocumentId": "other", "Title": "Logo", "FileType": "PNG",
        "IsLatest": "1",
      ],
    ] as [[String: String]] {
      metadata.files.add(row, of: "ContentVersion")
    }
    let plan = RestorePlan(metadata: metadata, latestOnly: false)
    let noteJob = try #require(plan.jobs[RestorePlan.key(folder: "ContentVersion", id: note)])
    let folder = "files/Account/ACME _ Europe (\(Self.account))"
    #expect(noteJob.paths == [folder + "/Call notes.snote"])
    #expect(noteJob.readable == folder + "/Call notes.html")
    let fileJob = try #require(plan.jobs[RestorePlan.key(folder: "ContentVersion", id: file)])
    #expect(fileJob.readable == nil)
    #expect(fileJob.paths == ["files/ContentVersion (no linked record)/Logo.png"])
  }
}
