import Foundation
import LedgerCore

/// What happened, as webhooks name it.
public enum WebhookEvent: String, Sendable, CaseIterable, Codable {
    case taskCreated = "task.created"
    case taskFunded = "task.funded"
    case applicationCreated = "application.created"
    case applicationAccepted = "application.accepted"
    case applicationRejected = "application.rejected"
    case taskSubmitted = "task.submitted"
    case submissionApproved = "submission.approved"
    case submissionRevisionRequested = "submission.revision_requested"
    case taskCompleted = "task.completed"
    case taskPaid = "task.paid"
    case taskCanceled = "task.canceled"
    case taskExpired = "task.expired"
    case taskDisputed = "task.disputed"
    case disputeResolved = "dispute.resolved"
    case messageReceived = "message.received"
    case payoutFailed = "payout.failed"
    case depositCredited = "deposit.credited"
    /// A milestone's part is in escrow (seed 000 milestones).
    case milestoneFunded = "milestone.funded"
    /// A milestone was approved: its payout is in the worker's wallet, its fee share earned.
    case milestoneReleased = "milestone.released"
}

/// The outbox: an event row, and a delivery for each endpoint (and task callback_url) that
/// wants it, written inside the commit of the change that caused it. A change that rolls
/// back takes its events with it; one that commits cannot lose them.
enum Outbox {
    /// Records `event` for each of `users` (once each) who has a subscribed endpoint or, as the
    /// task's owner, a callback_url, in the caller's commit. `data` holds
    /// strings, whole numbers, booleans and objects of them; the task id is added.
    static func emit(_ event: WebhookEvent, to users: [String], mode: Mode, task: MarketTask?, data: @autoclosure () throws -> [String: Any],
                     nowMicros: Int64, _ stores: Stores) throws {
        var json: String?
        var seen = Set<String>()
        for user in users where seen.insert(user).inserted {
            var targets: [(target: String, endpoint: String?, url: String)] = try stores.webhookEndpoints.subscribed(to: event, userID: user, mode: mode)
                .map { ($0.id, $0.id, $0.url) }
            if let task, user == task.ownerID, let callback = task.spec.callbackURL { targets.append(("callback:\(task.id)", nil, callback)) }
            // Nobody listens: no row to write on the hot path (an endpoint made later starts with later events).
            guard !targets.isEmpty else { continue }
            if json == nil {
                var body = try data()  // made only when someone listens
                if let task { body["task_id"] = task.id }
                json = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            }
            let seq = try stores.outbox.appendEvent(id: Secrets.id("evt", nowMicros: nowMicros), userID: user, mode: mode, event: event, taskID: task?.id,
                                                    data: json, nowMicros: nowMicros)
            for target in targets {
                try stores.outbox.addDelivery(seq: seq, target: target.target, endpointID: target.endpoint, url: target.url, taskID: task?.id, nowMicros: nowMicros)
            }
        }
    }

    /// An application as application.created carries it: its message, and the applicant's
    /// profile when they have one (the owner's list shows the same).
    static func application(_ application: TaskApplication, _ stores: Stores) throws -> [String: Any] {
        var data: [String: Any] = ["application_id": application.id, "applicant_id": application.applicantID, "message": application.message,
                                   "created_at": Timestamps.format(application.createdAt)]
        if let profile = try stores.workerProfiles.fetch(application.applicantID) {
            data["applicant"] = ["display_name": profile.displayName, "headline": profile.headline ?? NSNull(), "city": profile.city ?? NSNull(),
                                 "country": profile.country ?? NSNull(), "skills": profile.skills] as [String: Any]
        }
        return data
    }

    /// A task as its events describe it.
    static func summary(_ task: MarketTask) -> [String: Any] {
        ["title": task.spec.title, "status": task.status.rawValue, "budget": money(task.spec.budgetMinor, task.spec.asset),
         "delivery_type": task.spec.deliveryType.rawValue]
    }

    /// A funding as task.funded carries it.
    static func funded(_ funding: TaskFunding) -> [String: Any] {
        ["escrow": money(funding.escrowMinor, funding.asset), "payout": money(funding.payoutMinor, funding.asset),
         "fee": money(funding.feeMinor, funding.asset), "fee_rule": funding.feeRule, "source": funding.source.rawValue]
    }

    /// A milestone as milestone.funded and milestone.released carry it: its part of the task's split.
    static func milestone(_ spec: MilestoneSpec, part: FeeSplit, asset: Asset, feeRule: String) -> [String: Any] {
        ["milestone_id": spec.id, "title": spec.title, "amount": money(spec.amountMinor, asset), "escrow": money(part.escrowMinor, asset),
         "payout": money(part.payoutMinor, asset), "fee": money(part.feeMinor, asset), "fee_rule": feeRule]
    }

    /// Money as events carry it: the decimal text, the minor units and the currency.
    static func money(_ minor: Int64, _ asset: Asset) -> [String: Any] {
        ["amount": MinorUnits.format(minor, scale: asset.scale), "amount_minor": minor, "currency": asset.code]
    }
}
