import ExportGateTestSupport
import Foundation
import Testing

/// The archive as Datasette users open it (`datasette archive.sqlite -m metadata.json`), read
/// through Datasette's own JSON API: it finds each object's search table, the lookups as
/// foreign keys both ways, and the label columns metadata.json names.
@Suite struct DatasetteTests {
  static let present: Bool = {
    let run = try? ExportGateBinary.run(
      ["python3", "-c", "import datasette"], binary: "/usr/bin/env")
    return run?.status == 0
  }()

  static let script = """
    import asyncio, json, sys
    from datasette.app import Datasette
    async def main():
        datasette = Datasette([sys.argv[1]], metadata=json.load(open(sys.argv[2])))
        database = (await datasette.client.get("/archive.json")).json()
        tables = {t["name"]: {"fts": t["fts_table"], "out": [k["other_table"] for k in t["foreign_keys"]["outgoing"]],
                  "in": [k["other_table"] for k in t["foreign_keys"]["incoming"]]} for t in database["tables"]}
        row = (await datasette.client.get("/archive/Contact.json?_labels=on&_size=1&_shape=objects")).json()["rows"][0]
        found = (await datasette.client.get("/archive/Account.json?_search=" + sys.argv[3] + "&_shape=objects")).json()["rows"]
        print(json.dumps({"tables": tables, "contact": row, "found": len(found)}))
    asyncio.run(main())
    """

  @Test(
    .enabled(
      if: present || SharedCorpus.isRequired,
      "needs PyPI's datasette (scripts/ensure-test-tools installs it)"))
  func datasetteFindsSearchTablesForeignKeysAndLabels() throws {
    #expect(Self.present, "CI installs datasette")
    let (directory, _) = try ArchiveWriterTests.restored(ArchiveWriterTests.export())
    let folder = directory.path + "/out"
    let run = try ExportGateBinary.run(
      [
        "python3", "-c", Self.script, folder + "/archive.sqlite", folder + "/metadata.json",
        ArchiveWriterTests.word,
      ], binary: "/usr/bin/env")
    #expect(run.status == 0, "\(run.standardError)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    let tables = try #require(json["tables"] as? [String: [String: Any]])
    #expect(tables["Account"]?["fts"] as? String == "Account_fts")
    #expect((tables["Contact"]?["out"] as? [String])?.contains("Account") == true)
    #expect((tables["Account"]?["in"] as? [String])?.contains("Contact") == true)
    // The lookup shown with its target's label, as metadata.json names it.
    let contact = try #require(json["contact"] as? [String: Any])
    let account = try #require(contact["AccountId"] as? [String: Any])
    #expect((account["label"] as? String)?.contains("Sons") == true, "\(account)")
    #expect(json["found"] as? Int == 1)
  }
}
