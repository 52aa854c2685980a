/// Where a task is in its life. Every change goes through `applying(_:)`, the one table of
/// legal transitions.
public enum TaskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case published, assigned, submitted
    case revisionRequested = "revision_requested"
    case completed, paid, canceled, expired, disputed, resolved

    /// The status after `event`, or a conflict naming the current status.
    public func applying(_ event: TaskEvent) throws(MarketplaceError) -> TaskStatus {
        guard let next = Self.transitions[self]?[event] else {
            throw .conflict(field: "status", message: "the task is \(rawValue); it cannot be \(event.pastTense)")
        }
        return next
    }

    /// True when no event moves the task any further.
    public var isFinal: Bool { Self.transitions[self] == nil }

    /// The one rule of which tasks take money into escrow: published or assigned ones.
    public var isFundable: Bool { self == .published || self == .assigned }

    /// published → assigned → submitted → (revision_requested → submitted)* → completed → paid;
    /// published | assigned → canceled; published → expired; assigned | submitted |
    /// revision_requested → disputed → resolved. A rejected submission sends the task back to
    /// assigned (the worker may submit again or dispute); a bounty goes from published straight
    /// to completed when its owner awards one entry; a freeform task goes from assigned to
    /// completed when its owner marks it complete, with or without a submission.
    static let transitions: [TaskStatus: [TaskEvent: TaskStatus]] = [
        .published: [.assign: .assigned, .cancel: .canceled, .expire: .expired, .award: .completed],
        .assigned: [.submit: .submitted, .cancel: .canceled, .dispute: .disputed, .complete: .completed],
        .submitted: [.requestRevision: .revisionRequested, .approve: .completed, .reject: .assigned, .dispute: .disputed],
        .revisionRequested: [.submit: .submitted, .dispute: .disputed],
        .completed: [.pay: .paid],
        .disputed: [.resolve: .resolved],
    ]
}

/// Something that happens to a task.
public enum TaskEvent: String, Sendable, Hashable, CaseIterable {
    case assign, submit, requestRevision, approve, reject, award, complete, pay, cancel, expire, dispute, resolve

    var pastTense: String {
        switch self {
        case .assign: "assigned"
        case .submit: "submitted"
        case .requestRevision: "sent back for revision"
        case .approve: "approved"
        case .reject: "rejected"
        case .award: "awarded"
        case .complete: "completed"
        case .pay: "paid"
        case .cancel: "canceled"
        case .expire: "expired"
        case .dispute: "disputed"
        case .resolve: "resolved"
        }
    }
}
