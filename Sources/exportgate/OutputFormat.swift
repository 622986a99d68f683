import ArgumentParser

/// Where a command's report goes to standard output as text for people or JSON for machines.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}
