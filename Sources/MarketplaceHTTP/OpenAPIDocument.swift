import Foundation
import Hummingbird
import LedgerCore
import Marketplace

/// The OpenAPI 3.1 description of every route, served at /openapi.json. A test checks it
/// against the router's own route list: every route documented, nothing documented that is not served.
public enum OpenAPIDocument {
    /// The document as a JSON object: the API's own paths and those of `mounts`.
    public static func json(mounts: [any RouteMount] = []) -> [String: Any] {
        var paths = Self.paths
        for mount in mounts { paths.merge(mount.openAPIPaths) { $1 } }
        paths = completed(paths)
        return [
            "openapi": "3.1.0",
            "info": ["title": "Task marketplace API", "version": ReleaseVersion.current,
                     "description": "Read-only ledger endpoints. Amounts are exact decimal strings with their minor-unit integers. "
                         + "Request bodies are strict JSON: an unknown field, a repeated key or a control character in text is 400 naming the field."],
            "paths": paths,
            "components": ["schemas": requiringProperties(closingRequestBodies(schemas.merging(authSchemas) { $1 }.merging(taskSchemas) { $1 }
                .merging(serviceSchemas) { $1 }.merging(contractSchemas) { $1 }, paths: paths), paths: paths),
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer",
                                                          "description": "An access token from /v1/auth/login, or an API key sk_test_… / sk_live_…"],
                                               "apiKey": apiKeyScheme]],
        ]
    }

    static func response(mounts: [any RouteMount]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: json(mounts: mounts), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static var paths: [String: Any] {
        let account: [String: Any] = ["name": "account", "in": "path", "required": true,
                                      "description": "Account id or chart-of-accounts code", "schema": ["type": "string"]]
        let limit: [String: Any] = ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1]]
        return [
            "/healthz": ["get": operation("health", "Liveness and mode", "Health")],
            "/readyz": ["get": operation("ready", "Readiness: 200 when the database answers and the ledger's writer runs; 503 with Retry-After otherwise and once a shutdown begins", "Readiness")],
            "/openapi.json": ["get": ["operationId": "openapi", "summary": "This document",
                                      "responses": ["200": ["description": "OpenAPI 3.1 document"]]]],
            "/v1/ledger/accounts": ["get": operation("listAccounts", "Accounts with balances, in id order", "AccountList", parameters: [
                ["name": "asset", "in": "query", "schema": ["type": "string", "enum": Asset.allCodes]],
                ["name": "after", "in": "query", "schema": ["type": "integer"]], limit,
            ], secured: true)],
            "/v1/ledger/accounts/{account}": ["get": operation("getAccount", "One account, now or as of a time", "Account", parameters: [
                account, ["name": "as_of", "in": "query", "schema": ["type": "string", "format": "date-time"]],
            ], secured: true)],
            "/v1/ledger/accounts/{account}/statement": ["get": operation("getStatement", "An account's journal rows, oldest first", "Statement", parameters: [
                account, ["name": "cursor", "in": "query", "schema": ["type": "string"]], limit,
            ], secured: true)],
            "/v1/ledger/verify": ["get": operation("verifyLedger", "Recompute balances and check the hash chain", "Verify", secured: true)],
            "/v1/finance/reports/{report}": ["get": operation("financeReport", "A finance report from the ledger (\(ReportName.list)); ?format=csv for CSV", "FinanceReport", parameters: [
                ["name": "report", "in": "path", "required": true, "schema": ["type": "string", "enum": ReportName.allCases.map(\.rawValue)]],
                ["name": "as_of", "in": "query", "schema": ["type": "string", "format": "date-time"]],
                ["name": "from", "in": "query", "schema": ["type": "string", "format": "date-time"]],
                ["name": "to", "in": "query", "schema": ["type": "string", "format": "date-time"]],
                ["name": "period", "in": "query", "schema": ["type": "string", "examples": ["2026-11", "2026-11-22"]]],
                ["name": "by", "in": "query", "schema": ["type": "string", "enum": ["day", "week", "month"]]],
                ["name": "user", "in": "query", "schema": ["type": "string"]],
                ["name": "format", "in": "query", "schema": ["type": "string", "enum": ["json", "csv"]]],
                ["name": "table", "in": "query", "description": "With format=csv: which of the report's tables (default its lines)", "schema": ["type": "string"]],
            ], secured: true)],
            "/v1/finance/journal": ["get": operation("financeJournal", "The posted journal as hledger / ledger-cli text (text/plain)", "FinanceReport", secured: true)],
            "/v1/finance/report.html": ["get": operation("financeHTML", "The finance report as one HTML page (text/html)", "FinanceReport", secured: true)],
            "/v1/finance/reconciliations": ["post": operation("reconcile", "Reconcile the ledger against every configured connector; the run is stored", "FinanceReport", secured: true)],
            "/v1/finance/reconciliations/latest": ["get": operation("latestReconciliation", "The last stored reconciliation run and its breaks", "FinanceReport", secured: true)],
            "/v1/finance/periods": [
                "get": operation("listPeriods", "Closed accounting periods", "FinanceReport", secured: true),
                "post": operation("closePeriod", "Close (freeze) a day or month; answers its roll-forward", "FinanceReport", body: "ClosePeriodRequest", secured: true),
            ],
            "/v1/finance/corrections": ["post": operation("correctTransfer", "Reverse all or part of a posted transfer in the open period (Idempotency-Key required)", "FinanceReport", body: "CorrectionRequest", secured: true)],
            "/v1/auth/register": ["post": operation("register", "Create a user", "User", body: "RegisterRequest", created: true)],
            "/v1/agents/register": ["post": operation("registerAgent", "Register an AI agent and get a test-mode API key in one call; api_key.secret is shown in this answer only. Limited like the other sign-ups (429 RATE_LIMITED); 409 CONFLICT naming email when taken",
                                                      "RegisteredAgent", body: "AgentRegisterRequest", created: true)],
            "/v1/auth/login": ["post": operation("login", "Open a session: access token (15 min) and refresh token", "Session", body: "LoginRequest")],
            "/v1/auth/refresh": ["post": operation("refresh", "Trade a refresh token (single use) for a new session", "Session", body: "RefreshRequest")],
            "/v1/auth/me": ["get": operation("me", "The caller: user (with its referral_code), mode, scopes, credential", "Me", secured: true)],
            "/v1/referrals": ["get": operation("listReferrals", "The caller's referral code, the users who registered with it (newest first, at most \(ReferralSummary.listedMax)) and the stats: count, and rewards earned (rewards are not paid: rewards_enabled false, 0 in each wallet asset)",
                                               "Referrals", secured: true)],
            "/v1/auth/check-email": ["get": operation("checkEmail", "Is this email free?", "EmailAvailability", parameters: [
                ["name": "email", "in": "query", "required": true, "schema": ["type": "string", "format": "email"]],
            ])],
            "/v1/keys": [
                "post": operation("createKey", "Create an API key; its secret is shown only here", "CreatedKey", body: "CreateKeyRequest", created: true, secured: true),
                "get": operation("listKeys", "The caller's keys, redacted", "KeyList", secured: true),
            ],
            "/v1/keys/{key}": ["delete": operation("revokeKey", "Revoke a key", "APIKey", parameters: [
                ["name": "key", "in": "path", "required": true, "schema": ["type": "string"]],
            ], secured: true)],
        ].merging(taskPaths) { $1 }.merging(servicePaths) { $1 }
    }

    /// `beside`: properties the answer carries next to `data` (all required). `anonymous`: a
    /// secured operation that also answers without credentials (OpenAPI's empty requirement).
    static func operation(_ id: String, _ summary: String, _ schema: String, parameters: [[String: Any]] = [],
                                  body: String? = nil, created: Bool = false, secured: Bool = false, anonymous: Bool = false,
                                  beside: [String: [String: Any]] = [:]) -> [String: Any] {
        let error: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        var responses: [String: Any] = [created ? "201" : "200": ["description": "OK", "content": ["application/json": ["schema": envelope(schema, beside: beside)]]],
                                        "400": error, "404": error, "503": error]
        if secured { responses["401"] = error; responses["403"] = error }
        var operation: [String: Any] = ["operationId": id, "summary": summary, "parameters": parameters, "responses": responses]
        if let body {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
        }
        if secured { operation["security"] = (anonymous ? [[String: [String]]()] : []) + [["bearer": [String]()], ["apiKey": [String]()]] }
        return operation
    }

    private static func envelope(_ schema: String, beside: [String: [String: Any]] = [:]) -> [String: Any] {
        var properties: [String: Any] = ["success": ["const": true], "data": ["$ref": "#/components/schemas/\(schema)"]]
        for (name, property) in beside { properties[name] = property }
        return ["type": "object", "required": ["success", "data"] + beside.keys.sorted(), "properties": properties]
    }

    private static var schemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let integer: [String: Any] = ["type": "integer"]
        let money: [String: Any] = ["type": "object", "required": ["amount", "amount_minor", "asset"],
                                    "properties": ["amount": ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"], "amount_minor": integer, "asset": string]]
        let moneyRef: [String: Any] = ["$ref": "#/components/schemas/Money"]
        return [
            "Money": money,
            "Health": ["type": "object", "properties": ["status": string, "mode": string]],
            "Readiness": ["type": "object", "required": ["status", "database", "writer"], "properties": ["status": ["type": "string", "enum": ["ready", "unavailable", "shutting_down"]], "database": ["type": "boolean"], "writer": ["type": "boolean"]]],
            "Balance": ["type": "object", "properties": Dictionary(uniqueKeysWithValues: [
                "posted", "available", "pending_outflows", "debits_posted", "credits_posted", "debits_pending", "credits_pending",
            ].map { ($0, moneyRef) })],
            "Account": ["type": "object", "properties": [
                "id": integer, "code": string, "type": ["type": "string", "enum": ["asset", "liability", "equity", "revenue", "expense"]],
                "asset": string, "constraints": ["type": "array", "items": string], "owner_kind": ["type": ["string", "null"]],
                "owner_id": ["type": ["string", "null"]], "created_at": ["type": "string", "format": "date-time"],
                "balance": ["$ref": "#/components/schemas/Balance"],
            ]],
            "AccountList": ["type": "array", "items": ["$ref": "#/components/schemas/Account"]],
            "Transfer": ["type": "object", "properties": [
                "seq": integer, "id": integer, "kind": ["type": "string", "enum": ["posted", "pending", "post_pending", "void_pending", "expired", "reversal"]],
                "debit_account_id": integer, "credit_account_id": integer, "money": moneyRef,
                "pending_id": ["type": ["integer", "null"]], "reverses_id": ["type": ["integer", "null"]], "timeout_seconds": integer,
                "code": integer, "timestamp": ["type": "string", "format": "date-time"], "metadata": ["type": ["string", "null"]], "hash": string,
            ]],
            "Statement": ["type": "object", "properties": [
                "account": ["$ref": "#/components/schemas/Account"], "has_more": ["type": "boolean"], "next_cursor": ["type": ["string", "null"]],
                "entries": ["type": "array", "items": ["type": "object", "properties": [
                    "side": ["type": "string", "enum": ["debit", "credit"]], "transfer": ["$ref": "#/components/schemas/Transfer"],
                ]]],
            ]],
            "FinanceReport": ["type": "object", "required": ["report"], "description": "The report's name, its parameters (as_of, from, to, by, …) as strings, and one array of row objects per table; money is a decimal string.",
                              "properties": ["report": string], "additionalProperties": true],
            "ClosePeriodRequest": ["type": "object", "required": ["period"], "properties": ["period": ["type": "string", "examples": ["2026-11", "2026-11-22"]]]],
            "CorrectionRequest": ["type": "object", "required": ["transfer_id", "reason"],
                                  "properties": ["transfer_id": integer, "amount_minor": integer, "reason": string]],
            "Verify": ["type": "object", "properties": [
                "consistent": ["type": "boolean"], "transfers_checked": integer, "accounts_checked": integer,
                "commits_checked": integer, "holds_open": integer, "head": string, "fault": ["type": ["string", "null"]],
            ]],
            "Error": ["type": "object", "required": ["success", "error"], "properties": [
                "success": ["const": false],
                "error": ["type": "object", "required": ["code", "message"], "properties": [
                    "code": string, "message": string, "field": ["type": ["string", "null"]],
                ]],
            ]],
        ]
    }
}

