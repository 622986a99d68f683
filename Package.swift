// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "ExportGate",
  products: [
    .library(name: "ExportGate", targets: ["ExportGate"]),
    .executable(name: "exportgate", targets: ["exportgate"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CArchive",
      path: "Sources/CArchive",
      pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]
    ),
    .systemLibrary(
      name: "CISAL",
      path: "Sources/CISAL",
      pkgConfig: "libisal",
      providers: [.apt(["libisal-dev"])]
    ),
    .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
    .systemLibrary(
      name: "CSQLite",
      path: "Sources/CSQLite",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]
    ),
    .target(
      name: "ExportGate",
      dependencies: [
        "CArchive",
        "CISAL",
        "CLinux",
        "CSQLite",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
    ),
    .executableTarget(
      name: "exportgate",
      dependencies: [
        "ExportGate",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .target(
      name: "ExportGateTestSupport",
      dependencies: [
        "ExportGate", "CArchive",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "exportgate-fixtures",
      dependencies: [
        "ExportGateTestSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "exportgate-bench",
      dependencies: ["ExportGate", "ExportGateTestSupport"],
      path: "Benchmarks/exportgate-bench"
    ),
    .testTarget(
      name: "ExportGateTests",
      dependencies: ["ExportGate", "ExportGateTestSupport", "CArchive", "CISAL"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
