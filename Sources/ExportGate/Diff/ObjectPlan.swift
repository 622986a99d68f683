/// The columns one object's rows are compared on.
struct ObjectPlan {
  let name: String
  let oldHeader: [String]?
  let newHeader: [String]?
  /// Columns in both headers, in OLD's order (Id excluded).
  let common: [String]

  init(name: String, oldHeader: [String]?, newHeader: [String]?) {
    self.name = name
    self.oldHeader = oldHeader
    self.newHeader = newHeader
    let newSet = Set(newHeader ?? [])
    common = (oldHeader ?? []).filter { $0 != "Id" && newSet.contains($0) }
  }
}

/// Which export a pass reads.
enum DiffSide { case old, new }
