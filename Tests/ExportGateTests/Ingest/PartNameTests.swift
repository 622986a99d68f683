import ExportGate
import ExportGateTestSupport
import Testing

@Suite struct PartNameTests {
  @Test func salesforceNamesParseInAnyCase() throws {
    let name = try #require(PartName(fileName: "WE_00D4J000000CuzUUAS_12.ZIP"))
    #expect(name.orgId == "00D4J000000CuzUUAS")
    #expect(name.number == 12)
    #expect(name.orgIdIsValid)
    #expect(PartName(fileName: "we_00D4J000000CuzUUAS_3.zip")?.number == 3)
  }

  @Test func otherNamesAreNotPartNames() {
    #expect(PartName(fileName: "backup_1.zip") == nil)
    #expect(PartName(fileName: "WE_00D4J000000CuzUUAS_x.ZIP") == nil)
    #expect(PartName(fileName: "WE_00D4J000000CuzUUAS_1.csv") == nil)
  }

  @Test func orgIdsAreValidated() {
    #expect(PartName.isValidOrgId("00D8Z000001rMLAUA2"))
    #expect(!PartName.isValidOrgId("00D8Z000001rMLAUAA"))  // wrong checksum
    #expect(!PartName.isValidOrgId("0018Z000001rMLAUA2"))  // not an org
    #expect(!PartName.isValidOrgId("00D8Z000001rMLA"))  // 15 characters
  }

  @Test func anInvalidOrgIdInANameIsReported() throws {
    let directory = TemporaryDirectory()
    var export = smallExport()
    export.orgId = "00D8Z000001rMLAUAA"
    let paths = try FixtureWriter.writeParts(export, to: directory.path)
    let (result, _) = try scan(paths)
    #expect(codes(result.findings) == [.partOrgInvalid])
  }
}
