import Foundation

/// Linux's `preadv2`, which can read only what the page cache already holds (`RWF_NOWAIT`):
/// the structure audit asks it whether a part's headers are cached before announcing every one
/// of them to the device. Swift's Glibc module does not declare it, so it is looked up in the C
/// library at run time; nil where the library has none (callers then assume a cold disk).
enum PositionalRead {
  typealias Function =
    @convention(c) (Int32, UnsafePointer<iovec>?, Int32, off_t, Int32) -> Int

  /// `RWF_NOWAIT` (linux/fs.h): fail with `EAGAIN` instead of waiting for the device.
  static let noWait: Int32 = 0x0000_0008

  static let withoutWaiting: Function? = dlsym(nil, "preadv2").map {
    unsafeBitCast($0, to: Function.self)
  }
}
