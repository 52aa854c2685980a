import Foundation
import LedgerCore
import Testing

@Suite struct ChartOfAccountsTests {
    let chart = ChartOfAccounts.standard

    @Test func standardChartListsEveryPlatformAccountOnce() {
        let codes = chart.platformAccounts.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(Set(codes) == [
            "clearing:stripe:USD", "clearing:base:USDC", "clearing:base:ETH", "clearing:test:USD", "clearing:test:USDC",
            "revenue:fees:USD", "revenue:fees:USDC", "expense:processor-fees:USD", "expense:gas:ETH",
            "in-flight:payouts:stripe:USD", "in-flight:payouts:base:USDC", "in-flight:payouts:test:USD", "in-flight:payouts:test:USDC",
            "equity:opening:USD", "equity:opening:USDC", "equity:opening:ETH",
        ])
        #expect(chart.platformAccounts.allSatisfy { $0.ownerKind == "platform" && $0.ownerID == nil })
    }

    @Test func everyEntryHasTheTypeOfItsRoleAndADescription() {
        for entry in chart.accounts {
            #expect(entry.type == entry.role.accountType, "\(entry.code)")
            #expect(entry.newAccount.type == entry.type)
            #expect(!entry.description.isEmpty, "\(entry.code)")
        }
    }

    @Test func clearingLookupsFollowTheConnectors() {
        #expect(chart.clearing(connector: "stripe", mode: .live, asset: .usd)?.code == "clearing:stripe:USD")
        #expect(chart.clearing(connector: "base", mode: .live, asset: .usdc)?.code == "clearing:base:USDC")
        #expect(chart.clearing(connector: "base", mode: .live, asset: .eth)?.code == "clearing:base:ETH")
        #expect(chart.clearing(connector: "test", mode: .live, asset: .usdc)?.code == "clearing:test:USDC")
        #expect(chart.clearing(connector: "stripe", mode: .live, asset: .usdc) == nil)
        #expect(chart.clearing(connector: "test", mode: .live, asset: .eth) == nil)
        #expect(chart.clearing(connector: "stripe", mode: .live, asset: .usd)?.type == .asset)
    }

    @Test func platformLookupsAnswerTheRightAccounts() {
        #expect(chart.feeRevenue(mode: .live, asset: .usd)?.code == "revenue:fees:USD")
        #expect(chart.feeRevenue(mode: .live, asset: .usdc)?.type == .revenue)
        #expect(chart.feeRevenue(mode: .live, asset: .eth) == nil)
        #expect(chart.processorFeeExpense.code == "expense:processor-fees:USD")
        #expect(chart.processorFeeExpense.type == .expense)
        #expect(chart.gasExpense.code == "expense:gas:ETH")
        #expect(chart.gasExpense.asset == .eth)
        #expect(chart.opening(mode: .live, asset: .eth)?.code == "equity:opening:ETH")
        #expect(chart.opening(mode: .live, asset: .usd)?.type == .equity)
        let inFlight = chart.payoutsInFlight(connector: "stripe", mode: .live, asset: .usd)
        #expect(inFlight?.code == "in-flight:payouts:stripe:USD")
        #expect(inFlight?.flags == .debitsMustNotExceedCredits)
        #expect(chart.payoutsInFlight(connector: "base", mode: .live, asset: .eth) == nil)
        #expect(chart.entry(code: "expense:gas:ETH")?.connector == "base")
    }

