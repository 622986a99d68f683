/// The archive's tables, decided once every CSV has been profiled: one per object, named as the
/// object, columns named as the header; each column's type from the org's describe where the
/// bundle holds an inventory, else inferred only where no value would change; lookups declared
/// `REFERENCES Target(Id)` where every value points to one object the bundle holds; the text
/// columns its search covers; the column that labels a record.
struct ArchiveSchema {
  /// A column's SQLite type.
  enum ColumnType: String {
    case integer = "INTEGER"
    case real = "REAL"
    case text = "TEXT"
  }

  struct Column {
    let name: String
    let type: ColumnType
    /// Every value is a record Id: its references are recorded.
    let isLookup: Bool
    /// The object every value points to, declared as a foreign key.
    let references: String?
    let isSearchable: Bool
  }

  struct Table {
    let object: String
    let columns: [Column]
    /// The column position of `Id`, the primary key, when the CSV has one.
    let idPosition: Int?
    /// The column a record is named by (Name, Subject, CaseNumber, Title, ...).
    let labelColumn: String?

    var searchColumns: [String] { columns.filter(\.isSearchable).map(\.name) }
    var lookupColumns: [Column] { columns.filter(\.isLookup) }
    var ftsTable: String { object + "_fts" }
  }

  let tables: [Table]

  /// Columns that label a record, best first (as restore names owners' folders).
  static let labelCandidates = ["Name", "Subject", "CaseNumber", "Title", "LastName", "Email"]

  /// Describe types stored as numbers; every other type (ids, references, dates, picklists,
  /// text) stays text.
  static func describedType(_ type: String) -> ColumnType? {
    switch type {
    case "int", "long", "boolean": .integer
    case "double", "currency", "percent": .real
    case "": nil
    default: .text
    }
  }

  static let searchableDescribedTypes: Set<String> = [
    "string", "textarea", "email", "phone", "url", "encryptedstring", "combobox", "picklist",
    "multipicklist",
  ]

  init(
    profiles: [ObjectProfile], objectByPrefix: [KeyPrefix: String], inventory: OrgInventory?
  ) {
    let objectsWithIds = Set(profiles.filter { $0.columns.contains("Id") }.map(\.object))
    let described = Dictionary(
      (inventory?.objects ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    tables = profiles.map { profile in
      let fields = Dictionary(
        (described[profile.object]?.fields ?? []).map { ($0.name, $0) },
        uniquingKeysWith: { first, _ in first })
      let columns = zip(profile.columns, profile.profiles).map { name, values in
        Self.column(
          name, values, field: fields[name], objectByPrefix: objectByPrefix,
          present: objectsWithIds)
      }
      return Table(
        object: profile.object, columns: columns,
        idPosition: profile.columns.firstIndex(of: "Id"),
        labelColumn: Self.labelCandidates.first { profile.columns.contains($0) })
    }
  }

  private static func column(
    _ name: String, _ values: ColumnProfile, field: OrgInventory.Field?,
    objectByPrefix: [KeyPrefix: String], present: Set<String>
  ) -> Column {
    let isLookup = name != "Id" && values.isLookup
    var target: String?
    if isLookup, !values.manyPrefixes {
      let targets = Set(values.prefixes.map { objectByPrefix[$0] })
      if targets.count == 1, let only = targets.first, let only, present.contains(only) {
        target = only
      }
    }
    if target == nil, isLookup, let field, field.referenceTo.count == 1,
      present.contains(field.referenceTo[0]),
      values.prefixes.allSatisfy({ objectByPrefix[$0] == field.referenceTo[0] })
    {
      target = field.referenceTo[0]
    }
    let type: ColumnType
    if let field, let declared = describedType(field.type) {
      type = declared
    } else if name == "Id" || isLookup {
      type = .text
    } else if values.isInteger {
      type = .integer
    } else if values.isDecimal {
      type = .real
    } else {
      type = .text
    }
    let searchable =
      type == .text && !isLookup && name != "Id"
      && (field.map { searchableDescribedTypes.contains($0.type) } ?? values.isSearchableText)
    return Column(
      name: name, type: type, isLookup: isLookup, references: target, isSearchable: searchable)
  }

  /// The `CREATE TABLE` of one object: a rowid table (full-text search joins on the rowid),
  /// `Id` its primary key.
  static func createStatement(_ table: Table) -> String {
    let columns = table.columns.map { column in
      var definition = SQLiteDatabase.quote(column.name) + " " + column.type.rawValue
      if column.name == "Id" { definition += " PRIMARY KEY NOT NULL" }
      if let target = column.references {
        definition += " REFERENCES \(SQLiteDatabase.quote(target))(\"Id\")"
      }
      return definition
    }
    return "CREATE TABLE \(SQLiteDatabase.quote(table.object)) (\(columns.joined(separator: ", ")))"
  }
}
