import Foundation
import Hummingbird
import HTTPTypes
import LedgerCore
import Marketplace
import MarketplaceHTTP
import MarketplaceViews

/// Applications, their conversations and submissions, on the same work and settlement
/// services as /v1.
extension RequestHumanMount {
    struct Applications: ResponseEncodable, Sendable {
        let success = true
        let applications: [RequestHumanApplicationView]
    }

    @Sendable func applications(_ request: Request, context: APIContext) async throws -> Applications {
        let caller = try await caller(request, context)
        let id = try context.parameters.require("task")
        _ = try owner(id, caller)
        return Applications(applications: try services.work.applications(of: id, for: caller).map(RequestHumanApplicationView.init))
    }

    /// The application `appId` of the task, as its owner reads it.
    func application(_ id: String, of taskID: String, by caller: Principal) throws -> ReceivedApplication {
        guard let found = try services.work.applications(of: taskID, for: caller).first(where: { $0.application.id == id }) else {
            throw MarketplaceError.notFound("no application \(id) on this task")
        }
        return found
    }

    struct RespondBody: Decodable {
        let status: String
        let taskToken: String?
    }

    struct ApplicationAnswer: ResponseEncodable, Sendable {
        let success = true
        let application: RequestHumanApplicationView
        let task: RequestHumanTaskView
    }

    /// `accepted` assigns the applicant (the task must be funded: 402 otherwise), `rejected`
    /// turns the application down.
    @Sendable func respondToApplication(_ request: Request, context: APIContext) async throws -> ApplicationAnswer {
        let body = try await MarketplaceHTTP.RequestBody.decode(RespondBody.self, from: request, context: context)
        let caller = try await caller(request, context, bodyToken: body.taskToken)
        let taskID = try context.parameters.require("task")
        let applicationID = try context.parameters.require("application")
        switch body.status {
        case "accepted": _ = try await services.work.accept(applicationID, on: taskID, by: caller)
        case "rejected": _ = try await services.work.rejectApplication(applicationID, on: taskID, by: caller)
        default: throw MarketplaceError.validation(field: "status", message: "status must be accepted or rejected")
        }
        return ApplicationAnswer(application: RequestHumanApplicationView(try application(applicationID, of: taskID, by: caller)),
                                 task: RequestHumanTaskView(try services.tasks.task(taskID, for: caller)))
    }

    // MARK: - Messages

    struct Messages: ResponseEncodable, Sendable {
        let success = true
        let messages: [RequestHumanMessageView]
    }

    /// Whom the conversation of `appId` is with: the applicant for the task's token, nil (the
    /// owner) for the applicant's own session.
    func counterpart(_ applicationID: String, taskID: String, caller: Principal) throws -> String? {
        let task = try services.tasks.task(taskID, for: caller)
        guard task.ownerID == caller.userID else { return nil }
        return try application(applicationID, of: taskID, by: caller).application.applicantID
    }

    /// Oldest first; the task's token (the agent) or the applicant's session.
    @Sendable func messages(_ request: Request, context: APIContext) async throws -> Messages {
        let caller = try await caller(request, context)
        let taskID = try context.parameters.require("task")
        let applicationID = try context.parameters.require("application")
        let with = try counterpart(applicationID, taskID: taskID, caller: caller)
        let thread = try services.messages.messages(on: taskID, with: with, for: caller)
        return Messages(messages: thread.map { RequestHumanMessageView($0, applicationID: applicationID) })
    }

    struct SendBody: Decodable {
        let body: String
        let taskToken: String?
    }

    struct MessageAnswer: ResponseEncodable, Sendable {
        let success = true
        let message: RequestHumanMessageView
    }

    /// As the agent with the task's token, to the applicant; as the human with their session.
    @Sendable func sendMessage(_ request: Request, context: APIContext) async throws -> EditedResponse<MessageAnswer> {
        let body = try await MarketplaceHTTP.RequestBody.decode(SendBody.self, from: request, context: context)
        let caller = try await caller(request, context, bodyToken: body.taskToken)
        let taskID = try context.parameters.require("task")
        let applicationID = try context.parameters.require("application")
        let to = try counterpart(applicationID, taskID: taskID, caller: caller)
        let message = try await services.messages.send(on: taskID, body: body.body, to: to, by: caller)
        return EditedResponse(status: .created, response: MessageAnswer(message: RequestHumanMessageView(message, applicationID: applicationID)))
    }

