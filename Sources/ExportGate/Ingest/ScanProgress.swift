/// How far a scan has got, in bytes of input (compressed part bytes, folder file bytes).
public struct ScanProgress: Sendable {
  public var bytesDone: Int64
  public var bytesTotal: Int64
}
