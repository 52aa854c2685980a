public import Marketplace

/// Seed 003's status names (POSTED through VERIFIED and PAID) for the task statuses they stand
/// for. The document names the lifecycle's steps (post, accept, proof, verify, settle) and the
/// statuses POSTED, VERIFIED and PAID; the names of the other statuses follow those steps.
public enum HumanOpsStatus {
    public static func name(_ status: TaskStatus) -> String {
        switch status {
        case .published: "POSTED"
        case .assigned: "ACCEPTED"
        case .submitted: "PROOF_SUBMITTED"
        case .revisionRequested: "REVISION_REQUESTED"
        case .completed: "VERIFIED"
        case .paid: "PAID"
        case .canceled: "CANCELLED"
        case .expired: "EXPIRED"
        case .disputed: "DISPUTED"
        case .resolved: "RESOLVED"
        }
    }
}
