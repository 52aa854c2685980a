import Foundation
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceHTTP
import MarketplaceViews

/// Applications, selection, submission, review, disputes and the task chat, each the /v1
/// service call under the document's path and names.
extension Humans2AIMount {
    func addWorkRoutes(to group: RouterGroup<APIContext>) {
        group.post("tasks/{task}/apply", use: apply)
        group.get("tasks/{task}/applications", use: applications)
        group.post("tasks/{task}/select", use: select)
        group.post("tasks/{task}/submit", use: submit)
        group.post("tasks/{task}/approve", use: approve)
        group.post("tasks/{task}/reject", use: reject)
        group.post("tasks/{task}/dispute", use: dispute)
        group.get("tasks/{task}/messages", use: messages)
        group.post("tasks/{task}/messages", use: sendMessage)
    }

    struct ApplicationView: Encodable, Sendable {
        let id: String
        let taskId: String
        let humanId: String
        let humanName: String?
        let message: String
        let status: String
        let createdAt: String

        init(_ application: TaskApplication, name: String? = nil) {
            id = application.id
            taskId = application.taskID
            humanId = application.applicantID
            humanName = name
            message = application.message
            status = application.status.rawValue
            createdAt = Timestamps.format(application.createdAt)
        }
    }

    struct ApplyBody: Decodable { let message: String? }

    /// A human applies (an agent's key is refused by the domain: only humans apply).
    @Sendable func apply(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<ApplicationView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCaseIfPresent(ApplyBody.self, from: request, context: context)
        let application = try await services.work.apply(to: try context.parameters.require("task"), message: body?.message ?? "", by: caller)
        return Humans2AIAnswer(ApplicationView(application), status: .created)
    }

    /// The task's applications, for its owner.
    @Sendable func applications(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<[ApplicationView]> {
        let caller = try context.requirePrincipal()
        let received = try services.work.applications(of: try context.parameters.require("task"), for: caller)
        return Humans2AIAnswer(received.map { ApplicationView($0.application, name: $0.profile?.displayName ?? $0.fullName) })
    }

    struct SelectBody: Decodable { let applicationId: String }

    /// Selects an applicant: the task is assigned to them (ASSIGNED), the others are declined.
    @Sendable func select(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<Humans2AITaskView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(SelectBody.self, from: request, context: context)
        return Humans2AIAnswer(try view(try await services.work.accept(body.applicationId, on: try context.parameters.require("task"), by: caller)))
    }

    struct SubmissionView: Encodable, Sendable {
        let id: String
        let taskId: String
        let humanId: String
        let status: String
        let proof: String?
        let proofUrls: [String]
        let note: String?
        let feedback: String?
        let createdAt: String

        init(_ submission: Submission) {
            id = submission.id
            taskId = submission.taskID
            humanId = submission.workerID
            status = submission.status.rawValue
            proof = submission.deliverables.first { $0.kind == .text }?.value
            proofUrls = submission.deliverables.filter { $0.kind != .text }.map(\.value)
            note = submission.note
            feedback = submission.feedback
            createdAt = Timestamps.format(submission.createdAt)
        }
    }

    struct SubmitBody: Decodable {
        /// What was done, as text.
        let proof: String
        /// Links to photos or files of the work.
        let proofUrls: [String]?
        let note: String?
    }

    /// The assigned human submits the work: the text proof and each link as a deliverable.
    @Sendable func submit(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<SubmissionView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(SubmitBody.self, from: request, context: context)
        let items = [Submission.Item(kind: .text, value: body.proof)] + (body.proofUrls ?? []).map { Submission.Item(kind: .url, value: $0) }
        let submission = try await services.work.submit(to: try context.parameters.require("task"), deliverables: items, note: body.note, by: caller)
        return Humans2AIAnswer(SubmissionView(submission), status: .created)
    }

    struct ApprovedView: Encodable, Sendable {
        let task: Humans2AITaskView
        /// What the human received, and the platform's fee, out of the escrowed budget.
        let payout: Decimal
        let platformFee: Decimal
    }

    /// Approves the submission: the escrow is released in the same commit, the payout to the
    /// human and the fee to the platform, split by the pricing rule the task was funded under.
    @Sendable func approve(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<ApprovedView> {
        let caller = try context.requirePrincipal()
        try await MarketplaceHTTP.RequestBody.refuseFields(request, context: context)
        let task = try await services.settlement.approve(try context.parameters.require("task"), by: caller)
        guard let funding = try services.settlement.funding(of: task.id) else {
            throw MarketplaceError.internalError("approved task \(task.id) has no funding on record")
        }
        return Humans2AIAnswer(ApprovedView(task: try view(task), payout: ExactDecimal.of(funding.payoutMinor, funding.asset),
                                            platformFee: ExactDecimal.of(funding.feeMinor, funding.asset)))
    }

    struct ReasonBody: Decodable { let reason: String }

    /// Rejects the submission with a reason of at least 50 characters; the human may submit again.
    @Sendable func reject(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<SubmissionView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(ReasonBody.self, from: request, context: context)
        let rejected = try await services.work.reject(submission: nil, of: try context.parameters.require("task"), reason: body.reason, by: caller)
        return Humans2AIAnswer(SubmissionView(rejected))
    }

    struct DisputeView: Encodable, Sendable {
        let id: String
        let taskId: String
        let openedBy: String
        let reason: String
        let status: String
        let createdAt: String
    }

    /// Either party disputes the task; the escrow stays held until an admin resolves it.
    @Sendable func dispute(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<DisputeView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(ReasonBody.self, from: request, context: context)
        let opened = try await services.settlement.openDispute(on: try context.parameters.require("task"), reason: body.reason, by: caller)
        return Humans2AIAnswer(DisputeView(id: opened.id, taskId: opened.taskID, openedBy: opened.openedBy, reason: opened.reason,
                                           status: opened.status.rawValue, createdAt: Timestamps.format(opened.createdAt)), status: .created)
    }

    struct MessageView: Encodable, Sendable {
        let id: String
        let taskId: String
        let senderId: String
        /// The applicant whose thread with the owner this is.
        let humanId: String
        let content: String
        let createdAt: String

        init(_ message: Message) {
            id = message.id
            taskId = message.taskID
            senderId = message.senderID
            humanId = message.applicantID
            content = message.body
            createdAt = Timestamps.format(message.createdAt)
        }
    }

    /// The task's messages, for its participants (the owner's threads with each applicant).
    @Sendable func messages(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<[MessageView]> {
        let caller = try context.requirePrincipal()
        let thread = try services.messages.messages(on: try context.parameters.require("task"), with: nil, for: caller)
        return Humans2AIAnswer(thread.map(MessageView.init))
    }

    struct MessageBody: Decodable {
        let content: String
        /// The owner names the human (applicant) they write to; a human writes to the owner.
        let recipientId: String?
    }

    @Sendable func sendMessage(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<MessageView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(MessageBody.self, from: request, context: context)
        let sent = try await services.messages.send(on: try context.parameters.require("task"), body: body.content, to: body.recipientId, by: caller)
        return Humans2AIAnswer(MessageView(sent), status: .created)
    }
}
