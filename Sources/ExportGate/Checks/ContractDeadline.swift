import Foundation

/// The notice deadline of the contract a policy names: the last day to send notice is the end
/// date minus the notice period.
struct ContractDeadline {
  let contract: Policy.Contract
  let lastNoticeDay: Date
  let daysLeft: Int

  init?(policy: Policy, now: Date) {
    guard let contract = policy.contract else { return nil }
    self.contract = contract
    lastNoticeDay = contract.endDate.addingTimeInterval(-Double(contract.noticeDays) * 86_400)
    let startOfToday = floor(now.timeIntervalSince1970 / 86_400) * 86_400
    daysLeft = Int(((lastNoticeDay.timeIntervalSince1970 - startOfToday) / 86_400).rounded(.down))
  }

  static func format(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: date)
  }

  var summary: VerificationReport.ContractSummary {
    VerificationReport.ContractSummary(
      endDate: Self.format(contract.endDate), noticeDays: contract.noticeDays,
      lastNoticeDay: Self.format(lastNoticeDay), daysLeft: daysLeft)
  }

  /// A finding when the deadline is near or past.
  var finding: Finding? {
    let day = Self.format(lastNoticeDay)
    let severity: Severity = contract.noticeIsError ? .error : .warning
    if daysLeft < 0 {
      return Finding(
        .contractNotice,
        "the last day to send notice for the contract ending \(Self.format(contract.endDate)) (\(contract.noticeDays) days) was \(day), \(-daysLeft) day(s) ago",
        severity: severity)
    }
    if daysLeft <= contract.warnDaysBefore {
      return Finding(
        .contractNotice,
        "\(daysLeft) day(s) left to send notice: the last day is \(day) for the contract ending \(Self.format(contract.endDate)) (\(contract.noticeDays) days' notice)",
        severity: severity)
    }
    return nil
  }
}