    @Test func walletTemplateBuildsAConstrainedLiabilityPerUserAndAsset() {
        let wallet = chart.wallet(user: "u_42", mode: .live, asset: .usdc)
        #expect(wallet == NewAccount(code: "wallet:user:live:u_42:USDC", type: .liability, asset: .usdc,
                                     flags: .debitsMustNotExceedCredits, ownerKind: "user", ownerID: "live:u_42"))
        #expect(chart.wallet(user: "u_42", mode: .test, asset: .usd).code == "wallet:user:test:u_42:USD")
    }

    @Test func escrowTemplateBuildsAConstrainedLiabilityPerTask() {
        let escrow = chart.escrow(task: "t_7", mode: .live, asset: .usd)
        #expect(escrow == NewAccount(code: "escrow:task:t_7", type: .liability, asset: .usd,
                                     flags: .debitsMustNotExceedCredits, ownerKind: "task", ownerID: "t_7"))
        #expect(chart.escrow(task: "t_7", mode: .test, asset: .usd).code == "escrow:task:test:t_7")
        #expect(chart.escrowTemplate.assets == [.usd, .usdc])
    }

    /// Test-mode money has accounts of its own: every platform account has a twin with `test`
    /// before its asset, and the code says the mode.
    @Test func testModeAccountsAreTheirOwn() {
        #expect(chart.clearing(connector: "stripe", mode: .test, asset: .usd)?.code == "clearing:stripe:test:USD")
        #expect(chart.clearing(connector: "base", mode: .test, asset: .eth)?.code == "clearing:base:test:ETH")
        #expect(chart.clearing(connector: "test", mode: .test, asset: .usd)?.code == "clearing:test:USD")
        #expect(chart.payoutsInFlight(connector: "base", mode: .test, asset: .usdc)?.code == "in-flight:payouts:base:test:USDC")
        #expect(chart.processorFeeExpense(connector: "stripe", mode: .test, asset: .usd)?.code == "expense:processor-fees:test:USD")
        #expect(chart.gasExpense(mode: .test).code == "expense:gas:test:ETH")
        #expect(chart.gasExpense(mode: .live).code == "expense:gas:ETH")
        #expect(chart.feeRevenue(mode: .test, asset: .usdc)?.code == "revenue:fees:test:USDC")
        #expect(chart.opening(mode: .test, asset: .eth)?.code == "equity:opening:test:ETH")
        for account in chart.platformAccounts where !account.code.contains(":test:") {
            #expect(LedgerMode(code: account.code) == .live, "\(account.code)")
            #expect(LedgerMode(code: LedgerMode.test.platform(account).code) == .test, "\(account.code)")
        }
        #expect(LedgerMode(code: chart.escrow(task: "t_7", mode: .live, asset: .usd).code) == .live)
        #expect(LedgerMode(code: chart.wallet(user: "u_1", mode: .test, asset: .usd).code) == .test)
    }

    @Test func ownerIDIsNeverTakenForAPlaceholder() {
        #expect(chart.wallet(user: "{asset}", mode: .live, asset: .usd).code == "wallet:user:live:{asset}:USD")
    }

    @Test func descriptionsUseTheProjectVocabulary() {
        let texts = chart.accounts.map(\.description) + [chart.walletTemplate.description, chart.escrowTemplate.description]
        for text in texts {
            for banned in ["locked", "reserved", "blocked", "held balance"] {
                #expect(!text.lowercased().contains(banned), "\(text)")
            }
        }
    }

    @Test func installCreatesThePlatformAccountsAndIsIdempotent() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".sqlite").path
        let ledger = try Ledger(path: path)
        defer { ledger.close() }
        let first = try await chart.install(in: ledger)
        let second = try await chart.install(in: ledger)
        #expect(first.count == chart.accounts.count)
        #expect(first.map(\.id) == second.map(\.id))
        let clearing = try #require(try ledger.account(code: "clearing:stripe:USD"))
        #expect(clearing.type == .asset)
        #expect(clearing.asset == .usd)
        #expect(try ledger.account(code: "in-flight:payouts:base:USDC")?.flags == .debitsMustNotExceedCredits)
    }

    // MARK: - Refused charts

    static let wallet = #"{"code":"wallet:user:{user}:{asset}","role":"wallet","owner_kind":"user","type":"liability","assets":["USD"],"flags":["debits_must_not_exceed_credits"],"description":"w"}"#
    static let escrow = #"{"code":"escrow:task:{task}","role":"escrow","owner_kind":"task","type":"liability","assets":["USD"],"flags":[],"description":"e"}"#
    static let gas = #"{"code":"expense:gas:ETH","role":"gas_expense","type":"expense","asset":"ETH","flags":[],"description":"g"}"#
    static let processorFee = #"{"code":"expense:processor-fees:USD","role":"processor_fee_expense","type":"expense","asset":"USD","flags":[],"description":"p"}"#

    static func json(version: Int = 1, accounts: [String] = [gas, processorFee], templates: [String] = [wallet, escrow]) -> [UInt8] {
        Array(#"{"version":\#(version),"accounts":[\#(accounts.joined(separator: ","))],"templates":[\#(templates.joined(separator: ","))]}"#.utf8)
    }

    static func account(_ code: String, role: String = "clearing", connector: String? = "stripe", type: String = "asset",
                        asset: String = "USD", flags: String = "") -> String {
        let connectorField = connector.map { #""connector":"\#($0)","# } ?? ""
        return #"{"code":"\#(code)","role":"\#(role)",\#(connectorField)"type":"\#(type)","asset":"\#(asset)","flags":[\#(flags)],"description":"d"}"#
    }

    @Test func minimalChartLoads() throws {
        let chart = try ChartOfAccounts(json: Self.json())
        #expect(chart.accounts.map(\.code) == ["expense:gas:ETH", "expense:processor-fees:USD"])
        #expect(chart.wallet(user: "a", mode: .live, asset: .usd).flags == .debitsMustNotExceedCredits)
    }

    static let refused: [(String, [UInt8], ChartError)] = [
        ("not json", Array("{".utf8), .malformed("")),
        ("version", json(version: 2), .unsupportedVersion(2)),
        ("asset", json(accounts: [gas, processorFee, account("clearing:x:XYZ", asset: "XYZ")]), .unknownAsset(code: "clearing:x:XYZ", asset: "XYZ")),
        ("role", json(accounts: [gas, processorFee, account("x", role: "float")]), .unknownRole(code: "x", role: "float")),
        ("type", json(accounts: [gas, processorFee, account("x", type: "income")]), .unknownType(code: "x", type: "income")),
        ("type for role", json(accounts: [gas, processorFee, account("x", type: "liability")]), .typeMismatch(code: "x", role: .clearing, type: .liability)),
        ("flag", json(accounts: [gas, processorFee, account("x", flags: #""never_negative""#)]), .unknownFlag(code: "x", flag: "never_negative")),
        ("both flags", json(accounts: [gas, processorFee, account("x", flags: #""debits_must_not_exceed_credits","credits_must_not_exceed_debits""#)]), .flagsConflict(code: "x")),
        ("duplicate code", json(accounts: [gas, processorFee, account("x"), account("x", connector: "test")]), .duplicateCode(code: "x")),
        ("duplicate role", json(accounts: [gas, processorFee, account("x"), account("y")]), .duplicateRole(code: "y")),
        ("connector", json(accounts: [gas, processorFee, account("x", connector: nil)]), .connectorMissing(code: "x")),
        ("under a template", json(accounts: [gas, processorFee, account("wallet:user:platform:USD")]), .codeInvalid(code: "wallet:user:platform:USD")),
        ("template as account", json(accounts: [gas, processorFee, account("x", role: "wallet", type: "liability")]), .codeInvalid(code: "x")),
        ("gas missing", json(accounts: [processorFee]), .roleMissing(.gasExpense)),
        ("processor fee missing", json(accounts: [gas]), .roleMissing(.processorFeeExpense)),
        ("escrow missing", json(templates: [wallet]), .roleMissing(.escrow)),
        ("placeholder", json(templates: [wallet.replacingOccurrences(of: "{user}", with: "me"), escrow]),
         .placeholderMissing(code: "wallet:user:me:{asset}", placeholder: "{user}")),
    ]

    @Test(arguments: refused.indices)
    func badChartIsRefusedNamingTheFault(index: Int) {
        let (name, json, expected) = Self.refused[index]
        do {
            _ = try ChartOfAccounts(json: json)
            Issue.record("\(name): the chart was accepted")
        } catch {
            if case .malformed = expected, case .malformed = error { return }
            #expect(error == expected, "\(name)")
        }
    }
}
