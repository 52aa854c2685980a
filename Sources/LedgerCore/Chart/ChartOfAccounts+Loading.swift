extension ChartOfAccounts {
    /// Reads and validates a chart: known assets, roles, types and flags; each type fitting
    /// its role; unique codes; one account per role, connector and asset; templates with
    /// their placeholders; and the wallet, escrow, processor-fee and gas entries present.
    public init(json: [UInt8]) throws(ChartError) {
        let file = try ChartFile.decode(json)
        guard file.version == ChartFile.versionSupported else { throw .unsupportedVersion(file.version) }
        var templates: [AccountRole: ChartTemplate] = [:]
        for raw in file.templates {
            let template = try Self.template(raw)
            guard templates[template.role] == nil else { throw .duplicateRole(code: template.code) }
            templates[template.role] = template
        }
        guard let wallet = templates[.wallet] else { throw .roleMissing(.wallet) }
        guard let escrow = templates[.escrow] else { throw .roleMissing(.escrow) }
        let accounts = try Self.entries(file.accounts, templates: Array(templates.values))
        guard let processorFee = accounts.first(where: { $0.role == .processorFeeExpense }) else { throw .roleMissing(.processorFeeExpense) }
        guard let gas = accounts.first(where: { $0.role == .gasExpense }) else { throw .roleMissing(.gasExpense) }
        self.init(accounts: accounts, walletTemplate: wallet, escrowTemplate: escrow,
                  processorFeeExpense: processorFee.newAccount, gasExpense: gas.newAccount)
    }

    private static func entries(_ raws: [ChartFile.Entry], templates: [ChartTemplate]) throws(ChartError) -> [ChartEntry] {
        var codes: Set<String> = []
        var keys: Set<String> = []
        var entries: [ChartEntry] = []
        for raw in raws {
            let entry = try Self.entry(raw)
            let prefixes = templates.map { $0.code.prefix { $0 != "{" } }
            guard !prefixes.contains(where: { entry.code.hasPrefix($0) }) else { throw .codeInvalid(code: entry.code) }
            guard codes.insert(entry.code).inserted else { throw .duplicateCode(code: entry.code) }
            let key = "\(entry.role.rawValue)|\(entry.connector ?? "")|\(entry.asset.code)"
            guard keys.insert(key).inserted else { throw .duplicateRole(code: entry.code) }
            entries.append(entry)
        }
        return entries
    }

    private static func entry(_ raw: ChartFile.Entry) throws(ChartError) -> ChartEntry {
        let code = raw.code
        guard !code.isEmpty, code.utf8.count <= NewAccount.codeLengthMax, !code.contains("{") else { throw .codeInvalid(code: code) }
        let role = try ChartFile.role(raw.role, code: code)
        guard !role.isTemplate else { throw .codeInvalid(code: code) }
        guard !role.needsConnector || !(raw.connector ?? "").isEmpty else { throw .connectorMissing(code: code) }
        return ChartEntry(code: code, role: role, connector: raw.connector, type: try ChartFile.type(raw.type, role: role, code: code),
                          asset: try ChartFile.asset(raw.asset, code: code), flags: try ChartFile.flags(raw.flags, code: code),
                          description: raw.description)
    }

    private static func template(_ raw: ChartFile.Template) throws(ChartError) -> ChartTemplate {
        let code = raw.code
        let role = try ChartFile.role(raw.role, code: code)
        guard role.isTemplate, !raw.ownerKind.isEmpty, !raw.assets.isEmpty else { throw .codeInvalid(code: code) }
        let placeholder = "{\(raw.ownerKind)}"
        guard code.ranges(of: placeholder).count == 1 else { throw .placeholderMissing(code: code, placeholder: placeholder) }
        var assets: [Asset] = []
        for name in raw.assets { assets.append(try ChartFile.asset(name, code: code)) }
        return ChartTemplate(code: code, role: role, ownerKind: raw.ownerKind, type: try ChartFile.type(raw.type, role: role, code: code),
                             assets: assets, flags: try ChartFile.flags(raw.flags, code: code), description: raw.description)
    }
}
