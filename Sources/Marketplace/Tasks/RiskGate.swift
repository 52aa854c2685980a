import Foundation

/// Screens task text before it is stored: a configurable deny list of terms, matched as whole
/// words without regard to case. A match refuses the task with RISK_GATE_BLOCKED naming the field.
public struct RiskGate: Sendable, Hashable {
    public let deniedTerms: [String]

    public init(deniedTerms: [String]) {
        self.deniedTerms = deniedTerms.map { $0.trimmingWhitespace.lowercased() }.filter { !$0.isEmpty }
    }

    /// A starting list; `MARKETPLACE_RISK_DENY` (comma-separated) replaces it in `serve`.
    public static let standard = RiskGate(deniedTerms: [
        "counterfeit", "firearm", "explosive", "ransomware", "stolen credit card", "money laundering", "fake id", "phishing",
    ])

    /// Refuses the first field whose text contains a denied term.
    public func check(_ fields: [(field: String, text: String)]) throws(MarketplaceError) {
        for (field, text) in fields {
            let words = Self.words(text)
            for term in deniedTerms where Self.contains(words, Self.words(term)) {
                throw .riskBlocked(field: field, message: "\(field) mentions '\(term)', which this marketplace does not take")
            }
        }
    }

    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }

    static func contains(_ words: [Substring], _ phrase: [Substring]) -> Bool {
        guard !phrase.isEmpty, words.count >= phrase.count else { return false }
        return (0...(words.count - phrase.count)).contains { start in words[start..<start + phrase.count].elementsEqual(phrase) }
    }
}
