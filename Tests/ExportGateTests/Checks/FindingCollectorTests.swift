import Testing

@testable import ExportGate

/// The collector keeps at most `limit` findings of a code and counts the rest, and absorbing
/// another collector gives the same counts as adding its findings directly.
@Suite struct FindingCollectorTests {
  func finding(_ code: FindingCode, _ index: Int, _ severity: Severity? = nil) -> Finding {
    Finding(code, "example \(index)", severity: severity)
  }

  @Test func keepsAtMostTheLimitAndCountsEveryOne() {
    var collector = FindingCollector(limit: 3)
    for index in 0..<10 { collector.add(finding(.fileMissing, index)) }
    collector.count(.fileMissing, severity: .error, times: 5)
    #expect(collector.kept.count == 3)
    #expect(collector.countByCode[.fileMissing] == 15)
    #expect(collector.errors == 15 && collector.warnings == 0)
  }

  @Test func aPolicysSeverityWinsOverTheChecks() {
    var collector = FindingCollector(limit: 5, overrides: [.referenceDangling: .error])
    collector.add(finding(.referenceDangling, 0))
    collector.count(.referenceDangling, severity: .warning, times: 2)
    #expect(collector.kept.first?.severity == .error)
    #expect(collector.errors == 3 && collector.warnings == 0)
  }

  @Test func absorbingEqualsAddingInOrder() {
    var first = FindingCollector(limit: 2)
    var second = FindingCollector(limit: 2)
    var direct = FindingCollector(limit: 2)
    for index in 0..<3 {
      first.add(finding(.idDuplicate, index))
      direct.add(finding(.idDuplicate, index))
    }
    for index in 3..<7 {
      let severity: Severity = index % 2 == 0 ? .warning : .error
      second.add(finding(.idDuplicate, index, severity))
      direct.add(finding(.idDuplicate, index, severity))
    }
    second.count(.csvNulInValue, severity: .info, times: 4)
    direct.count(.csvNulInValue, severity: .info, times: 4)
    first.absorb(second)
    #expect(first.countByCode == direct.countByCode)
    #expect(
      (first.errors, first.warnings, first.infos) == (direct.errors, direct.warnings, direct.infos))
    #expect(first.kept.map(\.message) == direct.kept.map(\.message))
  }
}
