import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `exportgate` executable as a child process, for end-to-end tests and for
/// measurements that must not share a process with other tests.
public enum ExportGateBinary {
  /// The executable in the build folder the tests run from, if it was built.
  public static let path: String? = {
    let arguments0 = CommandLine.arguments.first ?? ""
    var directory = URL(fileURLWithPath: arguments0).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("exportgate").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory.deleteLastPathComponent()
    }
    let fallback = SharedCorpus.projectRoot + "/.build/debug/exportgate"
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
  }()

  /// What a run printed and returned.
  public struct Run: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
  }

  /// Runs the executable to completion.
  public static func run(_ arguments: [String], binary: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary ?? path ?? "exportgate")
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
      standardError: String(decoding: errData, as: UTF8.self))
  }

  /// Runs the executable, killed after `seconds` (status 137 then): a hang fails a test
  /// instead of blocking the suite.
  public static func run(_ arguments: [String], timeoutSeconds seconds: Int) throws -> Run {
    try run(
      ["-s", "KILL", String(seconds), path ?? "exportgate"] + arguments, binary: "/usr/bin/timeout")
  }

  /// Runs the executable with output discarded and returns its peak resident set size in KiB.
  public static func peakResidentKiB(_ binary: String, _ arguments: [String]) throws -> Int {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw FixtureWriter.WriteError(description: "spawn failed: \(spawned)")
    }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    return Int(usage.ru_maxrss)
  }
}
