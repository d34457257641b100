/// The release this build is, as backups and `/healthz` name it.
public enum AppVersion {
    public static let current = "1.0.0"
}
