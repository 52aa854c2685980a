/// The one version the product states: `marketplace --version`, the OpenAPI document's
/// `info.version`, the MCP server's `serverInfo.version` and `GET /v1/platform`.
public enum ReleaseVersion {
    public static let current = "0.2.0"
}
