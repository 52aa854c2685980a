public import Marketplace

/// Seed 000/001's five statuses (open, in_progress, submitted, completed, canceled) for ours:
/// a revision is still submitted work, a paid task is completed (approval pays in the same
/// commit), an expired one canceled; a dispute keeps the work in progress until it is resolved.
public enum GoHireHumansStatus {
    public static let names = ["open", "in_progress", "submitted", "completed", "canceled"]

    public static func name(_ status: TaskStatus) -> String {
        switch status {
        case .published: "open"
        case .assigned, .disputed: "in_progress"
        case .submitted, .revisionRequested: "submitted"
        case .completed, .paid, .resolved: "completed"
        case .canceled, .expired: "canceled"
        }
    }

    /// The status a list filter names, as ours; nil for a name the document does not list.
    public static func filter(_ name: String) -> String? {
        switch name {
        case "open": TaskStatus.published.rawValue
        case "in_progress": TaskStatus.assigned.rawValue
        case "submitted": TaskStatus.submitted.rawValue
        case "completed": TaskStatus.paid.rawValue
        case "canceled": TaskStatus.canceled.rawValue
        default: nil
        }
    }
}
