import Hummingbird
import Marketplace
import MarketplaceViews

/// Applications, acceptance, submissions, revisions and approval of a task.
struct WorkController: Sendable {
    let work: WorkService
    let settlement: SettlementService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post(":task/applications", use: apply)
        group.get(":task/applications", use: applications)
        group.post(":task/applications/:application/accept", use: accept)
        group.post(":task/applications/:application/reject", use: rejectApplication)
        group.post(":task/submissions", use: submit)
        group.get(":task/submissions", use: submissions)
        group.post(":task/request-revision", use: requestRevision)
        group.post(":task/approve", use: approve)
        group.post(":task/reject", use: reject)
        group.post(":task/disputes", use: openDispute)
        group.get(":task/dispute", use: dispute)
    }

    @Sendable func rejectApplication(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return try await KeyedAnswer.respond(TaskApplication.self, render: { Envelope(ApplicationView($0)) }) {
            try await work.rejectApplication(try context.parameters.require("application"), on: try context.parameters.require("task"), by: caller)
        }
    }

    struct ApplyBody: Decodable { let message: String? }

    @Sendable func apply(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(ApplyBody.self, from: request, context: context)
        return try await KeyedAnswer.respond(TaskApplication.self, status: { _ in .created }, render: { Envelope(ApplicationView($0)) }) {
            try await work.apply(to: try context.parameters.require("task"), message: body.message ?? "", by: caller)
        }
    }

    @Sendable func applications(_ request: Request, context: APIContext) async throws -> Envelope<[ApplicationView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try work.applications(of: try context.parameters.require("task"), for: caller).map { ApplicationView($0) })
    }

    @Sendable func accept(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return try await KeyedAnswer.respond(MarketTask.self, render: { Envelope(TaskView($0)) }) {
            try await work.accept(try context.parameters.require("application"), on: try context.parameters.require("task"), by: caller)
        }
    }

    struct SubmitBody: Decodable {
        struct Item: Decodable {
            let kind: String
            let value: String
        }
        let deliverables: [Item]
        let note: String?
    }

    @Sendable func submissions(_ request: Request, context: APIContext) async throws -> Envelope<[SubmissionView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try work.submissions(of: try context.parameters.require("task"), for: caller).map(SubmissionView.init))
    }

    @Sendable func submit(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(SubmitBody.self, from: request, context: context)
        var items: [Submission.Item] = []
        for (index, item) in body.deliverables.enumerated() {
            guard let kind = Deliverable(rawValue: item.kind) else {
                throw APIError.validation("kind must be one of text, photo, url, file", field: "deliverables[\(index)].kind")
            }
            items.append(Submission.Item(kind: kind, value: item.value))
        }
        return try await KeyedAnswer.respond(Submission.self, status: { _ in .created }, render: { Envelope(SubmissionView($0)) }) {
            try await work.submit(to: try context.parameters.require("task"), deliverables: items, note: body.note, by: caller)
        }
    }

    struct RevisionBody: Decodable { let feedback: String }

    @Sendable func requestRevision(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(RevisionBody.self, from: request, context: context)
        return try await KeyedAnswer.respond(MarketTask.self, render: { Envelope(TaskView($0)) }) {
            try await work.requestRevision(of: try context.parameters.require("task"), feedback: body.feedback, by: caller)
        }
    }

    struct ApproveBody: Decodable { let submissionId: String? }

    /// Approves the latest submission, or on a bounty the entry named by submission_id.
    @Sendable func approve(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decodeIfPresent(ApproveBody.self, from: request, context: context)
        return try await KeyedAnswer.respond(MarketTask.self, render: { Envelope(TaskView($0)) }) {
            try await settlement.approve(try context.parameters.require("task"), submission: body?.submissionId, by: caller)
        }
    }

    struct RejectBody: Decodable {
        let reason: String
        let submissionId: String?
    }

    @Sendable func reject(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(RejectBody.self, from: request, context: context)
        return try await KeyedAnswer.respond(Submission.self, render: { Envelope(SubmissionView($0)) }) {
            try await work.reject(submission: body.submissionId, of: try context.parameters.require("task"), reason: body.reason, by: caller)
        }
    }

    struct DisputeBody: Decodable { let reason: String }

    @Sendable func openDispute(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(DisputeBody.self, from: request, context: context)
        return try await KeyedAnswer.respond(Dispute.self, status: { _ in .created }, render: { Envelope(DisputeView($0)) }) {
            try await settlement.openDispute(on: try context.parameters.require("task"), reason: body.reason, by: caller)
        }
    }

    @Sendable func dispute(_ request: Request, context: APIContext) async throws -> Envelope<DisputeView> {
        let caller = try context.requirePrincipal()
        return Envelope(DisputeView(try settlement.dispute(of: try context.parameters.require("task"), for: caller)))
    }
}
