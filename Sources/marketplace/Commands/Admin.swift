import ArgumentParser
import Foundation
import LedgerCore
import Marketplace

/// `marketplace admin grant EMAIL`: makes a registered user an admin (dispute resolution,
/// worker verification, ledger reads). There is no API for it on purpose.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Administer users.", subcommands: [Grant.self])

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a registered user an admin.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user's email.") var email: String

        func run() async throws {
            let ledger = try Ledger(path: database.db)
            defer { ledger.close() }
            let store = try MarketplaceStore(ledger: ledger)
            defer { store.close() }
            // Granting signs nothing; the issuer is only there because the service needs one.
            let tokens = try await TokenIssuer(secret: TokenIssuer.randomSecret())
            let user = try await AuthService(store: store, tokens: tokens).grantAdmin(email: email)
            print("\(user.email) (\(user.id)) is now an admin; sessions opened from now on carry finance:read")
        }
    }
}
