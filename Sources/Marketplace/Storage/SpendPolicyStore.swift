/// The spend policies set on API keys (caps per task and per UTC day, in one asset), as
/// funding reads them.
protocol SpendPolicyStore {
    /// The policy of the key, or nil when it has none.
    func policy(ofKey keyID: String) throws -> SpendPolicy?
}
