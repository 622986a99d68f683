/// How far a scan has got, in bytes of input (compressed part bytes, folder file bytes).
public struct ScanProgress: Sendable {
  public var bytesDone: Int64
  public var bytesTotal: Int64

  public init(bytesDone: Int64, bytesTotal: Int64) {
    self.bytesDone = bytesDone
    self.bytesTotal = bytesTotal
  }
}
