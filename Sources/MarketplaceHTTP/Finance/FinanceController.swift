import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceViews

/// /v1/finance: the finance team's reports (JSON, or CSV with ?format=csv), the journal for
/// hledger, the HTML report, reconciliation runs, and period close. finance:read only (admins).
struct FinanceController: Sendable {
    let finance: FinanceService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("reports/:report", use: report)
        group.get("journal", use: journal)
        group.get("report.html", use: html)
        group.post("reconciliations", use: reconcile)
        group.get("reconciliations/latest", use: latestReconciliation)
        group.get("periods", use: periods)
        group.post("periods", use: closePeriod)
        group.post("corrections", use: correct)
    }

    @Sendable func report(_ request: Request, context: APIContext) async throws -> Response {
        let name = try context.parameters.require("report")
        guard let reportName = ReportName(rawValue: name) else { throw APIError.notFound("no report '\(name)'; reports: \(ReportName.list)") }
        let query = request.uri.queryParameters
        func time(_ field: String) throws -> Int64? {
            guard let text = query[Substring(field)] else { return nil }
            do { return try Timestamps.parse(String(text)) } catch { throw APIError.validation(error.description, field: field) }
        }
        let now = Int64(Date().timeIntervalSince1970 * 1_000) * 1_000
        let asOf = try time("as_of") ?? now
        func period() throws -> ReportPeriod {
            try {
                if let named = query["period"] { return try ReportPeriod(named: String(named)) }
                return try ReportPeriod(from: try time("from") ?? 0, to: try time("to") ?? asOf + 1)
            }()
        }
        let byText = query["by"].map(String.init) ?? "day"
        guard let by = ReportGranularity(rawValue: byText) else { throw APIError.validation("by must be day, week or month", field: "by") }
        let format = query["format"].map(String.init) ?? "json"
        guard format == "json" || format == "csv" else { throw APIError.validation("format must be json or csv", field: "format") }
        let report: FinanceReport = try {
            switch reportName {
            case .trialBalance: return try finance.trialBalance(asOf: asOf)
            case .balanceSheet: return try finance.balanceSheet(asOf: asOf)
            case .feeRevenue: return try finance.feeRevenue(try period(), by: by)
            case .frozen: return try finance.frozenFunds(asOf: asOf)
            case .payoutsRefunds: return try finance.payoutsAndRefunds(try period(), by: by)
            case .statement:
                guard let user = query["user"], !user.isEmpty else { throw APIError.validation("name the user: ?user=…", field: "user") }
                return try finance.statement(user: String(user), try period())
            case .rollForward: return try finance.rollForward(try period())
            }
        }()
        guard format == "csv" else { return Self.enveloped(report.json()) }
        guard let csv = report.csv(table: query["table"].map(String.init)) else {
            throw APIError.validation("table must be one of: \(report.tables.map(\.name).joined(separator: ", "))", field: "table")
        }
        return Self.text(csv, type: "text/csv; charset=utf-8")
    }

    @Sendable func journal(_ request: Request, context: APIContext) async throws -> Response {
        var text = ""
        try finance.exportJournal { text += $0 }
        return Self.text(text, type: "text/plain; charset=utf-8")
    }

    /// The month-end page over `period` (2026-11), or `from`/`to`, or the month to date of
    /// `as_of` (default now); balances are as of the period's end.
    @Sendable func html(_ request: Request, context: APIContext) async throws -> Response {
        let query = request.uri.queryParameters
        func time(_ name: String) throws -> Int64? {
            guard let text = query[name[...]] else { return nil }
            do { return try Timestamps.parse(String(text)) } catch { throw APIError.validation(error.description, field: name) }
        }
        let now = Int64(Date().timeIntervalSince1970 * 1_000) * 1_000
        let asOf = try time("as_of")
        let from = try time("from"), to = try time("to")
        let html = try {
            let period: ReportPeriod
            if let named = query["period"] {
                period = try ReportPeriod(named: String(named))
            } else if from != nil || to != nil {
                period = try ReportPeriod(from: from ?? 0, to: to ?? (asOf ?? now) + 1)
            } else {
                period = try ReportPeriod.monthToDate(asOf ?? now)
            }
            return try FinancePage(finance.monthEnd(period)).render()
        }()
        return Self.text(html, type: "text/html; charset=utf-8")
    }

    @Sendable func reconcile(_ request: Request, context: APIContext) async throws -> Response {
        try await RequestBody.refuseFields(request, context: context)
        let run = try await finance.reconcile()
        return Self.enveloped(run.report().json())
    }

    @Sendable func latestReconciliation(_ request: Request, context: APIContext) async throws -> Response {
        guard let last = try finance.lastReconciliation() else { throw APIError.notFound("no reconciliation has run yet; POST /v1/finance/reconciliations") }
        var table = ReportTable(name: "breaks", columns: ["kind", "connector", "reference", "asset", "ledger_minor", "processor_minor", "detail"])
        for item in last.breaks {
            table.rows.append([.text(item.kind.rawValue), .text(item.connector), .text(item.reference), .text(item.asset),
                               item.ledgerMinor.map { .count($0) } ?? .empty, item.processorMinor.map { .count($0) } ?? .empty, .text(item.detail)])
        }
        let report = FinanceReport(kind: "reconciliation", parameters: [("run", String(last.id)), ("started_at", Timestamps.format(last.startedAt)),
                                                                        ("summary", last.summary)], tables: [table])
        return Self.enveloped(report.json())
    }

    @Sendable func periods(_ request: Request, context: APIContext) async throws -> Response {
        var table = ReportTable(name: "periods", columns: ["name", "starts_at", "ends_at", "last_seq", "closed_at", "closed_by"])
        for period in try finance.closedPeriods() {
            table.rows.append([.text(period.name), .text(Timestamps.format(period.startsAt)), .text(Timestamps.format(period.endsAt)),
                               .count(period.lastSeq), .text(Timestamps.format(period.closedAt)), .text(period.closedBy)])
        }
        return Self.enveloped(FinanceReport(kind: "periods", parameters: [], tables: [table]).json())
    }

    struct CloseRequest: Decodable { let period: String }

    @Sendable func closePeriod(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(CloseRequest.self, from: request, context: context)
        let (_, rollForward) = try await finance.closePeriod(named: body.period, by: caller.userID)
        return Self.enveloped(rollForward.json())
    }

    struct CorrectionRequest: Decodable {
        let transferId: Int64
        let amountMinor: Int64?
        let reason: String
    }

    @Sendable func correct(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
        guard !key.isEmpty, key.count <= 255 else { throw APIError.validation("send an Idempotency-Key header of 1 to 255 characters", field: "idempotency_key") }
        let body = try await RequestBody.decode(CorrectionRequest.self, from: request, context: context)
        let row = try await finance.correct(transfer: TransferID(body.transferId), amountMinor: body.amountMinor, reason: body.reason, key: "\(caller.userID):\(key)", by: caller.userID)
        var table = ReportTable(name: "transfer", columns: ["id", "reverses", "amount_minor", "timestamp", "metadata"])
        table.rows.append([.count(row.id.rawValue), .count(row.reversesID?.rawValue ?? 0), .count(row.amountMinor), .text(Timestamps.format(row.timestamp)),
                           .text(row.metadata ?? "")])
        return Self.enveloped(FinanceReport(kind: "correction", parameters: [], tables: [table]).json())
    }

    static func enveloped(_ json: String) -> Response {
        text("{\"success\":true,\"data\":" + json + "}", type: "application/json; charset=utf-8")
    }

    static func text(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentLength] = String(text.utf8.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
