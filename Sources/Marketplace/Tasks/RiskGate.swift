import Foundation

/// Screens task text before it is stored: a configurable deny list of terms, matched as whole
/// words without regard to case. A match refuses the task with RISK_GATE_BLOCKED naming the field.
public struct RiskGate: Sendable, Hashable {
    public let deniedTerms: [String]
    /// Each term's words, split once.
    private let phrases: [[String]]

    public init(deniedTerms: [String]) {
        self.deniedTerms = deniedTerms.map { $0.trimmingWhitespace.lowercased() }.filter { !$0.isEmpty }
        phrases = self.deniedTerms.map { Self.words($0).map(String.init) }
    }

    public static func == (a: RiskGate, b: RiskGate) -> Bool { a.deniedTerms == b.deniedTerms }
    public func hash(into hasher: inout Hasher) { hasher.combine(deniedTerms) }

    /// A starting list; `MARKETPLACE_RISK_DENY` (comma-separated) replaces it in `serve`.
    public static let standard = RiskGate(deniedTerms: [
        "counterfeit", "firearm", "explosive", "ransomware", "stolen credit card", "money laundering", "fake id", "phishing",
    ])

    /// Refuses the first field whose text contains a denied term.
    public func check(_ fields: [(field: String, text: String)]) throws(MarketplaceError) {
        for (field, text) in fields {
            let words = Self.words(text)
            for (term, phrase) in zip(deniedTerms, phrases) where Self.contains(words, phrase) {
                throw .riskBlocked(field: field, message: "\(field) mentions '\(term)', which this marketplace does not take")
            }
        }
    }

    /// The text's words, lower case: runs of letters and digits. ASCII text is split by its
    /// bytes (Character's properties cost 0.4 % of `bench api`'s CPU); other text by Unicode's.
    static func words(_ text: String) -> [Substring] {
        let lower = text.lowercased()
        if lower.utf8.allSatisfy({ $0 < 0x80 }) {
            return lower.utf8.split { !((0x61...0x7A).contains($0) || (0x30...0x39).contains($0)) }.map { Substring($0) }
        }
        return lower.split { !$0.isLetter && !$0.isNumber }
    }

    static func contains(_ words: [Substring], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, words.count >= phrase.count else { return false }
        return (0...(words.count - phrase.count)).contains { start in zip(words[start..<start + phrase.count], phrase).allSatisfy { $0 == $1 } }
    }
}
