import Foundation
import Logging
import Marketplace
import MarketplaceHTTP

/// The proof verifier `serve` scores submissions with: the rules, unless an operator's HTTP
/// verifier is configured (README, "Proof verification").
extension Serve {
    /// The shortest verifier secret accepted: it is an HMAC key.
    static let verifierSecretBytesMin = 16
    static let verifierTimeoutSecondsRange: ClosedRange<Int64> = 1...120
    static let verifierAttemptsRange = 1...10

    /// --verifier-url (or MARKETPLACE_VERIFIER_URL) turns the HTTP verifier on; it needs
    /// --verifier-secret (or MARKETPLACE_VERIFIER_SECRET, better: a flag shows in `ps`).
    /// MARKETPLACE_VERIFIER_TIMEOUT_SECONDS (default 10) bounds each attempt and
    /// MARKETPLACE_VERIFIER_ATTEMPTS (default 3) the attempts. Nil: the rules score.
    func verifierConfiguration() throws(SettingError) -> HTTPProofVerifier.Configuration? {
        let environment = ProcessInfo.processInfo.environment
        let secret = verifierSecret ?? environment["MARKETPLACE_VERIFIER_SECRET"]
        guard let url = verifierURL ?? environment["MARKETPLACE_VERIFIER_URL"], !url.isEmpty else {
            for name in ["MARKETPLACE_VERIFIER_SECRET", "MARKETPLACE_VERIFIER_TIMEOUT_SECONDS", "MARKETPLACE_VERIFIER_ATTEMPTS"] where environment[name] != nil {
                throw SettingError(name, "is set but no verifier URL is (--verifier-url or MARKETPLACE_VERIFIER_URL), so it would be ignored")
            }
            if verifierSecret != nil { throw SettingError("--verifier-secret", "is set but no verifier URL is, so it would be ignored") }
            return nil
        }
        try Self.checkURL(url, verifierURL != nil ? "--verifier-url" : "MARKETPLACE_VERIFIER_URL")
        guard let secret, secret.utf8.count >= Self.verifierSecretBytesMin else {
            throw SettingError("MARKETPLACE_VERIFIER_SECRET", "must be set with the verifier URL, at least \(Self.verifierSecretBytesMin) bytes (it signs each request)")
        }
        var configuration = HTTPProofVerifier.Configuration(url: url, secret: secret)
        if let text = environment["MARKETPLACE_VERIFIER_TIMEOUT_SECONDS"] {
            guard let seconds = Int64(text), Self.verifierTimeoutSecondsRange.contains(seconds) else {
                throw SettingError("MARKETPLACE_VERIFIER_TIMEOUT_SECONDS", "must be whole seconds from 1 to 120, not \(text)")
            }
            configuration.timeoutMillis = seconds * 1_000
        }
        if let text = environment["MARKETPLACE_VERIFIER_ATTEMPTS"] {
            guard let attempts = Int(text), Self.verifierAttemptsRange.contains(attempts) else {
                throw SettingError("MARKETPLACE_VERIFIER_ATTEMPTS", "must be a whole number from 1 to 10, not \(text)")
            }
            configuration.attemptsMax = attempts
        }
        return configuration
    }

    /// The verifier the services score with; says which in the log (the URL's origin only).
    func proofVerifier(logger: Logger) throws(SettingError) -> any ProofVerifier {
        guard let configuration = try verifierConfiguration() else { return RuleVerifier() }
        logger.info("proof verification through an HTTP verifier", metadata: [
            "verifier": "\(Self.origin(of: configuration.url))", "timeout_ms": "\(configuration.timeoutMillis)", "attempts": "\(configuration.attemptsMax)",
        ])
        return HTTPProofVerifier(configuration)
    }
}
