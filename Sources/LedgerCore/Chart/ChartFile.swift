import Foundation

/// The JSON shape of `Ledger/chart-of-accounts.json`, before validation. Strings stay
/// strings here so that a bad asset, role or flag is reported with the entry that has it.
struct ChartFile: Decodable {
    struct Entry: Decodable {
        let code: String
        let role: String
        let connector: String?
        let type: String
        let asset: String
        let flags: [String]
        let description: String
    }

    struct Template: Decodable {
        let code: String
        let role: String
        let ownerKind: String
        let type: String
        let assets: [String]
        let flags: [String]
        let description: String
    }

    let version: Int
    let accounts: [Entry]
    let templates: [Template]

    /// The only version this code reads.
    static let versionSupported = 1
    /// The flags' names in the file.
    static let flagNames: [String: AccountFlags] = [
        "debits_must_not_exceed_credits": .debitsMustNotExceedCredits,
        "credits_must_not_exceed_debits": .creditsMustNotExceedDebits,
    ]

    static func decode(_ json: [UInt8]) throws(ChartError) -> ChartFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(ChartFile.self, from: Data(json))
        } catch {
            throw .malformed("\(error)")
        }
    }

    static func role(_ text: String, code: String) throws(ChartError) -> AccountRole {
        guard let role = AccountRole(rawValue: text) else { throw .unknownRole(code: code, role: text) }
        return role
    }

    static func type(_ text: String, role: AccountRole, code: String) throws(ChartError) -> AccountType {
        guard let type = AccountType(rawValue: text) else { throw .unknownType(code: code, type: text) }
        guard type == role.accountType else { throw .typeMismatch(code: code, role: role, type: type) }
        return type
    }

    static func asset(_ text: String, code: String) throws(ChartError) -> Asset {
        guard let asset = Asset.named(text) else { throw .unknownAsset(code: code, asset: text) }
        return asset
    }

    static func flags(_ names: [String], code: String) throws(ChartError) -> AccountFlags {
        var flags: AccountFlags = []
        for name in names {
            guard let flag = flagNames[name] else { throw .unknownFlag(code: code, flag: name) }
            flags.insert(flag)
        }
        guard flags != [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits] else { throw .flagsConflict(code: code) }
        return flags
    }
}
