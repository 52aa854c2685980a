public import Marketplace

/// Seed 004's task statuses for ours: a task is open until a human is selected (ASSIGNED in
/// the document's words), submitted while proof waits for review; a rejected submission sends
/// the work back to assigned; approval pays in the same commit, so a paid task is completed.
public enum Humans2AIStatus {
    public static let names = ["open", "assigned", "submitted", "completed", "disputed", "expired", "cancelled"]

    public static func name(_ status: TaskStatus) -> String {
        switch status {
        case .published: "open"
        case .assigned, .revisionRequested: "assigned"
        case .submitted: "submitted"
        case .completed, .paid, .resolved: "completed"
        case .disputed: "disputed"
        case .expired: "expired"
        case .canceled: "cancelled"
        }
    }

    /// The status a list filter names, as ours; nil for a name the document does not list.
    public static func filter(_ name: String) -> String? {
        switch name {
        case "open": TaskStatus.published.rawValue
        case "assigned": TaskStatus.assigned.rawValue
        case "submitted": TaskStatus.submitted.rawValue
        case "completed": TaskStatus.paid.rawValue
        case "disputed": TaskStatus.disputed.rawValue
        case "expired": TaskStatus.expired.rawValue
        case "cancelled": TaskStatus.canceled.rawValue
        default: nil
        }
    }

    /// The document's urgencies (low, medium, high, urgent) for ours: its "medium" is our normal.
    public static func urgency(_ name: String) -> String { name == "medium" ? Urgency.normal.rawValue : name }

    public static func urgencyName(_ urgency: Urgency) -> String { urgency == .normal ? "medium" : urgency.rawValue }
}
