/// The release this build is, as a backup's manifest names it.
public enum AppVersion {
    public static let current = "1.0.0"
}
