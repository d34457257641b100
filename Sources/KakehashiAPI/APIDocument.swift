import Foundation

/// The OpenAPI document this module's types and server stubs are generated from,
/// served as is at `/api/openapi.yaml`.
public enum APIDocument {
    public static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
