import Foundation

/// A large org behind the fake org's REST API, for the inventory benchmark: many objects, most
/// of them custom, three in five with records, and a long list of stored files.
public enum BenchmarkOrg {
  public static func model(objects: Int, files: Int) -> FakeOrgModel {
    var model = FakeOrgModel.matching(FixtureExport(orgId: ExportGenerator.orgId))
    var random = SeededRandom(seed: 11)
    for index in 0..<objects {
      let name = index < 40 ? "Standard\(index)" : "Object\(index)__c"
      let fields =
        [
          FakeOrgModel.Field(name: "Id", type: "id"),
          FakeOrgModel.Field(name: "CreatedDate", type: "datetime"),
        ]
        + (0..<58).map { FakeOrgModel.Field(name: "Field\($0)__c", type: "string") }
      let records = index % 5 < 3 ? 1 + random.below(50_000) : 0
      model.objects.append(
        FakeOrgModel.Object(
          name: name, keyPrefix: String(format: "a%02X", index % 256), fields: fields,
          created: records == 0 ? [:] : [FakeOrgModel.longAgo: records]))
    }
    model.objects.append(
      FakeOrgModel.Object(
        name: "ContentVersion", keyPrefix: "068",
        fields: [
          FakeOrgModel.Field(name: "Id", type: "id"),
          FakeOrgModel.Field(name: "CreatedDate", type: "datetime"),
          FakeOrgModel.Field(name: "VersionData", type: "base64"),
        ], created: [FakeOrgModel.longAgo: files]))
    var ids = IdFactory()
    model.contentVersions = (0..<files).map { _ in
      FakeOrgModel.ContentVersion(
        id: ids.next("068"), documentId: ids.next("069"),
        checksum: (0..<32).map { _ in String(random.below(16), radix: 16) }.joined(),
        size: 1 + random.below(10_000_000), createdDate: FakeOrgModel.longAgo)
    }
    return model
  }
}