    // MARK: - Submissions

    struct Submissions: ResponseEncodable, Sendable {
        let success = true
        let submissions: [RequestHumanSubmissionView]
    }

    func submissionViews(_ taskID: String, by caller: Principal) throws -> [RequestHumanSubmissionView] {
        let applications = try services.work.applications(of: taskID, for: caller)
        return try services.work.submissions(of: taskID, for: caller).map { submission in
            RequestHumanSubmissionView(submission, applicationID: applications.first { $0.application.applicantID == submission.workerID }?.application.id)
        }
    }

    @Sendable func submissions(_ request: Request, context: APIContext) async throws -> Submissions {
        let caller = try await caller(request, context)
        let taskID = try context.parameters.require("task")
        _ = try owner(taskID, caller)
        return Submissions(submissions: try submissionViews(taskID, by: caller))
    }

    struct ReviewBody: Decodable {
        let submissionId: String
        let status: String
        let feedback: String?
        let taskToken: String?
    }

    struct ReviewAnswer: ResponseEncodable, Sendable {
        let success = true
        let submission: RequestHumanSubmissionView?
        let task: RequestHumanTaskView
    }

    /// `approved` approves the submission and pays the human out (the task is completed);
    /// `revision_requested` sends it back with the feedback. Only a submission waiting for
    /// review is reviewed.
    @Sendable func respondToSubmission(_ request: Request, context: APIContext) async throws -> ReviewAnswer {
        let body = try await MarketplaceHTTP.RequestBody.decode(ReviewBody.self, from: request, context: context)
        let caller = try await caller(request, context, bodyToken: body.taskToken)
        let taskID = try context.parameters.require("task")
        guard let submission = try services.work.submissions(of: taskID, for: caller).first(where: { $0.id == body.submissionId }) else {
            throw MarketplaceError.notFound("no submission \(body.submissionId) on this task")
        }
        guard submission.status == .submitted else {
            throw MarketplaceError.conflict(field: "submission_id", message: "the submission is \(submission.status.rawValue), not waiting for review")
        }
        let task: MarketTask = switch body.status {
        case "approved": try await services.settlement.approve(taskID, submission: submission.id, by: caller)
        case "revision_requested": try await services.work.requestRevision(of: taskID, feedback: body.feedback ?? "", by: caller)
        default: throw MarketplaceError.validation(field: "status", message: "status must be approved or revision_requested")
        }
        return ReviewAnswer(submission: try submissionViews(taskID, by: caller).first { $0.id == submission.id }, task: RequestHumanTaskView(task))
    }
}

/// Every refusal under /compat/requesthuman as the document's `{"success": false, "error": "…"}`
/// with its status codes: a missing or bad task token is 403; a 402 carries the `fund_url`.
struct RequestHumanErrors: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch { return Self.response(for: error) }
    }

    static func response(for error: any Error) -> Response {
        let api: APIError? = if let error = error as? APIError { error } else if let error = error as? MarketplaceError { APIError(error) }
            else if let error = error as? LedgerError { APIError(error) } else { nil }
        var status = api?.status ?? (error as? any HTTPResponseError)?.status ?? .internalServerError
        if status == .unauthorized { status = .forbidden }
        if status == .unprocessableContent { status = .badRequest }
        var message = api.map { api in api.field.map { api.message.contains($0) ? api.message : "\($0): \(api.message)" } ?? api.message }
            ?? (status == .internalServerError ? "internal error" : "\(error)")
        if status == .notFound, api == nil { message = "not found" }
        var body: [String: Any] = ["success": false, "error": message]
        if case .paymentRequired(let taskID, _) = error as? MarketplaceError { body["fund_url"] = "/\(RequestHumanMount.prefix)/api/tasks/\(taskID)/fund" }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
