import Foundation

/// Test mode's stand-in worker: it applies to a task that asks for it, is accepted as soon as
/// the task is funded, and submits deliverables of every required kind that speak to each
/// proof requirement, so an agent can rehearse the whole lifecycle alone. It is a hidden
/// human user that cannot log in.
enum MockOperator {
    static let userID = "usr_mock_operator"
    static let message = "Mock operator (test mode): I will do this task as soon as it is funded."

    static func ensureUser(nowMicros: Int64, _ stores: Stores) throws {
        try stores.users.ensureMockOperator(id: userID, nowMicros: nowMicros)
        try stores.workerProfiles.ensureMockOperator(userID: userID, nowMicros: nowMicros)
    }

    /// Applies to a freshly posted task (a bounty takes no application).
    static func apply(to task: MarketTask, nowMicros: Int64, _ stores: Stores) throws {
        try ensureUser(nowMicros: nowMicros, stores)
        guard task.spec.deliveryType != .bounty else { return }
        try stores.applications.insert(TaskApplication(id: Secrets.id("app"), taskID: task.id, applicantID: userID, message: message,
                                                       status: .pending, createdAt: nowMicros))
    }

    /// Deliverables for `spec`: one of each required kind (a text when none is required), and
    /// a note that answers each proof requirement.
    static func deliverables(for spec: TaskSpec) -> (items: [Submission.Item], note: String) {
        let kinds = spec.requiredDeliverables.isEmpty ? [Deliverable.text] : spec.requiredDeliverables
        let items = kinds.map { kind -> Submission.Item in
            switch kind {
            case .text: Submission.Item(kind: .text, value: "Mock result for \(spec.title): done as described.")
            case .photo: Submission.Item(kind: .photo, value: "https://mock-operator.invalid/photo.jpg")
            case .url: Submission.Item(kind: .url, value: "https://mock-operator.invalid/result")
            case .file: Submission.Item(kind: .file, value: "mock-operator/result.txt")
            }
        }
        let proofs = spec.proofRequirements.map { "\($0): provided." }.joined(separator: " ")
        return (items, "Mock operator submission. \(proofs)")
    }

    static func principal(_ mode: Mode) -> Principal {
        Principal(userID: userID, mode: mode, scopes: [.tasksRead, .tasksWrite], credential: .session, role: .human)
    }
}

extension WorkService {
    /// After a funding: a task that asked for a mock operator gets it accepted (its owner's
    /// acceptance, on the owner's behalf) and its deliverables submitted. Does nothing for any
    /// other task. Returns whether the mock acted.
    @discardableResult
    public func runMockOperator(on taskID: String) async throws(MarketplaceError) -> Bool {
        let found = try store.read { stores -> (MarketTask, String?)? in
            guard let task = try stores.tasks.fetch(taskID) else { return nil }
            return (task, try stores.applications.pendingID(taskID: taskID, applicantID: MockOperator.userID))
        }
        guard let (task, application) = found, task.spec.mockOperator, task.mode == .test, task.status == .published else { return false }
        let owner = Principal.owner(of: task)
        if task.spec.deliveryType != .bounty {
            guard let application else { return false }
            _ = try await accept(application, on: taskID, by: owner)
        }
        let (items, note) = MockOperator.deliverables(for: task.spec)
        _ = try await submit(to: taskID, deliverables: items, note: note, by: MockOperator.principal(task.mode))
        return true
    }
}
