import Crypto
import Foundation
import Yams

/// Reads a ``Policy`` from YAML or JSON, rejecting unknown keys and bad values with the line
/// they are on.
public enum PolicyLoader {
  /// A policy file that cannot be used, with where.
  public struct PolicyError: Error, CustomStringConvertible {
    public let line: Int?
    public let message: String
    /// The file could not be read at all (missing, not a file, no permission), as opposed
    /// to read and found wrong.
    public var unreadable = false
    public var description: String {
      line.map { "policy line \($0): \(message)" } ?? "policy: \(message)"
    }
  }

  public static func load(path: String) throws -> Policy {
    let data: Data
    do {
      data = try InputFile.read(path, what: "the file", limit: 1 << 20)
    } catch {
      var failure = PolicyError(line: nil, message: "\(error)")
      failure.unreadable = true
      throw failure
    }
    var policy = try parse(String(decoding: data, as: UTF8.self))
    policy.digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    return policy
  }

  public static func parse(_ text: String) throws -> Policy {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw PolicyError(line: nil, message: "not valid YAML or JSON: \(error)")
    }
    var policy = Policy()
    guard let root else { return policy }
    guard let mapping = root.mapping else {
      throw PolicyError(line: line(root), message: "the policy must be a mapping of keys")
    }
    for (keyNode, value) in mapping {
      guard let key = keyNode.string else {
        throw PolicyError(line: line(keyNode), message: "keys must be strings")
      }
      switch key {
      case "requiredObjects":
        policy.requiredObjects = try strings(value, key: key)
      case "minimumRecords":
        policy.minimumRecords = try integerMap(value, key: key)
      case "severity":
        guard let entries = value.mapping else {
          throw PolicyError(
            line: line(value), message: "severity must map finding codes to error, warning or info")
        }
        for (codeNode, severityNode) in entries {
          guard let name = codeNode.string, let code = FindingCode(rawValue: name) else {
            throw PolicyError(
              line: line(codeNode), message: "unknown finding code '\(codeNode.string ?? "?")'")
          }
          guard let raw = severityNode.string, let severity = Severity(rawValue: raw) else {
            throw PolicyError(
              line: line(severityNode), message: "severity must be error, warning or info")
          }
          policy.severity[code] = severity
        }
      case "files":
        switch value.string {
        case "required": policy.filesRequired = true
        case "optional": policy.filesRequired = false
        default:
          throw PolicyError(line: line(value), message: "files must be 'required' or 'optional'")
        }
      case "fields":
        switch value.string {
        case "complete": policy.fieldsComplete = true
        case "any": policy.fieldsComplete = false
        default:
          throw PolicyError(
            line: line(value),
            message: "fields must be 'complete' (every stored field the org describes) or 'any'")
        }
      case "encoding":
        guard let name = value.string else {
          throw PolicyError(line: line(value), message: "encoding must be a name such as UTF-8")
        }
        do {
          policy.encoding = try TextEncoding(name: name)
        } catch {
          throw PolicyError(line: line(value), message: "\(error)")
        }
      case "maxExportAgeDays":
        policy.maxExportAgeDays = try positiveInteger(value, key: key)
      case "contract":
        policy.contract = try contract(value, keyLine: line(keyNode))
      default:
        throw PolicyError(line: line(keyNode), message: "unknown key '\(key)'")
      }
    }
    return policy
  }

  private static func contract(_ node: Node, keyLine: Int?) throws -> Policy.Contract {
    guard let mapping = node.mapping else {
      throw PolicyError(
        line: line(node), message: "contract must be a mapping (endDate, noticeDays, ...)")
    }
    var endDate: Date?
    var contract = Policy.Contract(endDate: Date(timeIntervalSince1970: 0))
    for (keyNode, value) in mapping {
      switch keyNode.string ?? "" {
      case "endDate":
        guard let text = value.string, let date = day(text) else {
          throw PolicyError(line: line(value), message: "endDate must be a date YYYY-MM-DD")
        }
        endDate = date
      case "noticeDays":
        let days = try positiveInteger(value, key: "noticeDays")
        guard days >= 30 else {
          throw PolicyError(
            line: line(value),
            message: "noticeDays must be at least 30 (the contractual minimum; 60 is recommended)")
        }
        contract.noticeDays = days
      case "warnDaysBefore":
        contract.warnDaysBefore = try positiveInteger(value, key: "warnDaysBefore")
      case "noticeIsError":
        guard let flag = value.bool else {
          throw PolicyError(line: line(value), message: "noticeIsError must be true or false")
        }
        contract.noticeIsError = flag
      default:
        throw PolicyError(
          line: line(keyNode), message: "unknown key 'contract.\(keyNode.string ?? "?")'")
      }
    }
    guard let endDate else {
      throw PolicyError(line: keyLine, message: "contract needs an endDate")
    }
    contract.endDate = endDate
    return contract
  }

  static func day(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.date(from: text)
  }

  private static func line(_ node: Node) -> Int? { node.mark?.line }

  private static func strings(_ node: Node, key: String) throws -> [String] {
    guard let sequence = node.sequence else {
      throw PolicyError(line: line(node), message: "\(key) must be a list")
    }
    return try sequence.map { item in
      guard let text = item.string, !text.isEmpty else {
        throw PolicyError(line: line(item), message: "\(key) must list names")
      }
      return text
    }
  }

  private static func integerMap(_ node: Node, key: String) throws -> [String: Int] {
    guard let mapping = node.mapping else {
      throw PolicyError(line: line(node), message: "\(key) must map object names to numbers")
    }
    var result: [String: Int] = [:]
    for (nameNode, value) in mapping {
      guard let name = nameNode.string else {
        throw PolicyError(line: line(nameNode), message: "\(key) keys must be object names")
      }
      result[name] = try positiveInteger(value, key: "\(key).\(name)", allowZero: true)
    }
    return result
  }

  private static func positiveInteger(_ node: Node, key: String, allowZero: Bool = false) throws
    -> Int
  {
    guard let value = node.int, value > 0 || (allowZero && value == 0) else {
      throw PolicyError(
        line: line(node),
        message: "\(key) must be a whole number above \(allowZero ? "or equal to " : "")0")
    }
    return value
  }
}
