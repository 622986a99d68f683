import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `restore --check`: a restore re-checked against its own `manifest.csv`, years later: every
/// file the manifest says was restored is still there (reached without following a link),
/// with the size and SHA-256 the manifest gives.
public struct RestoreCheck {
  /// A restored file that is no longer as the manifest says.
  public struct Problem: Sendable, Equatable {
    public var id: String
    public var path: String
    public var reason: String
  }

  /// What the check found.
  public struct Result: Sendable {
    /// Files checked (each path a file was restored at).
    public var checked: Int
    public var problems: [Problem]
    /// Manifest rows the restore itself could not restore (`failed`): said again, not failures
    /// of the check.
    public var notRestored: Int
    public var isIntact: Bool { problems.isEmpty }
  }

  /// Why the check cannot run.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// Checks the restore in `folder`.
  public static func check(folder: String) throws -> Result {
    let manifestPath = (folder as NSString).appendingPathComponent("manifest.csv")
    let table: SmallCSV.Table
    do {
      table = try SmallCSV.read(path: manifestPath, what: "manifest")
    } catch {
      throw Failure(
        description:
          "\(error): is \(folder) a folder `exportgate restore` wrote (it holds manifest.csv)?")
    }
    guard let id = table.column("Id"), let status = table.column("Status"),
      let path = table.column("Path"), let bytes = table.column("Bytes"),
      let sha = table.column("SHA256"), let alsoAt = table.column("AlsoAt")
    else {
      throw Failure(description: "\(manifestPath) is not a restore manifest (its columns differ)")
    }
    let root = try RestoreRoot(path: folder)
    var result = Result(checked: 0, problems: [], notRestored: 0)
    for (_, fields) in table.rows {
      let cell = { (index: Int) in index < fields.count ? unescape(fields[index]) : "" }
      switch cell(status) {
      case "restored", "already-restored": break
      case "failed":
        result.notRestored += 1
        continue
      default: continue
      }
      let places = [cell(path)] + cell(alsoAt).split(separator: ";").map(String.init)
      for place in places where !place.isEmpty {
        result.checked += 1
        if let reason = problem(
          at: place, root: root, size: Int64(cell(bytes)) ?? -1, sha256: cell(sha))
        {
          result.problems.append(Problem(id: cell(id), path: place, reason: reason))
        }
      }
    }
    return result
  }

  /// A manifest cell as it was before it was made safe for spreadsheets (see
  /// ``RestoreManifest``).
  static func unescape(_ cell: String) -> String {
    guard cell.hasPrefix("'"), let second = cell.utf8.dropFirst().first,
      RestoreManifest.formulaStarts.contains(second)
    else { return cell }
    return String(cell.dropFirst())
  }

  private static func problem(at place: String, root: RestoreRoot, size: Int64, sha256: String)
    -> String?
  {
    let folder: Int32
    do {
      folder = try root.folder((place as NSString).deletingLastPathComponent, create: false)
    } catch {
      return "its folder is gone or is not a folder: \(error)"
    }
    defer { close(folder) }
    let name = (place as NSString).lastPathComponent
    var info = stat()
    guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
      return "missing: \(String(cString: strerror(errno)))"
    }
    guard info.st_mode & S_IFMT == S_IFREG else { return "not a regular file (a link or a folder)" }
    guard Int64(info.st_size) == size else {
      return "\(info.st_size) bytes where the manifest says \(size): changed since the restore"
    }
    guard RestoreRoot.holds(folder, name, size: size, sha256: sha256) else {
      return "its SHA-256 is not the manifest's: changed since the restore"
    }
    return nil
  }
}
