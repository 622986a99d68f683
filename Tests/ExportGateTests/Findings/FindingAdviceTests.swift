import ExportGate
import Testing

/// Every "What to do" is something a person can do: each advice names an action (or says
/// plainly that nothing is to be done), never only explains; and none tells a person to run
/// the export again without saying that a new export replaces the one they have.
@Suite struct FindingAdviceTests {
  static let actions = [
    "download", "run ", "take ", "keep ", "check ", "open ", "give ", "send ", "remove ",
    "compare", "include ", "pass ", "extract ", "fetch ", "nothing",
  ]

  @Test(arguments: FindingCode.allCases)
  func everyAdviceIsAnAction(_ code: FindingCode) {
    let advice = code.advice.lowercased()
    #expect(Self.actions.contains { advice.contains($0) }, "\(code.rawValue): \(code.advice)")
  }

  @Test(arguments: FindingCode.allCases)
  func exportingAgainWarnsThatItReplacesThisExport(_ code: FindingCode) {
    let advice = code.advice.lowercased()
    guard advice.contains("run the export again") || advice.contains("run a fresh export")
    else { return }
    #expect(
      advice.contains("replaces this one") || advice.contains("before cancelling")
        || advice.contains("while the org exists"),
      "\(code.rawValue): \(code.advice)")
  }
}