extension OpenAPIDocument {
    static var taskPaths: [String: Any] {
        let task: [String: Any] = ["name": "task", "in": "path", "required": true, "schema": ["type": "string"]]
        let approval: [String: Any] = ["name": "approval", "in": "path", "required": true, "schema": ["type": "string"]]
        let milestone: [String: Any] = ["name": "milestone", "in": "path", "required": true, "schema": ["type": "string", "examples": ["m1"]]]
        let webhook: [String: Any] = ["name": "webhook", "in": "path", "required": true, "schema": ["type": "string"]]
        let query = { (name: String, values: [String]) -> [String: Any] in ["name": name, "in": "query", "schema": ["type": "string", "enum": values]] }
        return [
            "/v1/categories": ["get": operation("listCategories", "The taxonomy of tasks and services: groups, each with its categories (stable slugs)", "CategoryList")],
            "/v1/tasks": [
                "post": operation("createTask", "Post a task (scope tasks:write). Without credentials: an anonymous post answered with AnonymousTask (a task token that manages only this task); 429 LIMIT_EXCEEDED past 3 unfunded anonymous tasks per address",
                                  "Task", body: "TaskCreate", created: true, secured: true, anonymous: true),
                "get": operation("listTasks", "Published tasks, or the caller's own with mine=true (scope tasks:read). Without credentials: the published listing of the server's mode, without anyone's callback_url", "TaskPage", parameters: [
                    query("status", TaskStatus.allCases.map(\.rawValue)), ["name": "category", "in": "query", "schema": ["type": "string"]],
                    query("location_type", LocationType.allCases.map(\.rawValue)), query("urgency", Urgency.allCases.map(\.rawValue)),
                    ["name": "mine", "in": "query", "schema": ["type": "boolean"]],
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": TaskFilter.limitMax]],
                    ["name": "cursor", "in": "query", "schema": ["type": "string"]],
                    ["name": "offset", "in": "query", "description": "Offset pagination instead of cursor (not both): the answer then carries count, the total",
                     "schema": ["type": "integer", "minimum": 0, "maximum": TaskFilter.offsetMax]],
                ], secured: true, anonymous: true),
            ],
            "/v1/tasks/{task}": [
                "get": operation("getTask", "One task; callback_url only to its owner. Without credentials: a published task that is not hidden", "Task", parameters: [task], secured: true, anonymous: true),
                "patch": operation("updateTask", "Change a published task (owner)", "Task", parameters: [task], body: "TaskUpdate", secured: true),
            ],
            "/v1/tasks/{task}/cancel": ["post": operation("cancelTask", "Cancel a published or assigned task (owner); a funded task is refunded in full, fee included: the answer says refunded, and the refund's amount, destination (wallet or card) and ledger transfer",
                                                          "CanceledTask", parameters: [task], secured: true)],
            "/v1/tasks/{task}/hide": ["post": operation("hideTask", "Hide the caller's task from listings (any status); it is still read, worked and paid by id, and listed to its owner",
                                                        "Task", parameters: [task], secured: true)],
            "/v1/tasks/{task}/unhide": ["post": operation("unhideTask", "Show a hidden task in listings again", "Task", parameters: [task], secured: true)],
            "/v1/tasks/{task}/fund": ["post": operation("fundTask", "Fund: budget + fee into escrow, from the wallet (402 INSUFFICIENT_BALANCE when short), through the test connector, by card, or (source usdc) by a USDC authorization: 402 with x402 payment requirements, then 202 settling with X-PAYMENT-RESPONSE / PAYMENT-RESPONSE. Above an API key's spend policy: 202 with a FundingApproval for the account owner",
                                                        "Funding", parameters: [task] + x402PaymentHeaders, body: "FundRequest", secured: true),
                                      "get": operation("openCheckout", "The browser flow: 303 to the task's card checkout page (opened if none is open)",
                                                       "Checkout", parameters: [task], secured: true)],
            "/v1/tasks/{task}/milestones": ["get": operation("listMilestones", "The task's milestones in order, each with its status (pending, funded, released, refunded) and, once funded, its part of the fee split (escrow = payout + fee)",
                                                             "MilestoneList", parameters: [task], secured: true)],
            "/v1/tasks/{task}/milestones/{milestone}/fund": ["post": operation("fundMilestone", "Fund one milestone from the wallet (or the test connector in test mode): its amount, plus its fee share when the agent pays on top, into the task's escrow (402 INSUFFICIENT_BALANCE when short; funded already: answered as it is). Funding the task whole (POST /v1/tasks/{task}/fund) funds every milestone not yet funded",
                                                                               "MilestoneAnswer", parameters: [task, milestone], body: "MilestoneFundRequest", secured: true)],
            "/v1/tasks/{task}/milestones/{milestone}/approve": ["post": operation("approveMilestone", "Approve one funded milestone (owner, worker assigned): its payout to the worker's wallet and its fee share to the platform, posted from escrow; the last one moves the task to paid. An unfunded milestone is 402 PAYMENT_REQUIRED; a released one is answered as it is, nothing moves again",
                                                                                  "MilestoneAnswer", parameters: [task, milestone], secured: true)],
            "/v1/payments": ["get": operation("listPayments", "The caller's card checkouts, refunds and payouts across their tasks (every one for an admin), newest first, each with its last error and attempts; state=failing keeps the calls being retried",
                                              "TaskPaymentList", parameters: [["name": "state", "in": "query", "schema": ["type": "string", "enum": ["pending", "sent", "settled", "failed", "failing"]]],
                                                           ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 200]]],
                                              secured: true)],
            "/v1/tasks/{task}/payments": ["get": operation("listTaskPayments", "The task's card checkouts, refunds and payouts and where each stands (owner); a failed refund flags the task",
                                                           "TaskPaymentList", parameters: [task], secured: true)],
            "/v1/payout-account": [
                "get": operation("getPayoutAccount", "The caller's Stripe Connect account for payouts of card-funded work", "PayoutAccount", secured: true),
                "put": operation("linkPayoutAccount", "Link (or replace) the caller's Stripe Connect account (acct_…)", "PayoutAccount",
                                 body: "PayoutAccountRequest", secured: true),
                "delete": operation("unlinkPayoutAccount", "Unlink it; later payouts stay in the wallet", "PayoutAccount", secured: true),
            ],
            "/v1/webhooks": [
                "post": operation("createWebhook", "Create an endpoint for events (url, events or [\"*\"], description); the signing secret is in this answer only. Deliveries carry Marketplace-Event-Id, Marketplace-Event and Marketplace-Signature t=…,v1=HMAC-SHA256(secret, \"t.body\")",
                                  "WebhookEndpoint", body: "WebhookRequest", created: true, secured: true),
                "get": operation("listWebhooks", "The caller's endpoints (no secrets)", "WebhookEndpointList", secured: true),
            ],
            "/v1/webhooks/callback-secret": ["post": operation("rotateCallbackSecret", "Make (or replace) the secret that signs the caller's task callback_url deliveries; shown once",
                                                               "WebhookSecret", created: true, secured: true)],
            "/v1/webhooks/{webhook}": [
                "patch": operation("updateWebhook", "Change url, events, description, or enabled (true turns a disabled endpoint back on)", "WebhookEndpoint",
                                   parameters: [webhook], body: "WebhookUpdate", secured: true),
                "delete": operation("deleteWebhook", "Delete an endpoint; its pending deliveries are never sent", "WebhookEndpoint", parameters: [webhook], secured: true),
            ],
            "/v1/webhooks/{webhook}/deliveries": ["get": operation("listWebhookDeliveries", "The endpoint's latest deliveries with their attempts and state",
                                                                   "WebhookDeliveryList", parameters: [webhook], secured: true)],
            "/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver": ["post": operation(
                "redeliverWebhook", "Send a delivery again as soon as the dispatcher runs", "WebhookDelivery",
                parameters: [webhook, ["name": "delivery", "in": "path", "required": true, "schema": ["type": "integer"]]], secured: true)],
            "/v1/deposit-addresses": [
                "get": operation("listDepositAddresses", "The addresses the caller pays USDC deposits from, and where to send them", "DepositAddressList", secured: true),
                "post": operation("registerDepositAddress", "Register an address the caller pays USDC from; its transfers to pay_to are credited once the block is safe",
                                  "DepositAddress", body: "DepositAddressRequest", created: true, secured: true),
            ],
            "/v1/admin/payouts/{task}/reverse": ["post": operation("reversePayout", "Take back all or part of a task's Connect transfer (admin); the worker's wallet gets it back",
                                                                   "PayoutReversal", parameters: [task], body: "PayoutReversalRequest", secured: true)],
            "/v1/admin/connectors/stripe/statement": ["post": operation("stripeStatement", "Stripe's balance transactions in [from, to) (Unix seconds, default the last 7 days) as statement lines; each fee booked once as a processor-fee expense (admin or finance)",
                                                                       "ConnectorStatement", body: "StatementRequest", secured: true)],
            "/v1/connectors/{connector}/webhook": ["post": operation("connectorWebhook", "A payment connector's events, verified by the signature header the connector names (stripe: Stripe-Signature, HMAC-SHA256 of t.raw_body, 300 s tolerance); each event id acted on once; 400 and nothing written when it does not verify; 404 for a connector not configured",
                                                                     "WebhookReceipt", parameters: [["name": "connector", "in": "path", "required": true, "schema": ["type": "string", "enum": ["stripe"]]]])],
            "/v1/funding-approvals": ["get": operation("listFundingApprovals", "Fundings awaiting approval, above a key's spend policy (logged-in owner)", "FundingApprovalList", secured: true)],
            "/v1/funding-approvals/{approval}/approve": ["post": operation("approveFunding", "Approve a funding awaiting approval: the task is funded from the wallet (logged-in owner)",
                                                                           "ApprovedFunding", parameters: [approval], secured: true)],
            "/v1/funding-approvals/{approval}/decline": ["post": operation("declineFunding", "Decline a funding awaiting approval; nothing moves", "FundingApproval",
                                                                           parameters: [approval], secured: true)],
            "/v1/pricing": ["get": operation("getPricing", "The fee rule in force and its version", "Pricing")],
            "/v1/platform": ["get": operation("getPlatform", "Mode, currencies, connectors, limits", "Platform")],
            "/v1/tasks/{task}/applications": [
                "post": operation("apply", "Apply to a published task (once)", "Application", parameters: [task], body: "ApplyRequest", created: true, secured: true),
                "get": operation("listApplications", "The applications to the caller's task", "ApplicationList", parameters: [task], secured: true),
            ],
            "/v1/tasks/{task}/applications/{application}/accept": ["post": operation(
                "acceptApplication", "Assign the task to the applicant (402 PAYMENT_REQUIRED with the fund URL when unfunded)", "Task",
                parameters: [task, ["name": "application", "in": "path", "required": true, "schema": ["type": "string"]]], secured: true)],
            "/v1/tasks/{task}/submissions": [
                "post": operation("submit", "The assigned worker hands in deliverables; on a funded bounty any human enters once", "Submission",
                                  parameters: [task], body: "SubmitRequest", created: true, secured: true),
                "get": operation("listSubmissions", "All submissions for the owner; a worker's own for a worker", "SubmissionList", parameters: [task], secured: true),
            ],
            "/v1/tasks/{task}/request-revision": ["post": operation("requestRevision", "Send the submission back with feedback", "Task",
                                                                    parameters: [task], body: "RevisionRequest", secured: true)],
            "/v1/tasks/{task}/approve": ["post": operation("approve", "Approve: escrow pays the worker and the fee; the task becomes paid. A bounty names its winning entry; the others are declined",
                                                           "Task", parameters: [task], body: "ApproveRequest", secured: true)],
            "/v1/tasks/{task}/reject": ["post": operation("rejectSubmission", "Reject a submission with a reason of at least 50 characters (the task goes back to assigned; a bounty entry is refused)",
                                                          "Submission", parameters: [task], body: "RejectRequest", secured: true)],
            "/v1/tasks/{task}/applications/{application}/reject": ["post": operation(
                "rejectApplication", "Reject a pending application (owner)", "Application",
                parameters: [task, ["name": "application", "in": "path", "required": true, "schema": ["type": "string"]]], secured: true)],
            "/v1/tasks/{task}/disputes": ["post": operation("openDispute", "Owner or worker disputes an assigned or submitted task; the escrow stays frozen until an admin resolves it",
                                                            "Dispute", parameters: [task], body: "DisputeRequest", created: true, secured: true)],
            "/v1/tasks/{task}/dispute": ["get": operation("getDispute", "The task's dispute (owner, worker or admin)", "Dispute", parameters: [task], secured: true)],
            "/v1/tasks/{task}/messages": [
                "post": operation("sendMessage", "Message the owner (as an applicant or the worker) or an applicant (as the owner, with to)", "Message",
                                  parameters: [task], body: "MessageRequest", created: true, secured: true),
                "get": operation("listMessages", "A thread, oldest first; the owner names the applicant with ?with=", "MessageList",
                                 parameters: [task, ["name": "with", "in": "query", "schema": ["type": "string"]]], secured: true),
            ],
            "/v1/notifications": ["get": operation("listNotifications", "The caller's notifications, newest first", "NotificationList",
                                                   parameters: [["name": "unread", "in": "query", "schema": ["type": "boolean"]]], secured: true,
                                                   beside: ["unread_count": ["type": "integer", "minimum": 0,
                                                                             "description": "The caller's unread notifications in all, whatever the filter"]])],
            "/v1/notifications/{notification}/read": ["post": operation("markNotificationRead", "Mark one notification read", "Notification",
                                                                        parameters: [["name": "notification", "in": "path", "required": true, "schema": ["type": "string"]]], secured: true)],
            "/v1/notifications/read-all": ["post": operation("markAllNotificationsRead", "Mark every notification read", "MarkedCount", secured: true)],
            "/v1/applications": ["get": operation("myApplications", "The caller's applications, newest first", "ApplicationList", secured: true)],
            "/v1/profile": [
                "get": operation("getProfile", "The caller's worker profile", "Profile", secured: true),
                "put": operation("saveProfile", "Create or replace the caller's worker profile (humans)", "Profile", body: "ProfileRequest", secured: true),
            ],
            "/v1/workers/{user}": ["get": operation("getWorker", "A worker's public profile", "Profile",
                                                    parameters: [["name": "user", "in": "path", "required": true, "schema": ["type": "string"]]], secured: true)],
            "/v1/admin/disputes": ["get": operation("listOpenDisputes", "Open disputes (admin)", "DisputeList", secured: true)],
            "/v1/admin/disputes/{dispute}/resolve": ["post": operation(
                "resolveDispute", "Resolve with a split: to_worker, and optionally to_payer (else the fee is kept pro rata); posted to the ledger exactly",
                "Dispute", parameters: [["name": "dispute", "in": "path", "required": true, "schema": ["type": "string"]]], body: "ResolveRequest", secured: true)],
            "/v1/admin/workers/{user}/verify": ["post": operation("verifyWorker", "Mark a worker verified or not (admin)", "Profile",
                                                                  parameters: [["name": "user", "in": "path", "required": true, "schema": ["type": "string"]]],
                                                                  body: "VerifyRequest", secured: true)],
            "/v1/wallet": ["get": operation("getWallet", "The caller's wallets per asset: available, pending, frozen, and lifetime figures", "WalletList", secured: true)],
            "/v1/wallet/transactions": ["get": operation("listWalletTransactions", "The wallet's ledger entries, oldest first, by type", "TransactionPage", parameters: [
                ["name": "asset", "in": "query", "schema": ["type": "string", "enum": ["USD", "USDC"]]],
                ["name": "type", "in": "query", "schema": ["type": "string", "enum": Array(Set(WalletTransaction.types.values)).sorted()]],
                ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
                ["name": "cursor", "in": "query", "schema": ["type": "string"]],
            ], secured: true)],
            "/v1/wallet/withdrawals": ["post": operation("withdraw", "Test mode: withdraw through the test connector, which pays at once (Idempotency-Key header)",
                                                         "Withdrawal", parameters: [["name": "Idempotency-Key", "in": "header", "required": true, "schema": ["type": "string"]]],
                                                         body: "DepositRequest", created: true, secured: true)],
            "/v1/wallet/deposits": ["post": operation("deposit", "Test mode: credit the wallet through the test connector (Idempotency-Key header)",
                                                      "Wallet", parameters: [["name": "Idempotency-Key", "in": "header", "required": true, "schema": ["type": "string"]]],
                                                      body: "DepositRequest", created: true, secured: true)],
        ]
    }

    static var taskSchemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let nullableString: [String: Any] = ["type": ["string", "null"]]
        let strings: [String: Any] = ["type": "array", "items": string]
        let deliverables: [String: Any] = ["type": "array", "items": ["type": "string", "enum": Deliverable.allCases.map(\.rawValue)]]
        let amount: [String: Any] = ["oneOf": [["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"], ["type": "number"]],
                                     "description": "Exact decimal: no more decimals than the currency has"]
        let budget: [String: Any] = ["type": "object", "required": ["amount", "currency"], "properties": [
            "amount": amount, "currency": ["type": "string", "enum": ["USD", "USDC"]],
            "type": ["type": "string", "enum": BudgetType.allCases.map(\.rawValue)], "estimated_hours": ["type": "integer", "minimum": 1],
        ]]
        let common: [String: Any] = [
            "title": ["type": "string", "maxLength": TaskDraft.titleLengthMax], "description": ["type": "string", "maxLength": TaskDraft.descriptionLengthMax],
            "category": string, "deadline": ["type": "string", "format": "date-time"],
            "urgency": ["type": "string", "enum": Urgency.allCases.map(\.rawValue)], "required_deliverables": deliverables,
            "proof_requirements": strings, "verified_only": ["type": "boolean"], "callback_url": ["type": "string", "format": "uri"],
        ]
        let create = common.merging([
            "task_type": string, "location_type": ["type": "string", "enum": LocationType.allCases.map(\.rawValue)], "address": string,
            "latitude": ["type": "number", "minimum": -90, "maximum": 90], "longitude": ["type": "number", "minimum": -180, "maximum": 180],
            "budget": budget, "delivery_type": ["type": "string", "enum": DeliveryType.allCases.map(\.rawValue),
                                                "description": "freeform (default): approve completes the task while assigned, with or without a submission; submission: approve needs a submission; bounty: anyone enters, the owner awards one entry"],
            "mock_operator": ["type": "boolean", "description": "Test mode: a mock operator applies, is accepted once funded, and submits"],
            "auto_approve": ["type": "boolean", "description": "Approve a submission whose proof score is at least 90"],
            "auto_reject": ["type": "boolean", "description": "Reject a submission whose proof score is below 50"],
            "fee_paid_by": ["type": "string", "enum": FeePayer.allCases.map(\.rawValue),
                            "description": "agent (default): the fee is added on top of the budget; worker: it comes out of the payout"],
            "milestones": ["type": "array", "maxItems": MilestoneDraft.countMax, "items": ["type": "object", "required": ["title", "amount"], "additionalProperties": false,
                                                                                         "properties": ["title": ["type": "string", "maxLength": TaskDraft.titleLengthMax], "amount": amount,
                                                                                                        "due_date": ["type": "string", "format": "date-time"]]],
                           "description": "The budget in parts (not for a bounty): amounts in the budget's currency summing to the budget exactly (422 naming milestones otherwise). Each milestone is funded (whole or alone) and approved on its own; its fee share is round_half_up(fee × running total / budget) minus the same before it, in list order, so the last takes the remainder and the shares sum to the task's fee exactly"],
        ] as [String: Any]) { $1 }
        return [
            "Category": ["type": "object", "required": ["id", "name", "group", "description"],
                         "properties": ["id": ["type": "string", "description": "A stable slug: never renamed or removed"], "name": string,
                                        "group": ["type": "string", "description": "The id of its CategoryGroup"], "description": string]],
            "CategoryGroup": ["type": "object", "required": ["id", "name", "categories"], "properties": [
                "id": string, "name": string, "categories": ["type": "array", "items": ["$ref": "#/components/schemas/Category"]],
            ]],
            "CategoryList": ["type": "array", "items": ["$ref": "#/components/schemas/CategoryGroup"]],
            "TaskCreate": ["type": "object", "required": ["title", "description", "category", "budget"], "properties": create.merging([
                "fund": ["type": "object", "required": ["source"], "additionalProperties": false,
                         "description": "Fund at posting: the task is created and funded in one commit, or nothing is written (402 INSUFFICIENT_BALANCE for a short wallet); the answer carries the funding under funding",
                         "properties": ["source": ["type": "string", "enum": ["wallet", "connector"]]]],
            ] as [String: Any]) { $1 }],
            "TaskUpdate": ["type": "object", "properties": common],
            "Task": ["type": "object", "properties": create.merging([
                "id": string, "mode": string, "owner_id": string, "worker_id": nullableString, "status": ["type": "string", "enum": TaskStatus.allCases.map(\.rawValue)],
                "address": nullableString, "callback_url": nullableString, "deadline": nullableString,
                "created_at": string, "updated_at": string, "hidden": ["type": "boolean"],
                "funding_status": ["type": "string", "enum": FundingStatus.allCases.map(\.rawValue)],
                "application_count": ["type": "integer", "minimum": 0],
                "milestones": ["type": "array", "items": ["$ref": "#/components/schemas/Milestone"], "description": "Empty when the task is paid whole"],
                "budget": ["type": "object", "properties": [
                    "amount": string, "amount_minor": ["type": "integer"], "currency": string, "type": string,
                    "estimated_hours": ["type": ["integer", "null"]], "total": ["$ref": "#/components/schemas/Money"],
                ]],
            ] as [String: Any]) { $1 }],
            "Milestone": ["type": "object", "required": ["id", "title", "amount", "status"], "properties": [
                "id": string, "title": string, "amount": ["$ref": "#/components/schemas/Money"], "due_date": nullableString,
                "status": ["type": "string", "enum": MilestoneStatus.allCases.map(\.rawValue)],
                "escrow": ["description": "Null while pending", "oneOf": [["type": "null"], ["$ref": "#/components/schemas/Money"]]],
                "payout": ["oneOf": [["type": "null"], ["$ref": "#/components/schemas/Money"]]],
                "fee": ["oneOf": [["type": "null"], ["$ref": "#/components/schemas/Money"]]],
                "funded_at": nullableString, "released_at": nullableString, "refunded_at": nullableString,
            ]],
            "MilestoneList": ["type": "array", "items": ["$ref": "#/components/schemas/Milestone"]],
            "MilestoneAnswer": ["type": "object", "required": ["task_id", "task_status", "milestone", "milestones"], "properties": [
                "task_id": string, "task_status": ["type": "string", "enum": TaskStatus.allCases.map(\.rawValue)],
                "milestone": ["$ref": "#/components/schemas/Milestone"],
                "milestones": ["type": "array", "items": ["$ref": "#/components/schemas/Milestone"]],
            ]],
            "MilestoneFundRequest": ["type": "object", "properties": ["source": ["type": "string", "enum": ["wallet", "connector"],
                                                                                  "description": "wallet (default), or connector: the test connector, test mode only"]]],
            "CanceledTask": ["allOf": [["$ref": "#/components/schemas/Task"], ["type": "object", "required": ["refunded", "refund"], "properties": [
                "refunded": ["type": "boolean"],
                "refund": ["oneOf": [["type": "null"], ["type": "object", "required": ["amount", "to", "transfer_id"], "properties": [
                    "amount": ["$ref": "#/components/schemas/Money"], "to": ["type": "string", "enum": ["wallet", "card"]], "transfer_id": ["type": "integer"],
                ]]]],
            ]]]],
            "Wallet": ["type": "object", "properties": [
                "asset": string, "account_id": ["type": "integer"], "available": ["$ref": "#/components/schemas/Money"],
                "pending": ["$ref": "#/components/schemas/Money"], "frozen": ["$ref": "#/components/schemas/Money"],
                "lifetime": ["type": "object", "properties": Dictionary(uniqueKeysWithValues: ["funded", "paid_out", "refunded", "fees", "earned", "withdrawn"].map {
                    ($0, ["$ref": "#/components/schemas/Money"] as [String: Any])
                })],
            ]],
            "Withdrawal": ["type": "object", "properties": [
                "id": string, "amount": ["$ref": "#/components/schemas/Money"], "connector": string,
                "status": ["type": "string", "enum": ["pending", "paid", "failed"]], "created_at": string, "settled_at": nullableString,
            ]],
            "TransactionPage": ["type": "object", "properties": [
                "transactions": ["type": "array", "items": ["type": "object", "properties": [
                    "type": string, "direction": ["type": "string", "enum": ["in", "out"]], "amount": ["$ref": "#/components/schemas/Money"],
                    "transfer_id": ["type": "integer"], "code": ["type": "integer"], "pending": ["type": "boolean"], "metadata": nullableString,
                    "timestamp": string,
                ]]],
                "has_more": ["type": "boolean"], "next_cursor": nullableString,
            ]],
            "WalletList": ["type": "array", "items": ["$ref": "#/components/schemas/Wallet"]],
            "DepositRequest": ["type": "object", "required": ["amount", "currency"], "properties": [
                "amount": amount, "currency": ["type": "string", "enum": ["USD", "USDC"]],
            ]],
            "ApplyRequest": ["type": "object", "properties": ["message": ["type": "string", "maxLength": TaskApplication.messageLengthMax]]],
            "Application": ["type": "object", "properties": [
                "id": string, "task_id": string, "applicant_id": string, "message": string,
                "status": ["type": "string", "enum": ["pending", "accepted", "rejected"]], "created_at": string,
                "applicant": ["type": "object", "description": "In the owner's list of applications: who applied (their worker profile, or their name alone)",
                              "required": ["display_name", "skills", "available", "verified"], "properties": [
                                  "display_name": string, "headline": string, "city": string, "country": string,
                                  "skills": ["type": "array", "items": string], "available": ["type": "boolean"], "verified": ["type": "boolean"],
                              ]],
            ]],
            "ApplicationList": ["type": "array", "items": ["$ref": "#/components/schemas/Application"]],
            "SubmitRequest": ["type": "object", "required": ["deliverables"], "properties": [
                "deliverables": ["type": "array", "items": ["type": "object", "required": ["kind", "value"], "properties": [
                    "kind": ["type": "string", "enum": Deliverable.allCases.map(\.rawValue)], "value": string,
                ]]],
                "note": string,
            ]],
            "Submission": ["type": "object", "properties": [
                "id": string, "task_id": string, "worker_id": string,
                "status": ["type": "string", "enum": ["submitted", "approved", "revision_requested", "rejected", "declined"]],
                "note": nullableString, "feedback": nullableString, "created_at": string,
                "score": ["type": ["integer", "null"], "minimum": 0, "maximum": 100], "score_notes": strings,
                "deliverables": ["type": "array", "items": ["type": "object", "properties": ["kind": string, "value": string]]],
            ]],
            "SubmissionList": ["type": "array", "items": ["$ref": "#/components/schemas/Submission"]],
            "ApproveRequest": ["type": "object", "properties": ["submission_id": ["type": "string", "description": "Required for a bounty: the winning entry"]]],
            "RejectRequest": ["type": "object", "required": ["reason"], "properties": [
                "reason": ["type": "string", "minLength": Submission.rejectionReasonLengthMin], "submission_id": string,
            ]],
            "DisputeRequest": ["type": "object", "required": ["reason"], "properties": ["reason": ["type": "string", "maxLength": Dispute.reasonLengthMax]]],
            "Dispute": ["type": "object", "properties": [
                "id": string, "task_id": string, "opened_by": string, "reason": string, "status": ["type": "string", "enum": ["open", "resolved"]],
                "split": ["type": ["object", "null"], "properties": [
                    "to_worker": ["$ref": "#/components/schemas/Money"], "to_payer": ["$ref": "#/components/schemas/Money"],
                    "fee": ["$ref": "#/components/schemas/Money"],
                ]],
                "resolution": nullableString, "created_at": string, "resolved_at": nullableString,
            ]],
            "DisputeList": ["type": "array", "items": ["$ref": "#/components/schemas/Dispute"]],
            "MessageRequest": ["type": "object", "required": ["body"], "properties": [
                "body": ["type": "string", "maxLength": Message.bodyLengthMax], "to": ["type": "string", "description": "The applicant, when the owner writes"],
            ]],
            "Message": ["type": "object", "properties": [
                "id": string, "task_id": string, "applicant_id": string, "sender_id": string, "body": string, "created_at": string,
            ]],
            "MessageList": ["type": "array", "items": ["$ref": "#/components/schemas/Message"]],
            "Notification": ["type": "object", "properties": [
                "id": string, "kind": ["type": "string", "enum": Notification.Kind.allCases.map(\.rawValue)], "task_id": nullableString,
                "text": string, "read": ["type": "boolean"], "created_at": string,
            ]],
            "NotificationList": ["type": "array", "items": ["$ref": "#/components/schemas/Notification"]],
            "MarkedCount": ["type": "object", "properties": ["marked": ["type": "integer"]]],
            "ResolveRequest": ["type": "object", "required": ["to_worker", "resolution"], "properties": [
                "to_worker": amount, "to_payer": amount, "resolution": string,
            ]],
            "VerifyRequest": ["type": "object", "required": ["verified"], "properties": ["verified": ["type": "boolean"]]],
            "ProfileRequest": ["type": "object", "required": ["display_name"], "properties": [
                "display_name": string, "headline": string, "city": string, "country": string, "skills": strings, "available": ["type": "boolean"],
            ]],
            "Profile": ["type": "object", "properties": [
                "user_id": string, "display_name": string, "headline": nullableString, "city": nullableString, "country": nullableString,
                "skills": strings, "available": ["type": "boolean"], "verified": ["type": "boolean"], "updated_at": string,
            ]],
            "RevisionRequest": ["type": "object", "required": ["feedback"], "properties": ["feedback": string]],
            "FundRequest": ["type": "object", "properties": [
                "source": ["type": "string", "enum": FundingSource.allCases.filter { $0 != .authorization }.map(\.rawValue) + ["usdc"],
                           "description": "usdc: pay with a signed USDC authorization as x402 clients do (402 with the requirements, then X-PAYMENT or PAYMENT-SIGNATURE)"],
                "success_url": ["type": "string", "description": "card: where the checkout page sends the payer after paying"],
                "cancel_url": ["type": "string", "description": "card: where the checkout page sends the payer who gives up"],
            ]],
            "Checkout": ["type": "object", "description": "source card: 202 with the open checkout; the task is funded when Stripe's verified event says it was paid", "properties": [
                "task_id": string, "status": ["type": "string", "enum": ["open", "paid", "failed"]], "session_id": nullableString,
                "checkout_url": nullableString, "amount": ["$ref": "#/components/schemas/Money"],
            ]],
            "PayoutAccount": ["type": "object", "properties": ["connector": nullableString, "account_id": nullableString, "linked": ["type": "boolean"],
                                                               "base_address": nullableString]],
            "PayoutAccountRequest": ["type": "object", "description": "exactly one of account_id and base_address",
                                     "properties": ["account_id": string, "base_address": ["type": "string", "description": "an EIP-55 Base address for USDC earnings"]]],
            "WebhookRequest": ["type": "object", "required": ["url", "events"], "properties": [
                "url": ["type": "string", "description": "http(s); private, loopback and link-local addresses are refused"],
                "events": ["type": "array", "items": ["type": "string", "enum": ["*"] + WebhookEvent.allCases.map(\.rawValue)]],
                "description": ["type": "string", "maxLength": 500],
            ]],
            "WebhookUpdate": ["type": "object", "properties": [
                "url": string, "events": ["type": "array", "items": string], "description": string, "enabled": ["type": "boolean"],
            ]],
            "WebhookEndpoint": ["type": "object", "properties": [
                "id": string, "url": string, "events": ["type": "array", "items": string], "description": nullableString, "enabled": ["type": "boolean"],
                "failures": ["type": "integer"], "disabled_reason": nullableString, "created_at": string,
                "secret": ["type": "string", "description": "in the answer to create only"],
            ]],
            "WebhookEndpointList": ["type": "array", "items": ["$ref": "#/components/schemas/WebhookEndpoint"]],
            "WebhookSecret": ["type": "object", "properties": ["secret": string]],
            "WebhookDelivery": ["type": "object", "properties": [
                "id": ["type": "integer"], "event_id": string, "event": string, "task_id": nullableString,
                "state": ["type": "string", "enum": ["pending", "delivered", "failed"]], "attempts": ["type": "integer"],
                "last_status": ["type": ["integer", "null"]], "last_error": nullableString, "next_attempt_at": nullableString, "delivered_at": nullableString,
            ]],
            "WebhookDeliveryList": ["type": "array", "items": ["$ref": "#/components/schemas/WebhookDelivery"]],
            "DepositAddressRequest": ["type": "object", "required": ["address"], "properties": ["address": string]],
            "DepositAddress": ["type": "object", "properties": ["address": string, "pay_to": string, "network": string, "asset": string]],
            "DepositAddressList": ["type": "array", "items": ["$ref": "#/components/schemas/DepositAddress"]],
            "PayoutReversal": ["type": "object", "properties": ["task_id": string, "reversed": ["$ref": "#/components/schemas/Money"]]],
            "PayoutReversalRequest": ["type": "object", "properties": ["amount": ["type": "string", "description": "decimal; all that is left when absent"]]],
            "StatementRequest": ["type": "object", "properties": ["from": ["type": "integer"], "to": ["type": "integer"]]],
            "ConnectorStatement": ["type": "object", "properties": [
                "connector": string, "from": ["type": "integer"], "to": ["type": "integer"],
                "lines": ["type": "array", "items": ["type": "object", "properties": [
                    "id": string, "kind": ["type": "string", "enum": ["charge", "refund", "transfer", "transfer_reversal", "processor_fee", "other"]],
                    "amount_minor": ["type": "integer"], "fee_minor": ["type": "integer"], "currency": string, "source": nullableString, "created": ["type": "integer"],
                ]]],
                "fees_booked": ["$ref": "#/components/schemas/Money"], "lines_booked": ["type": "integer"],
            ]],
            "TaskPaymentList": ["type": "array", "items": ["type": "object", "properties": [
                "task_id": string, "kind": ["type": "string", "enum": ["checkout", "refund", "payout"]],
                "state": ["type": "string", "enum": ["pending", "sent", "settled", "failed"]],
                "amount": ["$ref": "#/components/schemas/Money"], "reference": nullableString, "reversed": ["$ref": "#/components/schemas/Money"],
                "error": nullableString, "attempts": ["type": "integer"], "next_attempt_at": nullableString, "created_at": string, "updated_at": string,
            ]]],
            "WebhookReceipt": ["type": "object", "properties": [
                "received": ["type": "boolean"], "outcome": ["type": "string", "enum": ["applied", "duplicate", "ignored", "unmatched", "refused"]],
            ]],
            "FundingApproval": ["type": "object", "properties": [
                "id": string, "task_id": string, "key_id": string, "amount": ["$ref": "#/components/schemas/Money"], "reason": string,
                "status": ["type": "string", "enum": ["pending", "approved", "declined"]], "approve_url": string, "created_at": string,
                "decided_at": nullableString,
            ]],
            "FundingApprovalList": ["type": "array", "items": ["$ref": "#/components/schemas/FundingApproval"]],
            "ApprovedFunding": ["type": "object", "properties": [
                "approval": ["$ref": "#/components/schemas/FundingApproval"], "funding": ["$ref": "#/components/schemas/Funding"],
            ]],
            "AnonymousTask": ["type": "object", "properties": [
                "task": ["$ref": "#/components/schemas/Task"], "task_token": string, "task_url": string, "fund_url": string,
            ]],
            "Pricing": ["type": "object", "properties": [
                "version": string, "basis_points": ["type": "integer"], "percent": string,
                "fixed": ["type": "array", "items": ["$ref": "#/components/schemas/Money"]], "default_fee_paid_by": string,
                "fee_paid_by": strings, "rounding": string, "applies_to": string,
            ]],
            "Platform": ["type": "object", "properties": [
                "version": string, "mode": string, "currencies": strings, "connectors": strings, "delivery_types": strings,
                "rate_limits_per_minute": ["type": "object", "additionalProperties": ["type": "integer"]],
                "idempotency_key_hours": ["type": "integer"], "api_keys_active_max": ["type": "integer"],
                "anonymous_unfunded_tasks_per_address_max": ["type": "integer"], "pricing_version": string,
            ]],
            "Funding": ["type": "object", "properties": [
                "task_id": string, "escrow_account_id": ["type": "integer"], "escrow": ["$ref": "#/components/schemas/Money"],
                "payout": ["$ref": "#/components/schemas/Money"], "fee": ["$ref": "#/components/schemas/Money"], "fee_rule": string,
                "source": ["type": "string", "enum": FundingSource.allCases.filter { $0 != .authorization }.map(\.rawValue) + ["usdc"],
                           "description": "usdc: pay with a signed USDC authorization as x402 clients do (402 with the requirements, then X-PAYMENT or PAYMENT-SIGNATURE)"],
            ]],
            "TaskPage": ["type": "object", "properties": [
                "tasks": ["type": "array", "items": ["$ref": "#/components/schemas/Task"]], "has_more": ["type": "boolean"],
                "next_cursor": nullableString,
                "count": ["type": "integer", "minimum": 0, "description": "With offset: every matching task"], "offset": ["type": "integer", "minimum": 0],
            ]],
        ]
    }

    static var authSchemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let integer: [String: Any] = ["type": "integer"]
        let mode: [String: Any] = ["type": "string", "enum": ["test", "live"]]
        let scopes: [String: Any] = ["type": "array", "items": ["type": "string", "enum": Scope.allCases.map(\.rawValue)]]
        let user: [String: Any] = ["$ref": "#/components/schemas/User"]
        let referralCode: [String: Any] = ["type": "string", "minLength": 12, "maxLength": 12,
                                           "description": "Another user's referral code: the new account is recorded as their referral (400 naming referral_code when no user has it)"]
        return [
            "User": ["type": "object", "properties": [
                "id": string, "email": string, "full_name": string, "role": ["type": "string", "enum": ["agent", "client", "human"]],
                "created_at": ["type": "string", "format": "date-time"],
                "referral_code": ["type": "string", "description": "The code others register with to be counted as this user's referrals"],
            ]],
            "RegisterRequest": ["type": "object", "required": ["email", "password", "full_name", "role"], "properties": [
                "email": ["type": "string", "format": "email"], "password": ["type": "string", "minLength": 8, "maxLength": 72],
                "full_name": ["type": "string", "maxLength": 200], "role": ["type": "string", "enum": ["agent", "client", "human"]],
                "referral_code": referralCode,
            ]],
            "Referrals": ["type": "object", "required": ["referral_code", "referrals", "stats"], "properties": [
                "referral_code": string,
                "referrals": ["type": "array", "items": ["type": "object", "properties": [
                    "user_id": string, "full_name": string, "role": ["type": "string", "enum": ["agent", "client", "human"]],
                    "created_at": ["type": "string", "format": "date-time"],
                ]]],
                "stats": ["type": "object", "required": ["count", "rewards_enabled", "rewards_earned"], "properties": [
                    "count": integer, "rewards_enabled": ["type": "boolean"],
                    "rewards_earned": ["type": "array", "items": ["$ref": "#/components/schemas/Money"]],
                ]],
            ]],
            "AgentRegisterRequest": ["type": "object", "required": ["name", "email"], "properties": [
                "name": ["type": "string", "maxLength": 200, "description": "The agent's name"], "email": ["type": "string", "format": "email"],
                "password": ["type": "string", "minLength": 8, "maxLength": 72, "description": "Optional: lets the agent log in too; without it the key is its only credential"],
                "referral_code": referralCode,
            ]],
            "RegisteredAgent": ["type": "object", "required": ["user", "api_key"], "properties": [
                "user": user, "api_key": ["$ref": "#/components/schemas/CreatedKey"],
            ]],
            "LoginRequest": ["type": "object", "required": ["email", "password"], "properties": ["email": string, "password": string, "mode": mode]],
            "RefreshRequest": ["type": "object", "required": ["refresh_token"], "properties": ["refresh_token": string]],
            "Session": ["type": "object", "properties": [
                "access_token": string, "refresh_token": string, "token_type": string, "expires_in": integer, "mode": mode, "user": user,
            ]],
            "Me": ["type": "object", "properties": ["user": user, "mode": mode, "scopes": scopes, "credential": string]],
            "EmailAvailability": ["type": "object", "properties": ["email": string, "available": ["type": "boolean"]]],
            "SpendPolicy": ["type": "object", "required": ["currency"], "properties": [
                "currency": ["type": "string", "enum": ["USD", "USDC"]], "per_task": ["type": ["string", "number"]], "per_day": ["type": ["string", "number"]],
            ]],
            "CreateKeyRequest": ["type": "object", "required": ["name", "scopes", "mode"], "properties": [
                "name": ["type": "string", "maxLength": 100], "scopes": scopes, "mode": mode, "spend_policy": ["$ref": "#/components/schemas/SpendPolicy"],
            ]],
            "APIKey": ["type": "object", "properties": [
                "id": string, "name": string, "mode": mode, "scopes": scopes, "redacted": string, "created_at": integer,
                "revoked_at": ["type": ["integer", "null"]], "spend_policy": ["$ref": "#/components/schemas/SpendPolicy"],
            ]],
            "KeyList": ["type": "array", "items": ["$ref": "#/components/schemas/APIKey"]],
            "CreatedKey": ["type": "object", "properties": ["key": ["$ref": "#/components/schemas/APIKey"], "secret": string]],
        ]
    }
}

extension Asset {
    static var allCodes: [String] { all.map(\.code) }
}
