/// The version ExportGate reports (reports and certificates carry it).
public enum ExportGateVersion {
  public static let current = "0.1.0"
}
